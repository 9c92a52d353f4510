import { ActionItem, actionForm, dueText, Person } from './actionForm.js';
import { el, formatDay, setStatus, show, showError, table } from './dom.js';
import { Session } from './session.js';

interface ActionsData {
  today: string;
  actions: ActionItem[];
  peps: Array<{ child: { id: string; name: string }; state: string; dueBy: string; lastPep: string | null; words: string }>;
  people: Person[];
}

export function childLink(c: { id: string; name: string } | null, newStarter?: string): Node | string {
  return c ? el('a', { href: `#/child/${encodeURIComponent(c.id)}` }, c.name) : (newStarter ?? 'Not on the register');
}

/** A saved change, said at the top of the view drawn again (focused, so a screen reader reads it). */
export function flash(text: string | undefined): HTMLElement | null {
  return text ? el('p', { class: 'notice flash', role: 'status', tabindex: '-1', id: 'flash' }, text) : null;
}

/** Open actions (each with "Mark done or give to someone" for those who may) and the PEPs of children in care. */
export async function actionsView(session: Session, saved?: string): Promise<void> {
  setStatus('Loading actions…');
  const res = await session.get<ActionsData>('/api/tab/actions');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const { actions, peps, people } = res.data;
  const reload = (summary: string) => actionsView(session, summary);
  show(
    el('h2', {}, 'Actions and PEPs'),
    flash(saved),
    actions.length
      ? table(
          `Open actions (${actions.length})`,
          ['Due', 'Action', 'Who', 'Child', 'Concern', 'Update'],
          actions.map((a) => [dueText(a), a.label, a.owner, childLink(a.child, a.newStarter), a.ref, a.mayChange ? actionForm(session, a, people, reload) : 'Not yours to change']),
          { notPrinted: ['Update'] },
        )
      : el('p', { class: 'notice' }, 'No open actions.'),
    peps.length
      ? table(
          `Personal education plans (PEPs) for children in care (${peps.length})`,
          ['Child', 'PEP', 'Last meeting'],
          peps.map((p) => [childLink(p.child), el('span', { class: p.state === 'overdue' ? 'overdue' : p.state === 'ok' ? 'ok' : '' }, p.words), p.lastPep ? formatDay(p.lastPep) : 'None recorded']),
        )
      : el('p', {}, 'No children in care on the register.'),
  );
  if (saved) document.getElementById('flash')?.focus();
}
