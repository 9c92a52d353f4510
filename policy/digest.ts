import { SchoolCalendar } from './calendar';
import { CaseType } from './cases';
import { addDays, formatDate, IsoDate, makeDate, yearOf } from './dates';
import { latestPep, pepStatus } from './pep';
import { Pupil } from './pupil';
import { AttendanceGroup, attendanceFigures, AttendanceWeek, attendanceWeek, cohortOf, SuspensionRow, suspensionFigures } from './schoolFigures';
import { SchoolProfile } from './schoolProfile';

/** A number about children, and how it may be shown: 1 or 2 become "fewer than 3" so no child is identifiable. */
export interface Count {
  value: number;
  display: string;
  suppressed: boolean;
}

/**
 * `hideSmall` is whether the reader may not see the children behind the number (the leadership
 * channel, SLT): for them 1 and 2 become "fewer than 3". Those who may see the children get the number.
 */
export function count(n: number, hideSmall = true): Count {
  if (hideSmall && n > 0 && n < 3) return { value: n, display: 'fewer than 3', suppressed: true };
  return { value: n, display: String(n), suppressed: false };
}

/** The smallest group an average or a percentage is shown for: below it, one child's figure shows through. */
export const SMALLEST_GROUP = 3;

/** A group's average attendance, or undefined when there is none or (hiding small numbers) the group is too small to show. */
export function shownAverage(g: Pick<AttendanceGroup, 'withFigures' | 'average'>, hideSmall = true): number | undefined {
  if (hideSmall && g.withFigures < SMALLEST_GROUP) return undefined;
  return g.average;
}

/**
 * Whether the whole school's figures may be shown beside those of the children covered: not when
 * the covered children, or the pupils left when they are taken away, are 1 or 2 with figures, as
 * the difference between the two would then be those few children's own.
 */
export function wholeSchoolShown(cohortWithFigures: number, schoolWithFigures: number, hideSmall = true): boolean {
  const small = (x: number) => x > 0 && x < SMALLEST_GROUP;
  return !hideSmall || (!small(cohortWithFigures) && !small(schoolWithFigures - cohortWithFigures));
}

/** n of d as a percentage, or undefined when d is 0 or (hiding small numbers) n, d or d - n would identify a child. */
export function share(n: number, d: number, hideSmall = true): number | undefined {
  const small = (x: number) => x > 0 && x < SMALLEST_GROUP;
  if (d === 0 || (hideSmall && (d < SMALLEST_GROUP || small(n) || small(d - n)))) return undefined;
  return Math.round((n / d) * 1000) / 10;
}

/** How many weeks the attendance line shows, this week included. */
export const LINE_WEEKS = 8;

export interface DigestInput {
  school: SchoolProfile;
  /** The instant the digest is for (normally Monday 08:00). */
  now: Date;
  today: IsoDate;
  weekStart: IsoDate;
  pupils: readonly Pupil[];
  newCases: ReadonlyArray<{ ref: string; caseType: string }>;
  awaitingDecision: ReadonlyArray<{ ref: string; raisedAt: string }>;
  openActions: ReadonlyArray<{ ref: string; deadline: string; statutory: boolean }>;
  recordedPeps: ReadonlyMap<string, IsoDate>;
  termSuspensions: readonly SuspensionRow[];
  waitingForInstall: number;
  /** The attendance of earlier weeks, as recorded then (any order; this week's is worked out from the register). */
  attendanceHistory?: readonly AttendanceWeek[];
  /** False for readers who may see the children (the DSL and those the dashboard shows them to); true by default. */
  hideSmallNumbers?: boolean;
}

export interface RefLine {
  ref: string;
  detail: string;
}

/** A point of the attendance line: averages to one decimal place, left out where the group is too small to show. */
export interface AttendancePoint {
  weekOf: IsoDate;
  cohortAverage?: number;
  schoolAverage?: number;
}

