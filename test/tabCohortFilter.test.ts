import { applyQuery, CohortChild, CohortQuery, describeQuery, hashFromQuery, matchesName, NO_QUERY, queryFromHash, yearGroups } from '../tab/client/cohortFilter';

const child = (id: string, name: string, o: Partial<CohortChild> = {}): CohortChild => ({
  id,
  name,
  familyName: name.split(' ').at(-1)!,
  yearGroup: '4',
  statuses: [],
  kinds: [],
  attendancePercent: null,
  openActions: 0,
  overdueActions: 0,
  ...o,
});

/** A small synthetic cohort: one of each thing the filters ask about. */
const COHORT: CohortChild[] = [
  child('a', 'Sam Thistlewood', { kinds: ['inCare'], yearGroup: '4', attendancePercent: 93.5, openActions: 3, overdueActions: 1, nextDeadline: { date: '2026-11-20', ref: 'ATT-1', overdue: true, statutory: true }, pep: { state: 'overdue', dueBy: '2026-12-18', words: 'Overdue since Wed 22 Jul 2026' } }),
  child('b', 'Zoë Ashgrove', { kinds: ['previouslyInCare'], yearGroup: 'R', attendancePercent: 81 }),
  child('c', 'Amara Windmere', { kinds: ['socialWorkerNow'], yearGroup: '10', attendancePercent: 97, openActions: 1, nextDeadline: { date: '2026-12-01', ref: 'ATT-2', overdue: false, statutory: false } }),
  child('d', 'Kai Marchbank', { kinds: ['inCare'], yearGroup: '6', openActions: 2, nextDeadline: { date: '2026-11-30', ref: 'ADM-1', overdue: false, statutory: true }, pep: { state: 'newPepDue', dueBy: '2026-12-14', words: 'New PEP due by Mon 14 Dec 2026' } }),
  child('e', 'Maya Rowanberry', { kinds: ['kinship', 'socialWorkerPast'], yearGroup: 'N', attendancePercent: 88 }),
];

const ids = (q: Partial<CohortQuery>) => applyQuery(COHORT, { ...NO_QUERY, ...q }).map((c) => c.id);

/** The cohort list's search, filters and sorting (tab/client/cohortFilter.ts), as a DSL uses them. */
describe('the cohort list: search, filters and sorting', () => {
  it.each([
    ['a first name', 'sam', true],
    ['the start of a family name', 'thist', true],
    ['both, in any case', 'SAM TH', true],
    ['accents ignored', 'zoe', false],
    ['a word that starts no name', 'hist', false],
  ])('search by %s', (_label, search, samFound) => {
    expect(matchesName('Sam Thistlewood', search)).toBe(samFound);
  });

  it('search finds Zoë by "zoe", and an empty search shows everyone', () => {
    expect(ids({ search: 'zoe' })).toEqual(['b']);
    expect(ids({ search: '  ' })).toHaveLength(5);
  });

  it.each<[string, Partial<CohortQuery>, string[]]>([
    ['status: in care', { status: 'inCare' }, ['a', 'd']],
    ['status: social worker in the past', { status: 'socialWorkerPast' }, ['e']],
    ['year group', { year: 'R' }, ['b']],
    ['with open actions', { actions: 'open' }, ['a', 'd', 'c']],
    ['with overdue actions', { actions: 'overdue' }, ['a']],
    ['with no open actions', { actions: 'none' }, ['b', 'e']],
    ['PEP overdue', { pep: 'overdue' }, ['a']],
    ['PEP due', { pep: 'due' }, ['d']],
    ['no PEP', { pep: 'none' }, ['c', 'b', 'e']],
    ['filters combine', { status: 'inCare', actions: 'overdue' }, ['a']],
    ['nothing matches', { status: 'kinship', year: '4' }, []],
  ])('filter: %s', (_label, q, expected) => {
    expect(ids(q)).toEqual(expected);
  });

  it.each<[CohortQuery['sort'], string[]]>([
    // Soonest deadline (so overdue) first; none last, by family name.
    ['deadline', ['a', 'd', 'c', 'b', 'e']],
    ['name', ['b', 'd', 'e', 'a', 'c']],
    // School order: nursery, reception, then years 1 to 13 (not "10" before "4").
    ['year', ['e', 'b', 'a', 'd', 'c']],
    // Lowest attendance first; unknown last.
    ['attendance', ['b', 'e', 'a', 'c', 'd']],
  ])('sort by %s', (sort, expected) => {
    expect(ids({ sort })).toEqual(expected);
  });

  it('year groups are offered in school order', () => {
    expect(yearGroups(COHORT)).toEqual(['N', 'R', '4', '6', '10']);
  });

  it('the query survives the address, and anything not a known value is dropped', () => {
    const q: CohortQuery = { search: 'sam th', status: 'inCare', year: '4', actions: 'overdue', pep: 'overdue', sort: 'attendance' };
    expect(queryFromHash(hashFromQuery(q))).toEqual(q);
    expect(hashFromQuery(NO_QUERY)).toBe('#/cohort');
    expect(queryFromHash('#/cohort?status=everyone&year=<b>&sort=drop&pep=x')).toEqual(NO_QUERY);
  });

  it('says how many are shown, for the caption and the screen reader', () => {
    expect(describeQuery(5, 5, NO_QUERY)).toBe('5 children, sorted by next deadline');
    expect(describeQuery(2, 5, { ...NO_QUERY, status: 'inCare', sort: 'name' })).toBe('2 of 5 children, sorted by family name');
  });
});
