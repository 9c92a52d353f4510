import { el, formatDay, labelled } from './dom.js';
import { Session } from './session.js';

/** An open action as the API lists it (tab/server/tabActions.ts, ActionRow). */
export interface ActionItem {
  caseId: string;
  stepId: string;
  ref: string;
  child: { id: string; name: string } | null;
  /** A new starter not on the register yet, in words. */
  newStarter?: string;
  label: string;
  owner: string;
  deadline: string;
  overdue: boolean;
  statutory: boolean;
  mayChange: boolean;
}

export interface Person {
  aadObjectId: string;
  name: string;
  roles: string;
}

const OUTCOMES = [
  ['done', 'Done'],
  ['followUp', 'Done, and more is needed'],
  ['notNeeded', 'Not needed after all'],
] as const;

/** "Overdue since Mon 23 Nov 2026 (statutory)": the words and the date cannot disagree. */
export function dueText(a: Pick<ActionItem, 'deadline' | 'overdue' | 'statutory'>): HTMLElement {
  return el('span', { class: a.overdue ? 'overdue' : '' }, `${a.overdue ? 'Overdue since ' : ''}${formatDay(a.deadline)}${a.statutory ? ' (statutory)' : ''}`);
}

let forms = 0;

/**
 * For one action: mark it done (how it ended, and a note), or give it to someone else. Folded away
 * (a details element: a button to the keyboard and to screen readers) so a list of actions stays
 * short on a phone. `changed` is told the server's summary once a change is saved.
 */
export function actionForm(session: Session, a: ActionItem, people: readonly Person[], changed: (summary: string) => Promise<void>): HTMLElement {
  const n = ++forms;
  const result = el('div', { 'aria-live': 'polite' });
  const fail = (text: string) => result.replaceChildren(el('p', { class: 'error', role: 'alert' }, text));

  const outcomeName = `outcome-${n}`;
  const radios = OUTCOMES.map(([value, text], i) => {
    const input = el('input', { type: 'radio', name: outcomeName, id: `${outcomeName}-${value}`, value });
    if (i === 0) input.checked = true;
    return el('div', { class: 'choice' }, input, el('label', { for: input.id }, text));
  });
  const note = el('textarea', { id: `note-${n}`, rows: '3', maxlength: '1000' });
  const markDone = el('button', { type: 'button', class: 'primary' }, 'Mark done');
  markDone.addEventListener('click', async () => {
    const outcome = (document.querySelector<HTMLInputElement>(`input[name="${outcomeName}"]:checked`)?.value ?? 'done') as (typeof OUTCOMES)[number][0];
    if (outcome !== 'done' && !note.value.trim()) {
      note.focus();
      return fail('Say in the note what was decided and why.');
    }
    markDone.disabled = true;
    result.replaceChildren(el('p', {}, 'Saving…'));
    const res = await session.post<{ summary: string }>('/api/tab/actions/close', { caseId: a.caseId, stepId: a.stepId, outcome, note: note.value });
    markDone.disabled = false;
    if (!res.ok) return fail(res.message);
    await changed(res.data.summary);
  });

  const others = people.filter((p) => p.name !== a.owner);
  const person = el('select', { id: `give-${n}` }, el('option', { value: '' }, 'Choose a person'), ...others.map((p) => el('option', { value: p.aadObjectId }, `${p.name} (${p.roles})`)));
  const give = el('button', { type: 'button' }, 'Give to them');
  give.addEventListener('click', async () => {
    if (!person.value) {
      person.focus();
      return fail('Choose who to give it to first.');
    }
    give.disabled = true;
    result.replaceChildren(el('p', {}, 'Saving…'));
    const res = await session.post<{ summary: string }>('/api/tab/actions/reassign', { caseId: a.caseId, stepId: a.stepId, to: person.value });
    give.disabled = false;
    if (!res.ok) return fail(res.message);
    await changed(res.data.summary);
  });

  return el(
    'details',
    { class: 'action-form' },
    el('summary', {}, 'Mark done or give to someone', el('span', { class: 'visually-hidden' }, `: ${a.label}${a.child ? `, ${a.child.name}` : a.newStarter ? `, ${a.newStarter}` : ''}`)),
    el(
      'fieldset',
      {},
      el('legend', {}, 'Mark done'),
      el('div', { role: 'radiogroup', 'aria-label': 'How it ended' }, ...radios),
      labelled('Note', note, 'What happened. Needed unless it was simply done. Kept in the chronology for the DSL and DT.'),
      el('p', { class: 'actions' }, markDone),
    ),
    others.length > 0 ? el('fieldset', {}, el('legend', {}, 'Give to someone else'), labelled('Person', person, 'Reminders go to them from now on.'), el('p', { class: 'actions' }, give)) : null,
    result,
  );
}