export interface Digest {
  schoolName: string;
  weekOf: IsoDate;
  /** Whether counts of 1 or 2 are shown as "fewer than 3" (and averages of fewer than 3 children left out). */
  smallNumbersHidden: boolean;
  cohort: { cla: Count; cpla: Count; cwswCurrent: Count; cwswPast: Count; kinship: Count; total: Count; onRoll: number };
  newCases: Record<CaseType, Count> & { total: number };
  awaitingDecision: RefLine[];
  overdue: RefLine[];
  dueSoon: RefLine[];
  peps: { due: Count; overdue: Count };
  attendance: {
    cohortAverage?: number;
    schoolAverage?: number;
    /** Persistently absent children covered by the policy, severely absent ones included. */
    persistent: Count;
    /** Of the persistently absent, those severely absent. */
    severe: Count;
    /** Pupils on roll with a figure (0: the register has none yet). */
    withFigures: number;
    /** The thresholds as sessions missed: 10 and 50 by law, less where the school is stricter. */
    persistentMissedPercent: number;
    severeMissedPercent: number;
    /** Oldest first, this week last; only weeks of this school year with a figure to show. */
    weeks: AttendancePoint[];
  };
  suspensions: { count: Count; days: number; repeatedChildren: Count; permanent: Count };
  admissionsInTransition: Count;
  waitingForInstall: number;
}

/** This week's point of the attendance line, as figures to keep (group figures only: nothing shows a child). */
export function attendanceThisWeek(input: Pick<DigestInput, 'school' | 'pupils' | 'today' | 'weekStart'>): AttendanceWeek {
  const cohort = cohortOf(input.pupils, input.school, input.today);
  return attendanceWeek(input.weekStart, attendanceFigures(input.pupils, cohort.coveredIds, input.school.thresholds));
}

/**
 * The weekly SLT digest: numbers and reference codes only. No child's name, no status of any
 * individual child, and (unless the reader may see the children) every count of children from 1
 * to 2 shown as "fewer than 3". Its figures are policy/schoolFigures.ts's, as the governors' report's are.
 */
export function buildDigest(input: DigestInput): Digest {
  const { school, today } = input;
  const hide = input.hideSmallNumbers ?? true;
  const n = (x: number) => count(x, hide);
  const calendar = new SchoolCalendar(school.calendar);
  const cohort = cohortOf(input.pupils, school, today);
  const c = cohort.counts;
  const covered = input.pupils.filter((p) => cohort.coveredIds.has(p.id));

  const peps = covered.flatMap((p) => {
    const s = pepStatus(p, latestPep(p, input.recordedPeps.get(p.id)), calendar, today, school.thresholds.pepReminderSchoolDays);
    return s ? [s.state] : [];
  });

  const attendance = attendanceFigures(input.pupils, cohort.coveredIds, school.thresholds);
  const suspensions = suspensionFigures(input.termSuspensions);

  const soon = calendar.addSchoolDays(today, 5);
  const byRef = (items: typeof input.openActions) => {
    const m = new Map<string, { n: number; oldest: string; statutory: boolean }>();
    for (const a of items) {
      const e = m.get(a.ref) ?? { n: 0, oldest: a.deadline, statutory: false };
      e.n++;
      if (a.deadline < e.oldest) e.oldest = a.deadline;
      e.statutory ||= a.statutory;
      m.set(a.ref, e);
    }
    return [...m.entries()].sort((a, b) => (a[1].oldest < b[1].oldest ? -1 : 1));
  };
  const overdue = byRef(input.openActions.filter((a) => a.deadline < today)).map(([ref, e]) => ({
    ref,
    detail: `${e.n} action${e.n === 1 ? '' : 's'} overdue, oldest by ${calendar.schoolDaysBetween(e.oldest as IsoDate, today)} school day(s)${e.statutory ? ', statutory' : ''}`,
  }));
  const dueSoon = byRef(input.openActions.filter((a) => a.deadline >= today && a.deadline <= soon)).map(([ref, e]) => ({
    ref,
    detail: `${e.n} action${e.n === 1 ? '' : 's'} due by ${formatDate(e.oldest as IsoDate)}${e.statutory ? ', statutory' : ''}`,
  }));
  const transitions = new Set(input.openActions.filter((a) => a.ref.startsWith('ADM-')).map((a) => a.ref));

  const types: CaseType[] = ['attendance', 'suspension', 'admission'];
  const newCases = Object.fromEntries(types.map((k) => [k, n(input.newCases.filter((x) => x.caseType === k).length)])) as Record<CaseType, Count>;

  return {
    schoolName: school.name,
    weekOf: input.weekStart,
    smallNumbersHidden: hide,
    cohort: { cla: n(c.cla), cpla: n(c.cpla), cwswCurrent: n(c.cwswCurrent), cwswPast: n(c.cwswPast), kinship: n(c.kinship), total: n(c.covered), onRoll: c.onRoll },
    newCases: { ...newCases, total: input.newCases.length },
    awaitingDecision: input.awaitingDecision.map((a) => ({ ref: a.ref, detail: `waiting ${ageLabel(input.now, a.raisedAt)}` })),
    overdue,
    dueSoon,
    peps: { due: n(peps.filter((s) => s === 'dueSoon' || s === 'newPepDue').length), overdue: n(peps.filter((s) => s === 'overdue').length) },
    attendance: {
      cohortAverage: shownAverage(attendance.cohort, hide),
      schoolAverage: wholeSchoolShown(attendance.cohort.withFigures, attendance.wholeSchool.withFigures, hide) ? shownAverage(attendance.wholeSchool, hide) : undefined,
      persistent: n(attendance.cohort.persistent),
      severe: n(attendance.cohort.severe),
      withFigures: attendance.wholeSchool.withFigures,
      persistentMissedPercent: attendance.persistentMissedPercent,
      severeMissedPercent: attendance.severeMissedPercent,
      weeks: attendanceLine(input.attendanceHistory ?? [], attendanceWeek(input.weekStart, attendance), hide),
    },
    suspensions: {
      count: n(suspensions.suspensions),
      days: suspensions.schoolDaysLost,
      repeatedChildren: n(suspensions.childrenSuspendedMoreThanOnce),
      permanent: n(suspensions.permanentExclusions),
    },
    admissionsInTransition: n(transitions.size),
    waitingForInstall: input.waitingForInstall,
  };
}

