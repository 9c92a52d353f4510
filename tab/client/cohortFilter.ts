/**
 * The cohort list's search, filters and sorting: pure functions of the list the server sent (only
 * children this person may open), so the page answers as they type and a test can check them.
 */

export type StatusKind = 'inCare' | 'previouslyInCare' | 'socialWorkerNow' | 'socialWorkerPast' | 'kinship';
export type PepState = 'ok' | 'dueThisTerm' | 'dueSoon' | 'newPepDue' | 'overdue';

export interface CohortChild {
  id: string;
  name: string;
  familyName: string;
  yearGroup: string;
  statuses: string[];
  kinds: StatusKind[];
  attendancePercent: number | null;
  openActions: number;
  overdueActions: number;
  nextDeadline?: { date: string; ref: string; overdue: boolean; statutory: boolean };
  pep?: { state: PepState; dueBy: string; words: string };
}

export const STATUS_FILTER: ReadonlyArray<readonly [StatusKind, string]> = [
  ['inCare', 'In care'],
  ['previouslyInCare', 'Previously in care'],
  ['socialWorkerNow', 'Social worker now'],
  ['socialWorkerPast', 'Social worker in the past'],
  ['kinship', 'Kinship care'],
];

export const ACTIONS_FILTER = [
  ['open', 'With open actions'],
  ['overdue', 'With overdue actions'],
  ['none', 'With no open actions'],
] as const;

export const PEP_FILTER = [
  ['overdue', 'PEP overdue'],
  ['due', 'PEP due (this term, soon or new)'],
  ['ok', 'PEP up to date'],
  ['none', 'No PEP (not in care)'],
] as const;

export const SORTS = [
  ['deadline', 'Next deadline'],
  ['name', 'Family name'],
  ['year', 'Year group'],
  ['attendance', 'Lowest attendance'],
] as const;

export interface CohortQuery {
  search: string;
  status: StatusKind | '';
  year: string;
  actions: (typeof ACTIONS_FILTER)[number][0] | '';
  pep: (typeof PEP_FILTER)[number][0] | '';
  sort: (typeof SORTS)[number][0];
}

export const NO_QUERY: CohortQuery = { search: '', status: '', year: '', actions: '', pep: '', sort: 'deadline' };

/** Lower case, accents removed, so "zoe" finds Zoë. */
function normalise(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9' -]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Every word typed must start one of the child's names ("sam th" finds Sam Thistlewood). */
export function matchesName(name: string, search: string): boolean {
  const words = normalise(search).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const names = normalise(name).split(/[ -]/).filter(Boolean);
  return words.every((w) => names.some((n) => n.startsWith(w)));
}

/** School order: nursery, reception, then years 1 to 13. */
export function yearRank(year: string): number {
  if (year === 'N') return -2;
  if (year === 'R') return -1;
  const n = Number(year);
  return Number.isFinite(n) ? n : 99;
}

export function yearLabel(year: string): string {
  return year === 'N' ? 'Nursery' : year === 'R' ? 'Reception' : `Year ${year}`;
}

/** The year groups present, in school order. */
export function yearGroups(children: readonly CohortChild[]): string[] {
  return [...new Set(children.map((c) => c.yearGroup))].sort((a, b) => yearRank(a) - yearRank(b));
}

function pepMatches(child: CohortChild, pep: CohortQuery['pep']): boolean {
  const state = child.pep?.state;
  switch (pep) {
    case '':
      return true;
    case 'none':
      return state === undefined;
    case 'overdue':
      return state === 'overdue';
    case 'ok':
      return state === 'ok';
    case 'due':
      return state === 'dueThisTerm' || state === 'dueSoon' || state === 'newPepDue';
  }
}

function actionsMatch(child: CohortChild, actions: CohortQuery['actions']): boolean {
  switch (actions) {
    case '':
      return true;
    case 'open':
      return child.openActions > 0;
    case 'overdue':
      return child.overdueActions > 0;
    case 'none':
      return child.openActions === 0;
  }
}

const byName = (a: CohortChild, b: CohortChild) => a.familyName.localeCompare(b.familyName, 'en-GB') || a.name.localeCompare(b.name, 'en-GB');

const SORTERS: Record<CohortQuery['sort'], (a: CohortChild, b: CohortChild) => number> = {
  name: byName,
  year: (a, b) => yearRank(a.yearGroup) - yearRank(b.yearGroup) || byName(a, b),
  // Lowest first: the children whose attendance is a worry come to the top; unknown figures last.
  attendance: (a, b) => (a.attendancePercent ?? Infinity) - (b.attendancePercent ?? Infinity) || byName(a, b),
  // Soonest (so overdue) first; no open deadline last.
  deadline: (a, b) => (a.nextDeadline?.date ?? '9999-12-31').localeCompare(b.nextDeadline?.date ?? '9999-12-31') || byName(a, b),
};

export function applyQuery(children: readonly CohortChild[], q: CohortQuery): CohortChild[] {
  return children
    .filter((c) => matchesName(c.name, q.search))
    .filter((c) => q.status === '' || c.kinds.includes(q.status))
    .filter((c) => q.year === '' || c.yearGroup === q.year)
    .filter((c) => actionsMatch(c, q.actions))
    .filter((c) => pepMatches(c, q.pep))
    .sort(SORTERS[q.sort]);
}

const oneOf = <T extends string>(value: string | null, allowed: ReadonlyArray<readonly [T, string]>): T | '' => allowed.find(([v]) => v === value)?.[0] ?? '';

/** The query kept in the page's address ("#/cohort?q=sam&pep=overdue"), so Back from a child returns to the same list. */
export function queryFromHash(hash: string): CohortQuery {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const sort = oneOf(params.get('sort'), SORTS);
  return {
    search: (params.get('q') ?? '').slice(0, 100),
    status: oneOf(params.get('status'), STATUS_FILTER),
    year: /^(N|R|[0-9]{1,2})$/.test(params.get('year') ?? '') ? (params.get('year') ?? '') : '',
    actions: oneOf(params.get('actions'), ACTIONS_FILTER),
    pep: oneOf(params.get('pep'), PEP_FILTER),
    sort: sort === '' ? NO_QUERY.sort : sort,
  };
}

export function hashFromQuery(q: CohortQuery): string {
  const params = new URLSearchParams();
  if (q.search) params.set('q', q.search);
  if (q.status) params.set('status', q.status);
  if (q.year) params.set('year', q.year);
  if (q.actions) params.set('actions', q.actions);
  if (q.pep) params.set('pep', q.pep);
  if (q.sort !== NO_QUERY.sort) params.set('sort', q.sort);
  const text = params.toString();
  return text ? `#/cohort?${text}` : '#/cohort';
}

/** What the list shows, in words for the screen reader's announcement and the table's caption. */
export function describeQuery(shown: number, total: number, q: CohortQuery): string {
  const filtered = q.search !== '' || q.status !== '' || q.year !== '' || q.actions !== '' || q.pep !== '';
  const sort = SORTS.find(([v]) => v === q.sort)?.[1].toLowerCase() ?? '';
  return `${filtered ? `${shown} of ${total} children` : `${total} ${total === 1 ? 'child' : 'children'}`}, sorted by ${sort}`;
}
