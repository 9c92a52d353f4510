/**
 * The dashboard tab in the browser. Plain DOM (every text set with textContent, never as HTML, so
 * nothing typed by staff or imported from the register can run as markup). Signs in with Teams
 * single sign-on; outside Teams, in local mode only, with the development sign-in.
 */
import { actionsView } from './actionsView.js';
import { chronologyView } from './chronologyView.js';
import { cohortAddress, cohortView } from './cohortView.js';
import { digestView } from './digestView.js';
import { byId, el, facts, formatDay, setStatus, show, showError, table } from './dom.js';
import { ApiResult, Session } from './session.js';

type TeamsJs = typeof import('@microsoft/teams-js');

type Theme = 'default' | 'dark' | 'contrast';
type View = 'cohort' | 'chronology' | 'actions' | 'digest' | 'importRegister' | 'settings';

interface SchoolRef {
  id: string;
  name: string;
}

interface Me {
  name: string;
  /** The school shown; null only for a trust's administrator whose trust has no school yet. */
  school: SchoolRef | null;
  /** Every school the person may choose (a switcher when there are several). */
  schools: SchoolRef[];
  roles: string[];
  views: View[];
  trusts: SchoolRef[];
  signIn: 'entra' | 'development';
}

// ---- theme -------------------------------------------------------------------------------

function applyTheme(theme: string | undefined): void {
  const t: Theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  document.documentElement.setAttribute('data-theme', t);
}

// ---- sign-in -----------------------------------------------------------------------------

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);
}

/**
 * teams-js only when framed: Teams always hosts a tab in an iframe, and outside Teams the library
 * has nothing to talk to (and would fetch Microsoft's list of Teams origins for nothing).
 */
function loadTeamsJs(): Promise<TeamsJs | undefined> {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = 'teams-js.js';
    script.onload = () => resolve((window as unknown as { microsoftTeams?: TeamsJs }).microsoftTeams);
    script.onerror = () => resolve(undefined);
    document.head.append(script);
  });
}

/** In Teams: initialise, follow its theme, and get the SSO token. Undefined when not in Teams. */
async function signInWithTeams(): Promise<string | undefined> {
  if (window.self === window.top) return undefined;
  const teams = await loadTeamsJs();
  if (!teams) return undefined;
  try {
    await withTimeout(teams.app.initialize(), 5000);
  } catch {
    return undefined;
  }
  const context = await teams.app.getContext();
  applyTheme(context.app.theme);
  teams.app.registerOnThemeChangeHandler(applyTheme);
  try {
    const token = await teams.authentication.getAuthToken();
    teams.app.notifySuccess();
    return token;
  } catch {
    teams.app.notifyFailure({ reason: teams.app.FailedReason.AuthFailed, message: 'Single sign-on failed' });
    throw new Error('Teams could not sign you in to the dashboard. Ask your IT team to check the app’s single sign-on set-up.');
  }
}

interface DevStaff {
  notice: string;
  staff: Array<{ aadObjectId: string; name: string; roles: string[]; school: string }>;
}

/** Local mode: pick a member of the (synthetic) staff list. Resolves with their token. */
async function signInForDevelopment(): Promise<string | undefined> {
  const res = await fetch('/api/tab/dev/staff').catch(() => undefined);
  if (!res || !res.ok) return undefined;
  const list = (await res.json()) as DevStaff;
  const panel = byId('dev');
  panel.hidden = false;
  const select = byId<HTMLSelectElement>('dev-user');
  select.replaceChildren(...list.staff.map((s) => el('option', { value: s.aadObjectId }, `${s.name} (${s.roles.join(', ')}), ${s.school}`)));
  const themeSelect = byId<HTMLSelectElement>('dev-theme');
  themeSelect.value = document.documentElement.getAttribute('data-theme') ?? 'default';
  themeSelect.addEventListener('change', () => applyTheme(themeSelect.value));
  setStatus('Choose who to sign in as.');
  return new Promise((resolve) => {
    byId<HTMLFormElement>('dev-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const r = await fetch('/api/tab/dev/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ aadObjectId: select.value }) });
      if (!r.ok) return showError('That sign-in did not work.');
      const { token } = (await r.json()) as { token: string };
      resolve(token);
    });
  });
}

// ---- views -------------------------------------------------------------------------------

const VIEW_TITLES: Record<Exclude<View, 'chronology'>, string> = {
  cohort: 'Children',
  actions: 'Actions and PEPs',
  digest: 'This week',
  importRegister: 'Load the register',
  settings: 'Settings',
};