/**
 * The last LINE_WEEKS weeks of this school year, oldest first. Attendance is the year's so far, so
 * it starts again each September: a line across the summer would join two different measures.
 */
function attendanceLine(history: readonly AttendanceWeek[], thisWeek: AttendanceWeek, hide: boolean): AttendancePoint[] {
  const yearStart = schoolYearStart(thisWeek.weekOf);
  const from = addDays(thisWeek.weekOf, -7 * (LINE_WEEKS - 1));
  const weeks = new Map<string, AttendanceWeek>();
  for (const w of history) if (w.weekOf >= from && w.weekOf >= yearStart && w.weekOf < thisWeek.weekOf) weeks.set(w.weekOf, w);
  weeks.set(thisWeek.weekOf, thisWeek);
  return [...weeks.values()]
    .sort((a, b) => (a.weekOf < b.weekOf ? -1 : 1))
    .map((w) => ({ ...w, cohortAverage: oneDecimal(w.cohortAverage), schoolAverage: oneDecimal(w.schoolAverage) }))
    .map((w) => ({
      weekOf: w.weekOf,
      cohortAverage: shownAverage({ withFigures: w.cohortWithFigures, average: w.cohortAverage }, hide),
      schoolAverage: wholeSchoolShown(w.cohortWithFigures, w.schoolWithFigures, hide) ? shownAverage({ withFigures: w.schoolWithFigures, average: w.schoolAverage }, hide) : undefined,
    }))
    .filter((p) => p.cohortAverage !== undefined || p.schoolAverage !== undefined);
}

/** Kept figures are shown as the register's are, to one decimal place, however they were stored. */
function oneDecimal(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v * 10) / 10;
}

/** 1 August of the school year `date` is in (the year's first week may begin in the last days of August). */
function schoolYearStart(date: IsoDate): IsoDate {
  const year = yearOf(date);
  return date >= makeDate(year, 8, 1) ? makeDate(year, 8, 1) : makeDate(year - 1, 8, 1);
}

function ageLabel(now: Date, since: string): string {
  const hours = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 3_600_000));
  return hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.round(hours / 24)} days`;
}

/** The Monday (or the profile's weekday) 00:00 of the week containing `today`. */
export function weekStartOf(today: IsoDate, weekday: number): IsoDate {
  const dow = new Date(`${today}T00:00:00Z`).getUTCDay() || 7;
  return addDays(today, -((dow - weekday + 7) % 7));
}
