import { SchoolCalendar } from './calendar';
import { count, Count, shownAverage, share, wholeSchoolShown } from './digest';
import { IsoDate } from './dates';
import { cohortFlags, Pupil } from './pupil';
import { AttendanceFigures, AttendanceGroup, attendanceFigures, cohortOf, SuspensionRow, suspensionFigures } from './schoolFigures';
import { SchoolProfile, Term } from './schoolProfile';

/** One group's attendance as the report shows it; every figure undefined for a group too small to show. */
export interface ReportAttendanceGroup {
  withFigures: number;
  average?: number;
  /** Persistently absent, severely absent included, and their share of the group. */
  persistent?: Count;
  persistentPercent?: number;
  /** Of the persistently absent, those severely absent. */
  severe?: Count;
}

/**
 * The termly report to governors the policies ask for (Offord, "Roles and Responsibilities": the
 * number of children on roll, PEP compliance, the use of Pupil Premium Plus, and attendance and
 * exclusion compared with peers). Counts of 1 or 2 children are shown as "fewer than 3". Its
 * figures are policy/schoolFigures.ts's, as the weekly digest's are.
 */
export interface GovernorsReport {
  schoolName: string;
  term: Term;
  /** The day the figures are as at: the term's last day, or the day the report was written if that is earlier. */
  asAt: IsoDate;
  synthetic: boolean;
  onRoll: number;
  cohort: Array<{ label: string; count: Count }>;
  pep: { children: Count; withPep: Count; percent?: number };
  ppPlusNotes: string;
  attendance: {
    persistentMissedPercent: number;
    severeMissedPercent: number;
    cohort: ReportAttendanceGroup;
    peers: ReportAttendanceGroup;
    wholeSchool: ReportAttendanceGroup;
  };
  suspensions: { cohortSuspensions: Count; cohortDays: number; repeated: Count; permanent: Count };
}

export function governorsReport(input: {
  school: SchoolProfile;
  term: Term;
  pupils: readonly Pupil[];
  /** PEP meeting dates per child (recorded here and from the register). */
  pepDates: ReadonlyMap<string, readonly string[]>;
  suspensions: readonly SuspensionRow[];
  /** Defaults to the term's last day. */
  asAt?: IsoDate;
}): GovernorsReport {
  const { school, term } = input;
  const asAt = input.asAt && input.asAt < term.end ? input.asAt : (term.end as IsoDate);
  const cohort = cohortOf(input.pupils, school, asAt);
  const c = cohort.counts;
  const cla = input.pupils.filter((p) => cohortFlags(p, asAt).cla);
  const inCare = cla.length;
  const withPep = cla.filter((p) => (input.pepDates.get(p.id) ?? []).some((d) => d >= term.start && d <= term.end)).length;
  const attendance = attendanceFigures(input.pupils, cohort.coveredIds, school.thresholds);
  const suspensions = suspensionFigures(input.suspensions);

  return {
    schoolName: school.name,
    term,
    asAt,
    synthetic: school.synthetic === true,
    onRoll: c.onRoll,
    cohort: [
      { label: 'In care (looked after)', count: count(c.cla) },
      { label: 'Previously in care (adoption, SGO, CAO)', count: count(c.cpla) },
      { label: 'With a social worker now (CiN or CP plan)', count: count(c.cwswCurrent) },
      { label: 'Had a social worker in the last 6 years', count: count(c.cwswPast) },
      { label: 'Kinship care', count: count(c.kinship) },
      { label: 'Covered by the policy, in all', count: count(c.covered) },
    ],
    pep: { children: count(inCare), withPep: count(withPep), percent: share(withPep, inCare) },
    ppPlusNotes: school.ppPlusNotes ?? 'No notes recorded in the school profile.',
    attendance: {
      persistentMissedPercent: attendance.persistentMissedPercent,
      severeMissedPercent: attendance.severeMissedPercent,
      cohort: reportGroup(attendance.cohort),
      peers: reportGroup(attendance.peers),
      wholeSchool: wholeSchoolGroup(attendance),
    },
    suspensions: {
      cohortSuspensions: count(suspensions.suspensions),
      cohortDays: suspensions.schoolDaysLost,
      repeated: count(suspensions.childrenSuspendedMoreThanOnce),
      permanent: count(suspensions.permanentExclusions),
    },
  };
}

/**
 * The whole school is the children covered and their peers together, so its figures less one
 * group's are the other group's: each is shown only where that would not give away a figure hidden
 * for either group (an average of 1 or 2 children, a count of 1 or 2).
 */
