import {
  ACTIONS_FILTER,
  applyQuery,
  CohortChild,
  CohortQuery,
  describeQuery,
  hashFromQuery,
  PEP_FILTER,
  queryFromHash,
  SORTS,
  STATUS_FILTER,
  yearGroups,
  yearLabel,
} from './cohortFilter.js';
import { el, formatDay, labelled, select, setStatus, show, showError } from './dom.js';
import { Session } from './session.js';

/** The list as last shown, with its search and filters: where a child's "Back to the children" goes. */
let lastShown = '#/cohort';

export function cohortAddress(): string {
  return lastShown;
}

const HEADERS = ['Child', 'Year', 'Status', 'Attendance', 'Actions', 'Next deadline', 'PEP'] as const;
/** Which column each sort orders, for the header's aria-sort (every sort is ascending: lowest attendance, soonest deadline first). */
const SORTED_COLUMN: Record<CohortQuery['sort'], (typeof HEADERS)[number]> = { name: 'Child', year: 'Year', attendance: 'Attendance', deadline: 'Next deadline' };

function row(c: CohortChild): HTMLTableRowElement {
  const cells: Array<Node | string> = [
    el('a', { href: `#/child/${encodeURIComponent(c.id)}` }, c.name),
    yearLabel(c.yearGroup),
    el('span', {}, ...c.statuses.map((s) => el('span', { class: 'tag' }, s))),
    c.attendancePercent === null ? 'Not known' : `${c.attendancePercent}%`,
    c.openActions === 0 ? 'None open' : el('span', { class: c.overdueActions > 0 ? 'overdue' : '' }, `${c.openActions} open${c.overdueActions > 0 ? `, ${c.overdueActions} overdue` : ''}`),
    c.nextDeadline
      ? el('span', { class: c.nextDeadline.overdue ? 'overdue' : '' }, `${c.nextDeadline.overdue ? 'Overdue since ' : ''}${formatDay(c.nextDeadline.date)} (${c.nextDeadline.ref})`)
      : 'None open',
    c.pep ? el('span', { class: c.pep.state === 'overdue' ? 'overdue' : c.pep.state === 'ok' ? 'ok' : '' }, c.pep.words) : 'Not in care',
  ];
  return el('tr', {}, ...cells.map((cell, i) => el('td', { 'data-label': HEADERS[i] ?? '' }, cell)));
}

function results(children: readonly CohortChild[], shown: readonly CohortChild[], q: CohortQuery): Node {
  if (shown.length === 0) return el('p', { class: 'notice' }, 'No child matches. Clear a filter or the search to see more.');
  return el(
    'table',
    { class: 'responsive' },
    el('caption', {}, `Children in the cohort: ${describeQuery(shown.length, children.length, q)}`),
    el('thead', {}, el('tr', {}, ...HEADERS.map((h) => el('th', { scope: 'col', ...(SORTED_COLUMN[q.sort] === h ? { 'aria-sort': 'ascending' } : {}) }, h)))),
    el('tbody', {}, ...shown.map(row)),
  );
}

/**
 * The children this person may open: search by name, filter by status, year group, actions and
 * PEP, sort by name, year, attendance or the next deadline. The form filters as it is used (no
 * button to find), the result count is announced, and the query stays in the address.
 */
export async function cohortView(session: Session): Promise<void> {
  setStatus('Loading the cohort…');
  const res = await session.get<{ today: string; children: CohortChild[] }>('/api/tab/cohort');
  if (!res.ok) return showError(res.message);
  setStatus('');
  const { children } = res.data;
  if (children.length === 0) return show(el('h2', {}, 'Children'), el('p', { class: 'notice' }, 'No children in the cohort are yours to see yet.'));

  const q = queryFromHash(location.hash);
  const search = el('input', { id: 'cohort-search', type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: '100' });
  search.value = q.search;
  const status = select('cohort-status', [['', 'Any status'], ...STATUS_FILTER], q.status);
  const year = select('cohort-year', [['', 'Any year'], ...yearGroups(children).map((y) => [y, yearLabel(y)] as const)], q.year);
  const actions = select('cohort-actions', [['', 'Any'], ...ACTIONS_FILTER], q.actions);
  const pep = select('cohort-pep', [['', 'Any'], ...PEP_FILTER], q.pep);
  const sort = select('cohort-sort', SORTS, q.sort);
  const clear = el('button', { type: 'button' }, 'Clear the filters');
  // Heard, not seen: the table's caption says the same on screen.
  const count = el('p', { id: 'cohort-count', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const list = el('div', { id: 'cohort-results' });

  const current = (): CohortQuery => ({
    search: search.value.slice(0, 100),
    status: status.value as CohortQuery['status'],
    year: year.value,
    actions: actions.value as CohortQuery['actions'],
    pep: pep.value as CohortQuery['pep'],
    sort: sort.value as CohortQuery['sort'],
  });
  const render = () => {
    const query = current();
    const shown = applyQuery(children, query);
    list.replaceChildren(results(children, shown, query));
    count.textContent = `Showing ${describeQuery(shown.length, children.length, query)}.`;
    // The address keeps the query (Back from a child's record returns to this list) without reloading the view.
    lastShown = hashFromQuery(query);
    history.replaceState(null, '', lastShown);
  };
  search.addEventListener('input', render);
  for (const control of [status, year, actions, pep, sort]) control.addEventListener('change', render);
  clear.addEventListener('click', () => {
    search.value = '';
    for (const control of [status, year, actions, pep]) control.value = '';
    render();
    search.focus();
  });
  // On a phone the filters fold away under the search box (open when any is in use); on a wider screen they show.
  const summary = el('summary', {});
  const more = el(
    'details',
    { class: 'more-filters' },
    summary,
    el('div', { class: 'form-grid' }, labelled('Status', status), labelled('Year group', year), labelled('Actions', actions), labelled('PEP', pep), labelled('Sort by', sort)),
    el('p', { class: 'actions' }, clear),
  );
  const active = () => [status, year, actions, pep].filter((c) => c.value !== '').length;
  const describeFilters = () => {
    const n = active();
    summary.textContent = n === 0 ? 'Filters and sorting' : `Filters and sorting (${n} in use)`;
  };
  more.open = active() > 0 || matchMedia('(min-width: 40rem)').matches;
  for (const control of [status, year, actions, pep]) control.addEventListener('change', describeFilters);
  clear.addEventListener('click', describeFilters);
  describeFilters();
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Find children' }, labelled('Search by name', search), more);
  // Enter in the search box would submit the form: the list already shows what was typed.
  form.addEventListener('submit', (event) => event.preventDefault());
  show(el('h2', {}, 'Children'), form, count, list);
  render();
}
