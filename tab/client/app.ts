/**
 * The dashboard tab in the browser. Plain DOM (every text set with textContent, never as HTML, so
 * nothing typed by staff or imported from the register can run as markup). Signs in with Teams
 * single sign-on; outside Teams, in local mode only, with the development sign-in.
 */
export {};

type TeamsJs = typeof import('@microsoft/teams-js');

type Theme = 'default' | 'dark' | 'contrast';
type View = 'cohort' | 'chronology' | 'actions' | 'digest' | 'importRegister';

interface Me {
  name: string;
  school: { id: string; name: string };
  roles: string[];
  views: View[];
  signIn: 'entra' | 'development';
}

interface ApiError {
  error: string;
}

class Session {
  constructor(private readonly token: string) {}

  async get<T>(path: string): Promise<{ ok: true; data: T } | { ok: false; status: number; message: string }> {
    return this.call<T>(path, { method: 'GET' });
  }

  async post<T>(path: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; status: number; message: string }> {
    return this.call<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  }

  private async call<T>(path: string, init: RequestInit): Promise<{ ok: true; data: T } | { ok: false; status: number; message: string }> {
    let res: Response;
    try {
      res = await fetch(path, { ...init, headers: { ...(init.headers ?? {}), Authorization: `Bearer ${this.token}` } });
    } catch {
      return { ok: false, status: 0, message: 'The dashboard could not reach the server. Check your connection and try again.' };
    }
    const body: unknown = await res.json().catch(() => ({}));
    if (res.ok) return { ok: true, data: body as T };
    const message = typeof body === 'object' && body !== null && 'error' in body ? String((body as ApiError).error) : `Something went wrong (${res.status}).`;
    return { ok: false, status: res.status, message };
  }
}

// ---- small DOM helpers -------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string | null | undefined>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node as T;
}

function setStatus(text: string): void {
  byId('status').textContent = text;
}

function show(...nodes: Node[]): void {
  const view = byId('view');
  view.replaceChildren(...nodes);
}

function showError(message: string): void {
  setStatus('');
  show(el('p', { class: 'error', role: 'alert' }, message));
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** "2026-11-23" is a date in school (London), not an instant. */
function formatDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

function formatInstant(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : dateTimeFormat.format(t);
}

function table(caption: string, headers: string[], rows: Array<Array<Node | string>>): HTMLTableElement {
  return el(
    'table',
    { class: 'responsive' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c, i) => el('td', { 'data-label': headers[i] ?? '' }, c))))),
  );
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
};

interface CohortChild {
  id: string;
  name: string;
  yearGroup: string;
  statuses: string[];
  nextDeadline?: { date: string; ref: string; overdue: boolean; statutory: boolean };
  pep?: { state: string; dueBy: string };
}

const PEP_STATE: Record<string, string> = {
  ok: 'Up to date',
  dueThisTerm: 'Due this term',
  dueSoon: 'Due soon',
  newPepDue: 'New PEP due',
  overdue: 'Overdue',
};

async function cohortView(session: Session): Promise<void> {
  setStatus('Loading the cohort…');
  const res = await session.get<{ today: string; children: CohortChild[] }>('/api/tab/cohort');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const { children } = res.data;
  if (children.length === 0) return show(el('h2', {}, 'Children'), el('p', { class: 'notice' }, 'No children in the cohort are yours to see yet.'));
  const rows = children.map((c) => [
    el('a', { href: `#/child/${encodeURIComponent(c.id)}` }, c.name),
    `Year ${c.yearGroup}`,
    el('span', {}, ...c.statuses.map((s) => el('span', { class: 'tag' }, s))),
    c.nextDeadline
      ? el('span', { class: c.nextDeadline.overdue ? 'overdue' : '' }, `${c.nextDeadline.overdue ? 'Overdue: ' : ''}${formatDay(c.nextDeadline.date)} (${c.nextDeadline.ref})`)
      : 'None open',
    c.pep ? el('span', { class: c.pep.state === 'overdue' ? 'overdue' : '' }, `${PEP_STATE[c.pep.state] ?? c.pep.state}, by ${formatDay(c.pep.dueBy)}`) : '—',
  ]);
  show(el('h2', {}, 'Children'), table(`Children in the cohort (${children.length})`, ['Child', 'Year', 'Status', 'Next deadline', 'PEP'], rows));
}