function wholeSchoolGroup(a: AttendanceFigures): ReportAttendanceGroup {
  if (!wholeSchoolShown(a.cohort.withFigures, a.wholeSchool.withFigures)) return { withFigures: a.wholeSchool.withFigures };
  const g = reportGroup(a.wholeSchool);
  const hidden = (n: number) => count(n).suppressed;
  const persistentShown = !hidden(a.cohort.persistent) && !hidden(a.peers.persistent);
  const severeShown = !hidden(a.cohort.severe) && !hidden(a.peers.severe);
  return {
    withFigures: g.withFigures,
    average: g.average,
    ...(persistentShown ? { persistent: g.persistent, persistentPercent: g.persistentPercent } : {}),
    ...(severeShown ? { severe: g.severe } : {}),
  };
}

/** A group of fewer than 3 children with figures shows nothing: any count or average would be about one child. */
function reportGroup(g: AttendanceGroup): ReportAttendanceGroup {
  const average = shownAverage(g);
  if (average === undefined) return { withFigures: g.withFigures };
  return { withFigures: g.withFigures, average, persistent: count(g.persistent), persistentPercent: share(g.persistent, g.withFigures), severe: count(g.severe) };
}

export function findTerm(calendar: SchoolCalendar, name: string): Term | undefined {
  const wanted = name.trim().toLowerCase();
  return calendar.allTerms().find((t) => t.name.toLowerCase() === wanted);
}

const show = (v: number | undefined, suffix = '%') => (v === undefined ? 'not shown (small numbers or no figures)' : `${v}${suffix}`);

export interface AttendanceRow {
  measure: string;
  cohort?: string;
  peers?: string;
  wholeSchool?: string;
}

/**
 * The attendance section, one row per measure and a cell per group (undefined: not shown), so the
 * PDF and the CSV say the same thing in the same words.
 */
export function attendanceRows(r: GovernorsReport): AttendanceRow[] {
  const a = r.attendance;
  const row = (measure: string, cell: (g: ReportAttendanceGroup) => string | undefined): AttendanceRow => ({ measure, cohort: cell(a.cohort), peers: cell(a.peers), wholeSchool: cell(a.wholeSchool) });
  return [
    row('Average attendance', (g) => (g.average === undefined ? undefined : `${g.average}%`)),
    row(`Persistently absent (${a.persistentMissedPercent}% or more of sessions missed)`, (g) =>
      g.persistent ? `${g.persistent.display} of ${g.withFigures}${g.persistentPercent === undefined ? '' : ` (${g.persistentPercent}%)`}` : undefined,
    ),
    row(`of whom severely absent (${a.severeMissedPercent}% or more missed)`, (g) => g.severe?.display),
  ];
}

/** The report as CSV rows: section, measure, children covered by the policy, peers, whole school. */
export function reportCsv(r: GovernorsReport): string {
  const notShown = 'not shown (small numbers or no figures)';
  const rows: string[][] = [['section', 'measure', 'covered by the policy', 'peers', 'whole school']];
  for (const c of r.cohort) rows.push(['on roll', c.label, c.count.display, '', '']);
  rows.push(['on roll', 'All pupils on roll', '', '', String(r.onRoll)]);
  rows.push(['PEP', 'Children in care with a PEP meeting this term', `${r.pep.withPep.display} of ${r.pep.children.display}`, '', '']);
  rows.push(['PEP', 'PEP compliance', show(r.pep.percent), '', '']);
  for (const a of attendanceRows(r)) rows.push(['attendance', a.measure, a.cohort ?? notShown, a.peers ?? notShown, a.wholeSchool ?? notShown]);
  rows.push(['suspensions', 'Suspensions this term', r.suspensions.cohortSuspensions.display, 'not recorded by this product', '']);
  rows.push(['suspensions', 'School days lost', r.suspensions.cohortSuspensions.suppressed ? 'not shown' : String(r.suspensions.cohortDays), 'not recorded by this product', '']);
  rows.push(['suspensions', 'Children suspended more than once', r.suspensions.repeated.display, '', '']);
  rows.push(['suspensions', 'Permanent exclusions', r.suspensions.permanent.display, '', '']);
  rows.push(['pupil premium plus', 'Notes', r.ppPlusNotes, '', '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Quotes where needed, and stops a spreadsheet reading a cell that starts with = + - @ as a formula. */
function csvCell(cell: string): string {
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