interface Issue {
  line: number;
  column?: string;
  message: string;
}

function issueText(i: Issue): string {
  return `${i.line > 0 ? `Line ${i.line}` : 'The file'}${i.column ? `, ${i.column}` : ''}: ${i.message}`;
}

interface ImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  notInFile: number;
  errors: Issue[];
  warnings: Issue[];
  written: boolean;
}

function registerView(session: Session): void {
  setStatus('');
  const input = el('input', { type: 'file', id: 'register-file', accept: '.csv,text/csv' });
  const result = el('div', { 'aria-live': 'polite' });
  const run = async (dryRun: boolean) => {
    const file = input.files?.[0];
    if (!file) return result.replaceChildren(el('p', { class: 'error', role: 'alert' }, 'Choose the CSV file exported from your MIS first.'));
    if (file.size > 5 * 1024 * 1024) return result.replaceChildren(el('p', { class: 'error', role: 'alert' }, 'That file is over 5 MB: export the register without extra columns.'));
    result.replaceChildren(el('p', {}, dryRun ? 'Checking…' : 'Loading…'));
    const res = await session.post<ImportReport>('/api/tab/register', { csv: await file.text(), dryRun });
    if (!res.ok) return result.replaceChildren(el('p', { class: 'error', role: 'alert' }, res.message));
    const r = res.data;
    const summary = `${r.total} rows: ${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged.${r.notInFile ? ` ${r.notInFile} children on the register are not in this file and were left as they are.` : ''}`;
    result.replaceChildren(
      el('p', { class: r.errors.length ? 'error' : 'notice', role: r.errors.length ? 'alert' : 'status' }, r.errors.length ? `${r.errors.length} problem(s) found: nothing was changed. Fix them in the file and try again.` : r.written ? `Register loaded. ${summary}` : `The file is fine. ${summary} Press “Load the register” to save it.`),
      ...(r.errors.length ? [el('ul', {}, ...r.errors.slice(0, 200).map((e) => el('li', {}, issueText(e))))] : []),
      ...(r.errors.length > 200 ? [el('p', {}, `…and ${r.errors.length - 200} more.`)] : []),
      ...(r.warnings.length ? [el('h3', {}, 'Worth checking'), el('ul', {}, ...r.warnings.map((w) => el('li', {}, issueText(w))))] : []),
    );
  };
  const check = el('button', { type: 'button' }, 'Check the file');
  const load = el('button', { type: 'button', class: 'primary' }, 'Load the register');
  check.addEventListener('click', () => void run(true));
  load.addEventListener('click', () => void run(false));
  show(
    el('h2', {}, 'Load the register'),
    el('p', {}, 'Upload the CSV export of children and their statuses from your management information system (MIS). Every row is checked first; if any row has a problem, nothing is changed. Loading the same file again changes nothing. Every load is recorded with your name.'),
    el('p', {}, el('label', { for: 'register-file' }, 'CSV file '), input),
    el('p', {}, check, ' ', load),
    result,
  );
}


// ---- settings ----------------------------------------------------------------------------

interface FileProblem {
  line: number;
  field: string;
  message: string;
  text: string;
}

interface TermSummary {
  terms: Array<{ name: string; start: string; end: string; breaks: Array<{ name: string; start: string; end: string }> }>;
  lastDate: string | null;
  closures: Array<{ name: string; start: string; end: string }>;
}

interface LocalAuthority {
  code: string;
  name: string;
  region: string;
}

interface SchoolSettingsData {
  id: string;
  name: string;
  localAuthority: { value: string; code: string | null; label: string };
  trust: SchoolRef | null;
  roles: Array<{ role: string; label: string; singleHolder: boolean; holders: Array<{ aadObjectId: string; name: string }> }>;
  people: Array<{ aadObjectId: string; name: string; email?: string }>;
  virtualSchools: Array<{ localAuthority: string; label: string; code: string | null; name: string; email: string; phone?: string; fromTrust: boolean }>;
  exclusionsContact: { name: string; email: string; phone?: string };
  digest: { weekday: number; weekdayName: string; time: string; channel: { chosen: boolean; posting: boolean; reason?: string; explanation?: string } };
  staffTeam: { chosen: boolean; name: string | null; group: boolean; members: number };
  termDates: TermSummary;
  schoolDay: { start: string; end: string };
  approvalWindows: { attendance: string; suspension: string; admission: string };
  profileYaml: string;
}

