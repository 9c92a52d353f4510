import { ActionItem, actionForm, dueText, Person } from './actionForm.js';
import { flash } from './actionsView.js';
import { byId, el, facts, formatDay, formatInstant, setStatus, show, showError, table } from './dom.js';
import { Session } from './session.js';

type Kind = 'case' | 'decision' | 'notification' | 'action' | 'problem' | 'pep' | 'access';

interface ChronologyEvent {
  at: string;
  by: string;
  text: string;
  ref?: string;
  kind: Kind;
  note?: string;
}

interface Chronology {
  child: { id: string; name: string; yearGroup: string; statuses: string[]; keyAdult: string | null; socialWorker: { name: string; organisation: string | null } | null; attendancePercent: number | null };
  cases: Array<{ ref: string; title: string; raisedAt: string; raisedBy: string; status: string; summary: Array<{ label: string; value: string }>; decision?: { outcome: string; by: string; at: string; reason?: string } }>;
  openActions: ActionItem[];
  /** Newest first. */
  events: ChronologyEvent[];
  viewers: Array<{ name: string; at: string; what: string }>;
  people: Person[];
}

/** The kinds of event, as the filter names them (the server's KIND_LABEL, tab/server/chronology.ts). */
const KINDS: ReadonlyArray<readonly [Kind, string]> = [
  ['case', 'Concerns'],
  ['decision', 'Decisions'],
  ['notification', 'Who was told'],
  ['action', 'Actions'],
  ['problem', 'Problems'],
  ['pep', 'PEP meetings'],
  ['access', 'Openings of the record'],
];

/** A PEP meeting is a date in school; everything else happened at an instant. */
function when(e: ChronologyEvent): string {
  return e.kind === 'pep' ? formatDay(e.at.slice(0, 10)) : formatInstant(e.at);
}

function eventItem(e: ChronologyEvent): HTMLLIElement {
  return el(
    'li',
    { class: e.kind },
    el('span', {}, e.text),
    e.note ? el('span', { class: 'note' }, `Note: ${e.note}`) : null,
    el('span', { class: 'meta' }, `${when(e)}, ${e.by}${e.ref ? `, ${e.ref}` : ''}`),
  );
}

/** The chronology, newest first, with a filter by kind of event; the count is announced as the filter changes. */
function timeline(events: readonly ChronologyEvent[]): HTMLElement {
  const present = KINDS.filter(([k]) => events.some((e) => e.kind === k));
  const boxes = present.map(([kind, label]) => {
    const box = el('input', { type: 'checkbox', id: `kind-${kind}`, value: kind });
    box.checked = true;
    return { kind, box, node: el('div', { class: 'choice' }, box, el('label', { for: box.id }, `${label} (${events.filter((e) => e.kind === kind).length})`)) };
  });
  const count = el('p', { class: 'meta', role: 'status', 'aria-live': 'polite', id: 'chronology-count' });
  const list = el('ol', { class: 'timeline', 'aria-labelledby': 'chronology-title' });
  const render = () => {
    const shown = new Set(boxes.filter((b) => b.box.checked).map((b) => b.kind));
    const items = events.filter((e) => shown.has(e.kind));
    list.replaceChildren(...items.map(eventItem));
    const hidden = boxes.filter((b) => !b.box.checked).map((b) => KINDS.find(([k]) => k === b.kind)?.[1].toLowerCase() ?? b.kind);
    count.textContent = `Showing ${items.length} of ${events.length} events, newest first${hidden.length ? `; hidden: ${hidden.join(', ')}` : ''}.`;
  };
  for (const b of boxes) b.box.addEventListener('change', render);
  const all = el('button', { type: 'button' }, 'Show everything');
  all.addEventListener('click', () => {
    for (const b of boxes) b.box.checked = true;
    render();
  });
  render();
  return el(
    'section',
    { 'aria-labelledby': 'chronology-title' },
    el('h3', { id: 'chronology-title' }, 'Chronology'),
    el('fieldset', { class: 'filters kinds' }, el('legend', {}, 'Show'), el('div', { class: 'choices' }, ...boxes.map((b) => b.node)), el('p', { class: 'actions' }, all)),
    count,
    events.length ? list : el('p', {}, 'Nothing recorded yet.'),
  );
}

/** Print and PDF: the child protection file goes to the next school's DSL when a child moves (KCSIE). */
function sendOn(session: Session, child: Chronology['child']): HTMLElement {
  const result = el('div', { 'aria-live': 'polite' });
  const print = el('button', { type: 'button' }, 'Print');
  print.addEventListener('click', () => window.print());
  const pdf = el('button', { type: 'button', class: 'primary' }, 'Download as PDF');
  pdf.addEventListener('click', async () => {
    pdf.disabled = true;
    result.replaceChildren(el('p', {}, 'Making the PDF…'));
    const res = await session.download(`/api/tab/pupils/${encodeURIComponent(child.id)}/chronology.pdf`);
    pdf.disabled = false;
    result.replaceChildren(
      res.ok
        ? el('p', { class: 'notice', role: 'status' }, `Downloaded ${res.data}. The export is in the record’s list of who opened it, with your name.`)
        : el('p', { class: 'error', role: 'alert' }, res.message),
    );
  });
  return el(
    'section',
    { class: 'send-on no-print', 'aria-labelledby': 'send-on-title' },
    el('h3', { id: 'send-on-title' }, 'Print or export'),
    el('p', { class: 'meta' }, 'When a child moves school, the child protection file goes to the new school’s DSL, securely and separately from the main pupil file. The PDF has the whole record, newest first; printing prints what is shown.'),
    el('p', { class: 'actions' }, print, ' ', pdf),
    result,
  );
}

/** One child's record: details, open actions (with their update forms), concerns, the chronology, and who has opened it. */
export async function chronologyView(session: Session, pupilId: string, back: string, saved?: string): Promise<void> {
  setStatus('Opening the record…');
  const res = await session.get<Chronology>(`/api/tab/pupils/${encodeURIComponent(pupilId)}`);
  if (!res.ok) return showError(res.message);
  setStatus('');
  const { child, cases, openActions, events, viewers, people } = res.data;
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
  const reload = (summary: string) => chronologyView(session, pupilId, back, summary);
  show(
    el('p', { class: 'no-print' }, el('a', { href: back }, 'Back to the children')),
    el('h2', {}, child.name),
    el('p', { class: 'print-only' }, 'Confidential: part of this child’s child protection file.'),
    flash(saved),
    facts(details),
    sendOn(session, child),
    el('h3', {}, 'Open actions'),
    openActions.length
      ? table(
          'Open actions for this child',
          ['Due', 'Action', 'Who', 'Concern', 'Update'],
          openActions.map((a) => [dueText(a), a.label, a.owner, a.ref, a.mayChange ? actionForm(session, a, people, reload) : 'Not yours to change']),
          { notPrinted: ['Update'] },
        )
      : el('p', {}, 'None open.'),
    el('h3', {}, `Concerns (${cases.length})`),
    ...(caseCards.length ? caseCards : [el('p', {}, 'No concerns raised through the bot.')]),
    timeline(events),
    el('h3', {}, 'Who has opened this record'),
    el('ul', {}, ...viewers.map((v) => el('li', {}, `${v.name}, ${formatInstant(v.at)}: ${v.what.toLowerCase()}`))),
  );
  if (saved) document.getElementById('flash')?.focus();
  else byId('main').focus();
}