interface Chronology {
  child: { id: string; name: string; yearGroup: string; statuses: string[]; keyAdult: string | null; socialWorker: { name: string; organisation: string | null } | null; attendancePercent: number | null };
  cases: Array<{ ref: string; title: string; raisedAt: string; raisedBy: string; status: string; summary: Array<{ label: string; value: string }>; decision?: { outcome: string; by: string; at: string; reason?: string } }>;
  openActions: Array<{ ref: string; label: string; owner: string; deadline: string; statutory: boolean; overdue: boolean }>;
  events: Array<{ at: string; by: string; text: string; ref?: string; kind: string }>;
  viewers: Array<{ name: string; at: string }>;
}

function facts(pairs: Array<[string, string]>): HTMLDListElement {
  return el('dl', { class: 'facts' }, ...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

async function chronologyView(session: Session, pupilId: string): Promise<void> {
  setStatus('Opening the record…');
  const res = await session.get<Chronology>(`/api/tab/pupils/${encodeURIComponent(pupilId)}`);
  if (!res.ok) return showError(res.message);
  setStatus('');
  const { child, cases, openActions, events, viewers } = res.data;
  const details: Array<[string, string]> = [
    ['Year', child.yearGroup],
    ['Status', child.statuses.join('; ') || 'None recorded'],
    ['Key adult', child.keyAdult ?? 'Not recorded'],
    ['Social worker', child.socialWorker ? `${child.socialWorker.name}${child.socialWorker.organisation ? `, ${child.socialWorker.organisation}` : ''}` : 'Not recorded'],
    ['Attendance this year', child.attendancePercent === null ? 'Not known' : `${child.attendancePercent}%`],
  ];
  const caseCards = cases.map((c) =>
    el(
      'article',
      { class: 'card' },
      el('h4', {}, `${c.title} ${c.ref}`),
      el('p', { class: 'meta' }, `Raised by ${c.raisedBy}, ${formatInstant(c.raisedAt)}. ${c.status === 'open' ? 'Open.' : 'Closed.'}`),
      facts(c.summary.map((r) => [r.label, r.value])),
      c.decision ? el('p', {}, `Decision: ${c.decision.outcome} by ${c.decision.by}, ${formatInstant(c.decision.at)}${c.decision.reason ? `. Reason: ${c.decision.reason}` : ''}`) : null,
    ),
  );
  show(
    el('p', {}, el('a', { href: '#/cohort' }, 'Back to the children')),
    el('h2', {}, child.name),
    facts(details),
    el('h3', {}, 'Open actions'),
    openActions.length
      ? table(
          'Open actions for this child',
          ['Action', 'Who', 'Due', 'Concern'],
          openActions.map((a) => [a.label, a.owner, el('span', { class: a.overdue ? 'overdue' : '' }, `${a.overdue ? 'Overdue: ' : ''}${formatDay(a.deadline)}${a.statutory ? ' (statutory)' : ''}`), a.ref]),
        )
      : el('p', {}, 'None open.'),
    el('h3', {}, `Concerns (${cases.length})`),
    ...(caseCards.length ? caseCards : [el('p', {}, 'No concerns raised through the bot.')]),
    el('h3', {}, 'Chronology'),
    el(
      'ol',
      { class: 'timeline' },
      ...events.map((e) => el('li', { class: e.kind }, el('span', {}, e.text), el('br'), el('span', { class: 'meta' }, `${formatInstant(e.at)}, ${e.by}${e.ref ? `, ${e.ref}` : ''}`))),
    ),
    el('h3', {}, 'Who has opened this record'),
    el('ul', {}, ...viewers.map((v) => el('li', {}, `${v.name}, ${formatInstant(v.at)}`))),
  );
  byId('main').focus();
}

interface ActionsData {
  today: string;
  actions: Array<{ ref: string; child: { id: string; name: string } | null; label: string; owner: string; deadline: string; overdue: boolean; statutory: boolean }>;
  peps: Array<{ child: { id: string; name: string }; state: string; dueBy: string; lastPep: string | null }>;
}

async function actionsView(session: Session): Promise<void> {
  setStatus('Loading actions…');
  const res = await session.get<ActionsData>('/api/tab/actions');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const { actions, peps } = res.data;
  const childLink = (c: { id: string; name: string } | null) => (c ? el('a', { href: `#/child/${encodeURIComponent(c.id)}` }, c.name) : 'Not on the register');
  show(
    el('h2', {}, 'Actions and PEPs'),
    actions.length
      ? table(
          `Open actions (${actions.length})`,
          ['Due', 'Action', 'Who', 'Child', 'Concern'],
          actions.map((a) => [el('span', { class: a.overdue ? 'overdue' : '' }, `${a.overdue ? 'Overdue: ' : ''}${formatDay(a.deadline)}${a.statutory ? ' (statutory)' : ''}`), a.label, a.owner, childLink(a.child), a.ref]),
        )
      : el('p', { class: 'notice' }, 'No open actions.'),
    peps.length
      ? table(
          `Personal education plans (PEPs) for children in care (${peps.length})`,
          ['Child', 'PEP', 'Due by', 'Last meeting'],
          peps.map((p) => [childLink(p.child), el('span', { class: p.state === 'overdue' ? 'overdue' : p.state === 'ok' ? 'ok' : '' }, PEP_STATE[p.state] ?? p.state), formatDay(p.dueBy), p.lastPep ? formatDay(p.lastPep) : 'None recorded']),
        )
      : el('p', {}, 'No children in care on the register.'),
  );
}

interface Count {
  value: number | null;
  display: string;
  suppressed: boolean;
}

interface DigestData {
  schoolName: string;
  weekOf: string;
  cohort: { cla: Count; cpla: Count; cwswCurrent: Count; cwswPast: Count; kinship: Count; total: Count; onRoll: number };
  newCases: { attendance: Count; suspension: Count; admission: Count; total: number };
  awaitingDecision: Array<{ ref: string; detail: string }>;
  overdue: Array<{ ref: string; detail: string }>;
  dueSoon: Array<{ ref: string; detail: string }>;
  peps: { due: Count; overdue: Count };
  attendance: { cohortAverage?: number; schoolAverage?: number; persistent: Count; severe: Count; withFigures: number };
  suspensions: { count: Count; days: number; repeatedChildren: Count; permanent: Count };
  admissionsInTransition: Count;
}

/** A labelled bar per figure; the number is always in text too, so the chart is never the only way to read it. */
function barChart(title: string, rows: Array<{ label: string; value: number | null; display: string; alt?: boolean }>, max?: number): HTMLElement {
  const top = max ?? Math.max(1, ...rows.map((r) => r.value ?? 0));
  return el(
    'figure',
    { class: 'chart' },
    el('figcaption', {}, el('strong', {}, title)),
    ...rows.map((r) => {
      const bar = el('div', { class: r.alt ? 'bar alt' : 'bar' });
      // Set through the CSSOM, which the Content-Security-Policy allows (inline style attributes it does not).
      bar.style.width = `${r.value === null ? 0 : Math.min(100, (r.value / top) * 100)}%`;
      return el('div', { class: 'bar-row' }, el('span', {}, r.label), el('div', { class: 'bar-track', 'aria-hidden': 'true' }, bar), el('span', {}, r.display));
    }),
  );
}

function countRow(label: string, c: Count, alt = false) {
  return { label, value: c.suppressed ? null : c.value, display: c.display, alt };
}

function refList(title: string, items: Array<{ ref: string; detail: string }>): HTMLElement {
  return el('section', {}, el('h3', {}, `${title} (${items.length})`), items.length ? el('ul', {}, ...items.map((i) => el('li', {}, `${i.ref}: ${i.detail}`))) : el('p', {}, 'None.'));
}

async function digestView(session: Session): Promise<void> {
  setStatus('Loading this week’s figures…');
  const res = await session.get<DigestData>('/api/tab/digest');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const d = res.data;
  const pct = (n: number | undefined) => (n === undefined ? { value: null, display: 'not shown (too few)' } : { value: n, display: `${n}%` });
  show(
    el('h2', {}, `Week of ${formatDay(d.weekOf)}`),
    el('p', { class: 'meta' }, 'Numbers only, as posted to the senior leadership team. Groups of 1 or 2 children are shown as “fewer than 3”.'),
    el(
      'div',
      { class: 'grid' },
      barChart(`Children on roll by status (${d.cohort.total.display} of ${d.cohort.onRoll})`, [
        countRow('In care', d.cohort.cla),
        countRow('Previously in care', d.cohort.cpla),
        countRow('Social worker now', d.cohort.cwswCurrent),
        countRow('Social worker in the past', d.cohort.cwswPast),
        countRow('Kinship care', d.cohort.kinship),
      ]),
      barChart(`New concerns this week (${d.newCases.total})`, [
        countRow('Attendance', d.newCases.attendance, true),
        countRow('Suspension risk', d.newCases.suspension, true),
        countRow('New admission', d.newCases.admission, true),
      ]),
      barChart(
        'Attendance this year',
        [
          { label: 'Children in the cohort', ...pct(d.attendance.cohortAverage) },
          { label: 'Whole school', ...pct(d.attendance.schoolAverage), alt: true },
        ],
        100,
      ),
      barChart('Suspensions this term', [countRow('Suspensions', d.suspensions.count), countRow('Children suspended more than once', d.suspensions.repeatedChildren), countRow('Permanent exclusions', d.suspensions.permanent)]),
    ),
    facts([
      ['Persistent absence (cohort)', d.attendance.persistent.display],
      ['Severe absence (cohort)', d.attendance.severe.display],
      ['Suspension days this term', String(d.suspensions.days)],
      ['PEPs due', d.peps.due.display],
      ['PEPs overdue', d.peps.overdue.display],
      ['Admissions in transition', d.admissionsInTransition.display],
    ]),
    refList('Waiting for a decision', d.awaitingDecision),
    refList('Overdue', d.overdue),
    refList('Due in the next week', d.dueSoon),
  );
}

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

// ---- navigation --------------------------------------------------------------------------

function renderNav(views: View[], current: string): void {
  const nav = byId('nav');
  const items = (Object.keys(VIEW_TITLES) as Array<keyof typeof VIEW_TITLES>).filter((v) => views.includes(v));
  nav.replaceChildren(...items.map((v) => el('a', { href: `#/${v}`, ...(current === v ? { 'aria-current': 'page' } : {}) }, VIEW_TITLES[v])));
  nav.hidden = items.length === 0;
}

async function route(session: Session, me: Me): Promise<void> {
  const [, section = '', arg = ''] = location.hash.split('/');
  const fallback = me.views.includes('cohort') ? 'cohort' : me.views.includes('digest') ? 'digest' : '';
  const current = section || fallback;
  renderNav(me.views, current === 'child' ? 'cohort' : current);
  if (current === 'child') return chronologyView(session, decodeURIComponent(arg));
  if (current === 'cohort' && me.views.includes('cohort')) return cohortView(session);
  if (current === 'actions' && me.views.includes('actions')) return actionsView(session);
  if (current === 'digest' && me.views.includes('digest')) return digestView(session);
  if (current === 'importRegister' && me.views.includes('importRegister')) return registerView(session);
  setStatus('');
  show(
    el(
      'p',
      { class: 'notice' },
      'This dashboard is for the DSL, deputy DSLs, the Designated Teacher and the headteacher. To raise a concern about a child, message the bot in Teams: it walks you through it in under a minute.',
    ),
  );
}

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
  const me = await session.get<Me>('/api/tab/me');
  if (!me.ok) return showError(me.message);
  byId('title').textContent = me.data.school.name;
  byId('who').textContent = `${me.data.name}: ${me.data.roles.join(', ')}${me.data.signIn === 'development' ? ' (development sign-in)' : ''}`;
  window.addEventListener('hashchange', () => void route(session, me.data));
  await route(session, me.data);
}

void main();