interface SettingsData {
  school: SchoolSettingsData | null;
  trusts: Array<SchoolRef & { schools: SchoolRef[] }>;
  localAuthorities: LocalAuthority[];
  policyProfiles: string[];
}

/** A message shown in one section after the view is drawn again (and focused, so it is read out). */
interface Flash {
  section: string;
  ok: boolean;
  text: string;
  lines?: string[];
}

type Reload = (flash: Flash) => Promise<void>;

function message(ok: boolean, text: string, focusable = false): HTMLElement {
  return el('p', { class: ok ? 'notice' : 'error', role: ok ? 'status' : 'alert', ...(focusable ? { tabindex: '-1' } : {}) }, text);
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return el('div', { class: 'field' }, el('label', { for: control.id }, label), hint ? el('span', { class: 'meta', id: hintId ?? '' }, hint) : null, control);
}

function section(id: string, title: string, ...children: Array<Node | null>): HTMLElement {
  return el('section', { class: 'settings-section', 'aria-labelledby': `${id}-title`, id }, el('h3', { id: `${id}-title` }, title), ...children);
}

function flashFor(flash: Flash | undefined, name: string): HTMLElement | null {
  if (!flash || flash.section !== name) return null;
  const box = el('div', { class: 'flash', tabindex: '-1', id: `flash-${name}` }, message(flash.ok, flash.text));
  if (flash.lines && flash.lines.length > 0) box.append(el('ul', {}, ...flash.lines.map((l) => el('li', {}, l))));
  return box;
}

function authorityPicker(id: string, las: LocalAuthority[], emptyText: string): HTMLSelectElement {
  const regions = [...new Set(las.map((la) => la.region))].sort();
  return el(
    'select',
    { id },
    el('option', { value: '' }, emptyText),
    ...regions.map((region) => el('optgroup', { label: region }, ...las.filter((la) => la.region === region).sort((a, b) => a.name.localeCompare(b.name)).map((la) => el('option', { value: la.code }, `${la.name} (${la.code})`)))),
  );
}

