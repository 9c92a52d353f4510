import { IsoDate } from './dates';
import { cohortFlags, Pupil } from './pupil';
import { coveredBy } from './scope';
import { schoolPolicy, SchoolProfile, Thresholds } from './schoolProfile';

/**
 * The figures about the children a school's policy covers, worked out here once for every place
 * that shows them: the weekly digest (its card in the leadership channel and the dashboard's "This
 * week") and the governors' termly report. They are true counts; each view decides how small
 * numbers are shown (`count` in digest.ts), so two views of one register can never disagree.
 */

export interface CohortCounts {
  onRoll: number;
  /** Children the school's policy covers (its scope: see policy/scope.ts). */
  covered: number;
  /** Of the children covered, those with each status (a child may have several). */
  cla: number;
  cpla: number;
  cwswCurrent: number;
  cwswPast: number;
  kinship: number;
}

export interface Cohort {
  counts: CohortCounts;
  coveredIds: ReadonlySet<string>;
}

export function cohortOf(pupils: readonly Pupil[], school: Pick<SchoolProfile, 'policy'>, asAt: IsoDate): Cohort {
  const policy = schoolPolicy(school);
  const covered = pupils.map((p) => ({ p, f: cohortFlags(p, asAt) })).filter(({ f }) => coveredBy(policy, f));
  const withStatus = (has: (f: (typeof covered)[number]['f']) => unknown) => covered.filter(({ f }) => Boolean(has(f))).length;
  return {
    counts: {
      onRoll: pupils.length,
      covered: covered.length,
      cla: withStatus((f) => f.cla),
      cpla: withStatus((f) => f.cpla),
      cwswCurrent: withStatus((f) => f.cwswCurrent),
      cwswPast: withStatus((f) => f.cwswPast),
      kinship: withStatus((f) => f.kinship),
    },
    coveredIds: new Set(covered.map(({ p }) => p.id)),
  };
}

/**
 * Working together to improve school attendance (DfE, 2024): a pupil who misses 10% or more of
 * sessions is persistently absent, and one who misses 50% or more is severely absent. Severe
 * absence is the worst part of persistent absence, not a separate group: every severely absent
 * pupil is counted as persistently absent too. A school's thresholds may only be stricter.
 */
export function persistentlyAbsent(attendancePercent: number, t: Pick<Thresholds, 'persistentAbsencePercent'>): boolean {
  return attendancePercent <= t.persistentAbsencePercent;
}

export function severelyAbsent(attendancePercent: number, t: Pick<Thresholds, 'severeAbsencePercent'>): boolean {
  return attendancePercent <= t.severeAbsencePercent;
}

/** The share of sessions missed that makes a pupil persistently (or severely) absent: 10 and 50 by law. */
export function missedPercent(attendanceThreshold: number): number {
  return Math.round((100 - attendanceThreshold) * 10) / 10;
}

export interface AttendanceGroup {
  children: number;
  /** Of them, those the register has an attendance figure for (the rest are left out of every figure). */
  withFigures: number;
  /** Mean attendance, to one decimal place; undefined when no child has a figure. */
  average?: number;
  persistent: number;
  /** Of the persistently absent, those severely absent. */
  severe: number;
}

export interface AttendanceFigures {
  cohort: AttendanceGroup;
  /** Pupils the policy does not cover. */
  peers: AttendanceGroup;
  wholeSchool: AttendanceGroup;
  persistentMissedPercent: number;
  severeMissedPercent: number;
}

export function attendanceFigures(pupils: readonly Pupil[], coveredIds: ReadonlySet<string>, t: Thresholds): AttendanceFigures {
  const group = (ps: readonly Pupil[]): AttendanceGroup => {
    const figures = ps.flatMap((p) => (p.attendancePercent === undefined ? [] : [p.attendancePercent]));
    return {
      children: ps.length,
      withFigures: figures.length,
      average: figures.length ? Math.round((figures.reduce((a, b) => a + b, 0) / figures.length) * 10) / 10 : undefined,
      persistent: figures.filter((x) => persistentlyAbsent(x, t)).length,
      severe: figures.filter((x) => severelyAbsent(x, t)).length,
    };
  };
  return {
    cohort: group(pupils.filter((p) => coveredIds.has(p.id))),
    peers: group(pupils.filter((p) => !coveredIds.has(p.id))),
    wholeSchool: group(pupils),
    persistentMissedPercent: missedPercent(t.persistentAbsencePercent),
    severeMissedPercent: missedPercent(t.severeAbsencePercent),
  };
}

export interface SuspensionRow {
  pupilId: string;
  days: number;
  permanent: boolean;
}

export interface SuspensionFigures {
  suspensions: number;
  schoolDaysLost: number;
  childrenSuspendedMoreThanOnce: number;
  permanentExclusions: number;
}

export function suspensionFigures(rows: readonly SuspensionRow[]): SuspensionFigures {
  const suspensions = rows.filter((s) => !s.permanent);
  const perChild = new Map<string, number>();
  for (const s of suspensions) perChild.set(s.pupilId, (perChild.get(s.pupilId) ?? 0) + 1);
  return {
    suspensions: suspensions.length,
    schoolDaysLost: suspensions.reduce((n, s) => n + s.days, 0),
    childrenSuspendedMoreThanOnce: [...perChild.values()].filter((n) => n > 1).length,
    permanentExclusions: rows.length - suspensions.length,
  };
}

/**
 * One week's point on the attendance line: the year's attendance so far as the register stood that
 * week, for the children covered and for the whole school. Group figures only, never a child's.
 */
export interface AttendanceWeek {
  weekOf: IsoDate;
  cohortAverage?: number;
  cohortWithFigures: number;
  schoolAverage?: number;
  schoolWithFigures: number;
}

export function attendanceWeek(weekOf: IsoDate, a: AttendanceFigures): AttendanceWeek {
  return {
    weekOf,
    cohortAverage: a.cohort.average,
    cohortWithFigures: a.cohort.withFigures,
    schoolAverage: a.wholeSchool.average,
    schoolWithFigures: a.wholeSchool.withFigures,
  };
}
