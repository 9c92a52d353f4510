import { SchoolCalendar } from './calendar';
import { count, Count, groupMean, share } from './digest';
import { IsoDate } from './dates';
import { cohortFlags, Pupil } from './pupil';
import { coveredBy } from './scope';
import { schoolPolicy, SchoolProfile, Term } from './schoolProfile';

/**
 * The termly report to governors the policies ask for (Offord, "Roles and Responsibilities": the
 * number of children on roll, PEP compliance, the use of Pupil Premium Plus, and attendance and
 * exclusion compared with peers). Counts of 1 or 2 children are shown as "fewer than 3".
 */
export interface GovernorsReport {
  schoolName: string;
  term: Term;
  synthetic: boolean;
  onRoll: number;
  cohort: Array<{ label: string; count: Count }>;
  pep: { children: Count; withPep: Count; percent?: number };
  ppPlusNotes: string;
  attendance: { cohortAverage?: number; peersAverage?: number; cohortPersistentPercent?: number; peersPersistentPercent?: number };
  suspensions: { cohortSuspensions: Count; cohortDays: number; repeated: Count; permanent: Count };
}


export function governorsReport(input: {
  school: SchoolProfile;
  term: Term;
  pupils: readonly Pupil[];
  /** PEP meeting dates per child (recorded here and from the register). */
  pepDates: ReadonlyMap<string, readonly string[]>;
  suspensions: ReadonlyArray<{ pupilId: string; days: number; permanent: boolean }>;
}): GovernorsReport {
  const { school, term } = input;
  const asAt = term.end as IsoDate;
  const flags = input.pupils.map((p) => ({ p, f: cohortFlags(p, asAt) }));
  const policy = schoolPolicy(school);
  const inCohort = flags.filter(({ f }) => coveredBy(policy, f));
  const cohortIds = new Set(inCohort.map(({ p }) => p.id));
  const cla = flags.filter(({ f }) => f.cla).map(({ p }) => p);
  const withPep = cla.filter((p) => (input.pepDates.get(p.id) ?? []).some((d) => d >= term.start && d <= term.end));
  const t = school.thresholds;
  const withFigures = input.pupils.filter((p) => p.attendancePercent !== undefined);
  const cohortFig = withFigures.filter((p) => cohortIds.has(p.id));
  const peersFig = withFigures.filter((p) => !cohortIds.has(p.id));
  const persistent = (ps: Pupil[]) => ps.filter((p) => p.attendancePercent! <= t.persistentAbsencePercent).length;
  const perChild = new Map<string, number>();
  for (const s of input.suspensions) if (!s.permanent) perChild.set(s.pupilId, (perChild.get(s.pupilId) ?? 0) + 1);

  return {
    schoolName: school.name,
    term,
    synthetic: school.synthetic === true,
    onRoll: input.pupils.length,
    cohort: [
      { label: 'In care (looked after)', count: count(cla.length) },
      { label: 'Previously in care (adoption, SGO, CAO)', count: count(flags.filter(({ f }) => f.cpla).length) },
      { label: 'With a social worker now (CiN or CP plan)', count: count(flags.filter(({ f }) => f.cwswCurrent).length) },
      { label: 'Had a social worker in the last 6 years', count: count(flags.filter(({ f }) => f.cwswPast).length) },
      { label: 'Kinship care', count: count(flags.filter(({ f }) => f.kinship).length) },
      { label: 'Covered by the policy, in all', count: count(inCohort.length) },
    ],
    pep: { children: count(cla.length), withPep: count(withPep.length), percent: share(withPep.length, cla.length) },
    ppPlusNotes: school.ppPlusNotes ?? 'No notes recorded in the school profile.',
    attendance: {
      cohortAverage: groupMean(cohortFig.map((p) => p.attendancePercent!)),
      peersAverage: groupMean(peersFig.map((p) => p.attendancePercent!)),
      cohortPersistentPercent: share(persistent(cohortFig), cohortFig.length),
      peersPersistentPercent: share(persistent(peersFig), peersFig.length),
    },
    suspensions: {
      cohortSuspensions: count(input.suspensions.filter((s) => !s.permanent).length),
      cohortDays: input.suspensions.reduce((n, s) => n + (s.permanent ? 0 : s.days), 0),
      repeated: count([...perChild.values()].filter((n) => n > 1).length),
      permanent: count(input.suspensions.filter((s) => s.permanent).length),
    },
  };
}

export function findTerm(calendar: SchoolCalendar, name: string): Term | undefined {
  const wanted = name.trim().toLowerCase();
  return calendar.allTerms().find((t) => t.name.toLowerCase() === wanted);
}

const show = (v: number | undefined, suffix = '%') => (v === undefined ? 'not shown (small numbers or no figures)' : `${v}${suffix}`);

/** The report as CSV rows: section, measure, children covered by the policy, peers. */
export function reportCsv(r: GovernorsReport): string {
  const rows: string[][] = [['section', 'measure', 'covered by the policy', 'peers']];
  for (const c of r.cohort) rows.push(['on roll', c.label, c.count.display, '']);
  rows.push(['on roll', 'All pupils on roll', '', String(r.onRoll)]);
  rows.push(['PEP', 'Children in care with a PEP meeting this term', `${r.pep.withPep.display} of ${r.pep.children.display}`, '']);
  rows.push(['PEP', 'PEP compliance', show(r.pep.percent), '']);
  rows.push(['attendance', 'Average attendance', show(r.attendance.cohortAverage), show(r.attendance.peersAverage)]);
  rows.push(['attendance', 'Persistently absent', show(r.attendance.cohortPersistentPercent), show(r.attendance.peersPersistentPercent)]);
  rows.push(['suspensions', 'Suspensions this term', r.suspensions.cohortSuspensions.display, 'not recorded by this product']);
  rows.push(['suspensions', 'School days lost', r.suspensions.cohortSuspensions.suppressed ? 'not shown' : String(r.suspensions.cohortDays), 'not recorded by this product']);
  rows.push(['suspensions', 'Children suspended more than once', r.suspensions.repeated.display, '']);
  rows.push(['suspensions', 'Permanent exclusions', r.suspensions.permanent.display, '']);
  rows.push(['pupil premium plus', 'Notes', r.ppPlusNotes, '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Quotes where needed, and stops a spreadsheet reading a cell that starts with = + - @ as a formula. */
function csvCell(cell: string): string {
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