/** Selects one line of a text box and scrolls to it: where a problem in the profile is. */
function goToLine(box: HTMLTextAreaElement, line: number): void {
  const lines = box.value.split('\n');
  const start = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  box.focus();
  box.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 20;
  box.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function problemList(problems: FileProblem[], box: HTMLTextAreaElement): HTMLElement {
  return el(
    'ul',
    { class: 'problems' },
    ...problems.map((p) => {
      const item = el('li', {}, `${p.text} `);
      if (p.line > 0) {
        const go = el('button', { type: 'button', class: 'link' }, `Go to line ${p.line}`);
        go.addEventListener('click', () => goToLine(box, p.line));
        item.append(go);
      }
      return item;
    }),
  );
}

interface ProfileOutcome {
  ok: boolean;
  applied: boolean;
  newSchool?: boolean;
  changes?: string[];
  problems?: FileProblem[];
  school?: SchoolRef;
}

function rolesSection(s: SchoolSettingsData, session: Session, reload: Reload, flash: Flash | undefined): HTMLElement {
  const rows = s.roles.map((r) => [
    r.label,
    r.holders.length > 0 ? r.holders.map((h) => h.name).join(', ') : 'Nobody yet',
    r.singleHolder ? 'One person at a time' : 'Several people',
  ]);
  const role = el('select', { id: 'role-role' }, ...s.roles.map((r) => el('option', { value: r.role }, r.label)));
  const person = el(
    'select',
    { id: 'role-person' },
    el('option', { value: '' }, 'Choose a person'),
    ...s.people.map((p) => el('option', { value: p.aadObjectId }, p.email ? `${p.name} (${p.email})` : p.name)),
  );
  const hint = el('p', { class: 'meta', id: 'role-hint', 'aria-live': 'polite' });
  const describe = () => {
    const r = s.roles.find((x) => x.role === role.value);
    if (!r) return;
    const holders = r.holders.map((h) => h.name).join(' and ');
    hint.textContent = r.singleHolder
      ? `One person holds this role at a time${holders ? `: giving it to someone takes it from ${holders}` : ''}.`
      : `Several people can hold this role${holders ? `; now: ${holders}` : ''}.`;
  };
  role.addEventListener('change', describe);
  describe();
  const result = el('div', { 'aria-live': 'polite' });
  const give = el('button', { type: 'button', class: 'primary', 'aria-describedby': 'role-hint' }, 'Give the role');
  const take = el('button', { type: 'button' }, 'Take the role away');
  const run = async (giveIt: boolean) => {
    if (!person.value) return result.replaceChildren(message(false, 'Choose a person first.'));
    result.replaceChildren(el('p', {}, 'Saving…'));
    const res = await session.post<{ summary: string; changed: boolean }>('/api/tab/settings/role', { school: s.id, role: role.value, person: { aadObjectId: person.value }, give: giveIt });
    if (!res.ok) return result.replaceChildren(message(false, res.message));
    await reload({ section: 'roles', ok: true, text: `${res.data.summary}${res.data.changed ? ' Everyone it concerns is told in Teams (if they have the app), and the change is in the audit trail.' : ''}` });
  };
  give.addEventListener('click', () => void run(true));
  take.addEventListener('click', () => void run(false));
  return section(
    'settings-roles',
    'Roles',
    flashFor(flash, 'roles'),
    table('Who holds each role', ['Role', 'Held by', 'Holders'], rows),
    el('h4', {}, 'Give or take a role'),
    el('p', { class: 'meta' }, 'Anyone in your staff team, or named here already, can be given a role.'),
    el('div', { class: 'form-grid' }, field('Role', role), field('Person', person)),
    hint,
    el('p', { class: 'actions' }, give, ' ', take),
    result,
  );
}

function virtualSchoolsSection(s: SchoolSettingsData, las: LocalAuthority[], session: Session, reload: Reload, flash: Flash | undefined): HTMLElement {
  const la = authorityPicker('vs-la', las, 'Choose a local authority');
  const name = el('input', { id: 'vs-name', type: 'text', autocomplete: 'off', maxlength: '120' });
  const email = el('input', { id: 'vs-email', type: 'email', autocomplete: 'off', maxlength: '254' });
  const phone = el('input', { id: 'vs-phone', type: 'tel', autocomplete: 'off', maxlength: '40' });
  const result = el('div', { 'aria-live': 'polite' });
  const rows = s.virtualSchools.map((v) => {
    let action: Node | string = 'Shared by the trust';
    if (!v.fromTrust) {
      const edit = el('button', { type: 'button', 'aria-label': `Change the contact for ${v.label}` }, 'Change');
      edit.addEventListener('click', () => {
        la.value = v.code ?? '';
        name.value = v.name;
        email.value = v.email;
        phone.value = v.phone ?? '';
        la.focus();
      });
      action = edit;
    }
    return [v.label, v.name, v.email, v.phone ?? '—', action];
  });
  const save = el('button', { type: 'button', class: 'primary' }, 'Save the contact');
  save.addEventListener('click', async () => {
    if (!la.value || !name.value.trim() || !email.value.trim()) return result.replaceChildren(message(false, 'Choose the local authority and give the Virtual School’s name and email address.'));
    result.replaceChildren(el('p', {}, 'Saving…'));
    const res = await session.post<{ summary: string }>('/api/tab/settings/virtual-school', {
      school: s.id,
      localAuthority: la.value,
      name: name.value.trim(),
      email: email.value.trim(),
      ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
    });
    if (!res.ok) return result.replaceChildren(message(false, res.message));
    await reload({ section: 'virtualSchools', ok: true, text: res.data.summary });
  });
  return section(
    'settings-virtual-schools',
    'Virtual Schools',
    flashFor(flash, 'virtualSchools'),
    el('p', {}, `Each local authority that places children with you has a Virtual School, told about concerns for the children it placed. Your own authority is ${s.localAuthority.label}.`),
    table(`Virtual School contacts (${s.virtualSchools.length})`, ['Local authority', 'Virtual School', 'Email', 'Phone', 'Change'], rows),
    el('h4', {}, 'Add or change a contact'),
    el('div', { class: 'form-grid' }, field('Local authority', la), field('Virtual School’s name', name), field('Email address', email), field('Phone (optional)', phone)),
    el('p', { class: 'actions' }, save),
    result,
  );
}

function termDatesSection(s: SchoolSettingsData, session: Session, reload: Reload, flash: Flash | undefined): HTMLElement {
  const t = s.termDates;
  const first = t.terms[0];
  const last = t.terms[t.terms.length - 1];
  const input = el('input', { type: 'file', id: 'terms-file', accept: '.csv,.ics,text/csv,text/calendar' });
  const result = el('div', { 'aria-live': 'polite' });
  const save = el('button', { type: 'button', class: 'primary' }, 'Save the term dates');
  save.hidden = true;
  const send = async (dryRun: boolean) => {
    const file = input.files?.[0];
    if (!file) return result.replaceChildren(message(false, 'Choose your local authority’s term dates file (.csv or .ics) first.'));
    if (file.size > 256 * 1024) return result.replaceChildren(message(false, 'That file is over 256 KB: it does not look like a term dates file.'));
    result.replaceChildren(el('p', {}, dryRun ? 'Checking…' : 'Saving…'));
    const res = await session.post<{ ok: boolean; applied: boolean; changes?: string[]; problems?: string[]; warnings: string[] }>('/api/tab/settings/term-dates', {
      school: s.id,
      fileName: file.name,
      text: await file.text(),
      dryRun,
    });
    if (!res.ok) return result.replaceChildren(message(false, res.message));
    const r = res.data;
    const warnings = r.warnings.length > 0 ? [el('h4', {}, 'Worth checking'), el('ul', {}, ...r.warnings.map((w) => el('li', {}, w)))] : [];
    if (!r.ok) {
      save.hidden = true;
      return result.replaceChildren(message(false, 'The file could not be read, so nothing was changed. Fix these and try again:'), el('ul', {}, ...(r.problems ?? []).map((p) => el('li', {}, p))), ...warnings);
    }
    const changes = r.changes ?? [];
    if (!dryRun) return reload({ section: 'termDates', ok: true, text: r.applied ? 'The term dates are saved. Deadlines counted in school days now use them.' : 'Nothing changed: these are the term dates already saved.', lines: changes });
    save.hidden = changes.length === 0;
    result.replaceChildren(
      message(true, changes.length > 0 ? 'The file is fine. Saving it would change:' : 'The file is fine, and it matches the term dates already saved: nothing to change.'),
      ...(changes.length > 0 ? [el('ul', {}, ...changes.map((c) => el('li', {}, c)))] : []),
      ...warnings,
    );
  };
  const check = el('button', { type: 'button' }, 'Check the file');
  check.addEventListener('click', () => void send(true));
  save.addEventListener('click', () => void send(false));
  input.addEventListener('change', () => {
    save.hidden = true;
    result.replaceChildren();
  });
  return section(
    'settings-term-dates',
    'Term dates',
    flashFor(flash, 'termDates'),
    facts([
      ['Terms', first && last ? `${t.terms.length}: ${first.name} (from ${formatDay(first.start)}) to ${last.name}` : 'None saved'],
      ['Last date covered', t.lastDate ? formatDay(t.lastDate) : 'None'],
      ['Closure days (INSET)', t.closures.length > 0 ? t.closures.map((c) => `${c.name}, ${formatDay(c.start)}${c.end !== c.start ? ` to ${formatDay(c.end)}` : ''}`).join('; ') : 'None'],
    ]),
    t.lastDate ? null : message(false, 'No term dates are saved, so deadlines counted in school days cannot be worked out. Load your local authority’s file below.'),
    el('h4', {}, 'Load new term dates'),
    el('p', {}, 'Use the file your local authority publishes: a CSV (name, start, end, kind) or an iCalendar (.ics) file. Check it first to see what would change; nothing is saved until you press “Save the term dates”. The new dates replace the old ones.'),
    field('Term dates file', input),
    el('p', { class: 'actions' }, check, ' ', save),
    result,
  );
}

function digestSection(s: SchoolSettingsData): HTMLElement {
  const c = s.digest.channel;
  return section(
    'settings-digest',
    'Weekly digest',
    el('p', {}, `The digest for the senior leadership team is posted on ${s.digest.weekdayName}s at ${s.digest.time}.`),
    c.posting
      ? message(true, 'A leadership channel is chosen, and the app is in it: the digest is posted there.')
      : el('p', { class: 'warning' }, el('strong', {}, 'The digest is not being posted. '), c.explanation ?? ''),
    c.posting ? el('p', {}, 'To post it to another channel: add the app to that team in Teams, and press “Use this channel for the weekly digest” on the card it posts.') : null,
    el('p', { class: 'meta' }, 'The day and time can be changed under Advanced (digest).'),
  );
}

function staffTeamSection(s: SchoolSettingsData): HTMLElement {
  const team = s.staffTeam;
  return section(
    'settings-staff-team',
    'Staff team',
    team.chosen
      ? message(true, `Your staff team${team.name ? `, ${team.name},` : ''} is chosen: ${team.members} ${team.members === 1 ? 'person is' : 'people are'} on it. Everyone in it can raise a concern with the bot.`)
      : el('p', { class: 'warning' }, team.group ? `Your staff come from an Entra ID group: ${team.members} ${team.members === 1 ? 'person' : 'people'} read from it.` : 'No staff team is chosen yet, so only the people named in Roles can use the app.'),
    el('p', {}, 'To choose it: in Teams, add the app to the team every member of staff is in. It posts a card; the DSL or headteacher presses “This team is our staff list”. The app then keeps its list of staff up to date by itself.'),
  );
}

function rulesSection(s: SchoolSettingsData): HTMLElement {
  return section(
    'settings-rules',
    'Approvals and the school day',
    facts([
      ['School day', `${s.schoolDay.start} to ${s.schoolDay.end}`],
      ['Attendance concerns approved', s.approvalWindows.attendance],
      ['Suspension risks approved', s.approvalWindows.suspension],
      ['New admissions approved', s.approvalWindows.admission],
      ['Exclusions team', `${s.exclusionsContact.name}, ${s.exclusionsContact.email}${s.exclusionsContact.phone ? `, ${s.exclusionsContact.phone}` : ''}`],
    ]),
    el('p', { class: 'meta' }, 'These are changed under Advanced.'),
  );
}

/** A profile in a text box, checked (a dry run) then saved: the advanced editor, and a new school's set-up. */
function profileEditor(o: {
  idPrefix: string;
  label: string;
  yaml: string;
  saveLabel: string;
  send: (yaml: string, dryRun: boolean) => Promise<ApiResult<ProfileOutcome>>;
  saved: (outcome: ProfileOutcome) => Promise<void>;
}): { box: HTMLTextAreaElement; nodes: HTMLElement[] } {
  const box = el('textarea', { id: `${o.idPrefix}-yaml`, rows: '22', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', class: 'code' });
  box.value = o.yaml;
  const result = el('div', { 'aria-live': 'polite' });
  const run = async (dryRun: boolean) => {
    if (!box.value.trim()) return result.replaceChildren(message(false, 'The profile is empty.'));
    result.replaceChildren(el('p', {}, dryRun ? 'Checking…' : 'Saving…'));
    const res = await o.send(box.value, dryRun);
    if (!res.ok) return result.replaceChildren(message(false, res.message));
    const r = res.data;
    if (!r.ok) {
      const problems = r.problems ?? [];
      return result.replaceChildren(message(false, `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} found, so nothing was saved. Fix ${problems.length === 1 ? 'it' : 'them'} and check again:`), problemList(problems, box));
    }
    const changes = r.changes ?? [];
    if (!dryRun && r.applied) return o.saved(r);
    result.replaceChildren(
      message(true, changes.length === 0 ? 'No problems, and nothing would change.' : `No problems. Pressing “${o.saveLabel}” would change:`),
      ...(changes.length > 0 ? [el('ul', {}, ...changes.map((c) => el('li', {}, c)))] : []),
    );
  };
  const check = el('button', { type: 'button' }, 'Check');
  const save = el('button', { type: 'button', class: 'primary' }, o.saveLabel);
  check.addEventListener('click', () => void run(true));
  save.addEventListener('click', () => void run(false));
  return { box, nodes: [field(o.label, box), el('p', { class: 'actions' }, check, ' ', save), result] };
}

function advancedSection(s: SchoolSettingsData, session: Session, reload: Reload, flash: Flash | undefined): HTMLElement {
  const editor = profileEditor({
    idPrefix: 'profile',
    label: 'School profile (YAML)',
    yaml: s.profileYaml,
    saveLabel: 'Save the profile',
    send: (yaml, dryRun) => session.post<ProfileOutcome>('/api/tab/settings/profile', { school: s.id, yaml, dryRun }),
    saved: (r) => reload({ section: 'advanced', ok: true, text: 'The profile is saved, and the change is in the audit trail.', lines: r.changes ?? [] }),
  });
  return section(
    'settings-advanced',
    'Advanced: the whole profile',
    flashFor(flash, 'advanced'),
    el('p', {}, 'Every setting of the school, as a file with a note above each. Change what you need, press “Check” to see what would change (or any problems, each with its line), then save. The school’s id, its Microsoft 365 organisation and its trust cannot be changed here.'),
    ...editor.nodes,
  );
}

function newSchoolSection(d: SettingsData, session: Session, reload: Reload, flash: Flash | undefined): HTMLElement {
  const trust = el('select', { id: 'new-trust' }, ...d.trusts.map((t) => el('option', { value: t.id }, t.name)));
  const id = el('input', { id: 'new-id', type: 'text', autocomplete: 'off', maxlength: '40', pattern: '[a-z0-9-]{2,40}' });
  const name = el('input', { id: 'new-name', type: 'text', autocomplete: 'off', maxlength: '120' });
  const la = authorityPicker('new-la', d.localAuthorities, 'Fill in later');
  const policy = el('select', { id: 'new-policy' }, el('option', { value: '' }, 'Fill in later'), ...d.policyProfiles.map((p) => el('option', { value: p }, p)));
  const result = el('div', { 'aria-live': 'polite' });
  const editorArea = el('div', { hidden: '' });
  const start = el('button', { type: 'button' }, 'Start from the template');
  start.addEventListener('click', async () => {
    const params = new URLSearchParams({ trust: trust.value, id: id.value.trim(), name: name.value.trim() });
    if (la.value) params.set('localAuthority', la.value);
    if (policy.value) params.set('policy', policy.value);
    const res = await session.get<{ yaml: string }>(`/api/tab/settings/template?${params.toString()}`, { noSchool: true });
    if (!res.ok) return result.replaceChildren(message(false, res.message));
    result.replaceChildren();
    const editor = profileEditor({
      idPrefix: 'new-school',
      label: 'The new school’s profile (YAML)',
      yaml: res.data.yaml,
      saveLabel: 'Set up the school',
      send: (yaml, dryRun) => session.post<ProfileOutcome>('/api/tab/settings/profile', { yaml, dryRun }, { noSchool: true }),
      saved: async (r) => {
        await refreshMe(session, session.school);
        await reload({ section: 'newSchool', ok: true, text: `${r.school?.name ?? 'The school'} is set up. Choose it in the School list at the top to carry on with its settings.`, lines: r.changes ?? [] });
      },
    });
    editorArea.replaceChildren(el('p', {}, 'Fill in every empty value (""), press “Check”, then “Set up the school”. Name each role holder by their work email: they must be in a staff team the app is in, or have said hello to the bot.'), ...editor.nodes);
    editorArea.hidden = false;
    editor.box.focus();
  });
  return section(
    'settings-new-school',
    'New school',
    flashFor(flash, 'newSchool'),
    el('p', {}, `As your trust’s administrator you can set up another school of ${d.trusts.map((t) => t.name).join(' or ')}. ${d.trusts.flatMap((t) => t.schools).length > 0 ? `Its schools now: ${d.trusts.flatMap((t) => t.schools.map((s) => s.name)).join(', ')}.` : 'It has no school in the app yet.'}`),
    el(
      'div',
      { class: 'form-grid' },
      d.trusts.length > 1 ? field('Trust', trust) : null,
      field('School id', id, 'Lower-case letters, digits and hyphens, such as riverside-primary. It cannot be changed later.'),
      field('School name', name),
      field('Local authority', la),
      field('Policy profile', policy),
    ),
    el('p', { class: 'actions' }, start),
    result,
    editorArea,
  );
}

async function settingsView(session: Session, flash?: Flash): Promise<void> {
  setStatus('Loading the settings…');
  const res = await session.get<SettingsData>('/api/tab/settings');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const d = res.data;
  const reload: Reload = (f) => settingsView(session, f);
  const s = d.school;
  show(
    el('h2', {}, s ? `Settings for ${s.name}` : 'Settings'),
    el('p', { class: 'meta' }, 'Every change here is recorded with your name in the school’s audit trail. Anyone given or losing a role is told in Teams, if they have the app.'),
    ...(s
      ? [
          rolesSection(s, session, reload, flash),
          virtualSchoolsSection(s, d.localAuthorities, session, reload, flash),
          termDatesSection(s, session, reload, flash),
          digestSection(s),
          staffTeamSection(s),
          rulesSection(s),
          advancedSection(s, session, reload, flash),
        ]
      : []),
    ...(d.trusts.length > 0 ? [newSchoolSection(d, session, reload, flash)] : []),
  );
  if (flash) document.getElementById(`flash-${flash.section}`)?.focus();
}

// ---- navigation --------------------------------------------------------------------------

let current: Me | undefined;

function renderNav(views: View[], here: string): void {
  const nav = byId('nav');
  const items = (Object.keys(VIEW_TITLES) as Array<keyof typeof VIEW_TITLES>).filter((v) => views.includes(v));
  nav.replaceChildren(...items.map((v) => el('a', { href: `#/${v}`, ...(here === v ? { 'aria-current': 'page' } : {}) }, VIEW_TITLES[v])));
  nav.hidden = items.length === 0;
}

async function route(session: Session, me: Me): Promise<void> {
  // "#/cohort?q=sam": the cohort view keeps its search and filters after the "?".
  const [, part = '', arg = ''] = (location.hash.split('?')[0] ?? '').split('/');
  const fallback = me.views.includes('cohort') ? 'cohort' : me.views.includes('digest') ? 'digest' : me.views.includes('settings') ? 'settings' : '';
  // A view this person does not have at the school shown (after switching school, say) falls back to their first.
  const here = part === 'child' || (me.views as string[]).includes(part) ? part : fallback;
  renderNav(me.views, here === 'child' ? 'cohort' : here);
  if (here === 'child') return chronologyView(session, decodeURIComponent(arg), cohortAddress());
  if (here === 'cohort' && me.views.includes('cohort')) return cohortView(session);
  if (here === 'actions' && me.views.includes('actions')) return actionsView(session);
  if (here === 'digest' && me.views.includes('digest')) return digestView(session);
  if (here === 'importRegister' && me.views.includes('importRegister')) return registerView(session);
  if (here === 'settings' && me.views.includes('settings')) return settingsView(session);
  setStatus('');
  show(
    el(
      'p',
      { class: 'notice' },
      'This dashboard is for the DSL, deputy DSLs, the Designated Teacher and the headteacher. To raise a concern about a child, message the bot in Teams: it walks you through it in under a minute.',
    ),
  );
}

/** The header: the school shown, who is signed in, and a school switcher for someone with several schools. */
function applyMe(session: Session, me: Me): void {
  current = me;
  session.school = me.school?.id;
  byId('title').textContent = me.school?.name ?? me.trusts[0]?.name ?? 'Children with a social worker';
  byId('who').textContent = `${me.name}: ${me.roles.join(', ') || 'no role here'}${me.signIn === 'development' ? ' (development sign-in)' : ''}`;
  const switcher = byId('school-switch');
  const select = byId<HTMLSelectElement>('school-select');
  switcher.hidden = me.schools.length < 2;
  select.replaceChildren(...me.schools.map((s) => el('option', { value: s.id }, s.name)));
  if (me.school) select.value = me.school.id;
}

async function refreshMe(session: Session, school: string | undefined): Promise<boolean> {
  const res = await session.get<Me>(school ? `/api/tab/me?school=${encodeURIComponent(school)}` : '/api/tab/me', { noSchool: true });
  if (!res.ok) {
    showError(res.message);
    return false;
  }
  applyMe(session, res.data);
  return true;
}

/** The school last chosen in this browser tab, so reloading the page keeps it (the server still checks it is theirs). */
const remembered = {
  get(): string | undefined {
    try {
      return sessionStorage.getItem('school') ?? undefined;
    } catch {
      return undefined;
    }
  },
  set(school: string): void {
    try {
      sessionStorage.setItem('school', school);
    } catch {
      // Storage can be unavailable in a framed page; the choice then lasts until the page is reloaded.
    }
  },
};

async function main(): Promise<void> {
  applyTheme(new URLSearchParams(location.search).get('theme') ?? undefined);
  let token: string | undefined;
  try {
    token = (await signInWithTeams()) ?? (await signInForDevelopment());
  } catch (err) {
    return showError(err instanceof Error ? err.message : 'Sign-in failed.');
  }
  if (!token) return showError('Open this dashboard from the app in Microsoft Teams.');
  byId('dev').hidden = true;
  const session = new Session(token);
  // A school remembered from before (perhaps someone else's sign-in, or no longer theirs) falls back to their first.
  const before = remembered.get();
  if (!(before && (await refreshMe(session, before))) && !(await refreshMe(session, undefined))) return;
  if (!current) return;
  byId<HTMLSelectElement>('school-select').addEventListener('change', async (event) => {
    const chosen = (event.target as HTMLSelectElement).value;
    if (!(await refreshMe(session, chosen)) || !current) return;
    remembered.set(chosen);
    await route(session, current);
    setStatus(`Now showing ${current.school?.name ?? 'your trust'}.`);
  });
  window.addEventListener('hashchange', () => {
    if (current) void route(session, current);
  });
  await route(session, current);
}

void main();
