import { SchoolCalendar } from './calendar';
import { CaseType } from './cases';
import { addDays, formatDate, IsoDate } from './dates';
import { latestPep, pepStatus } from './pep';
import { cohortFlags, Pupil } from './pupil';
import { SchoolProfile } from './schoolProfile';

/** A number about children, and how it may be shown: 1 or 2 become "fewer than 3" so no child is identifiable. */
export interface Count {
  value: number;
  display: string;
  suppressed: boolean;
}

export function count(n: number): Count {
  if (n > 0 && n < 3) return { value: n, display: 'fewer than 3', suppressed: true };
  return { value: n, display: String(n), suppressed: false };
}

/** The smallest group an average or a percentage is shown for: below it, one child's figure shows through. */
export const SMALLEST_GROUP = 3;

/** The mean of a group's figures, or undefined for a group too small to show. */
export function groupMean(xs: readonly number[]): number | undefined {
  if (xs.length < SMALLEST_GROUP) return undefined;
  return Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
}

/** n of d as a percentage, or undefined when n, d or d - n is a small number that would identify a child. */
export function share(n: number, d: number): number | undefined {
  const small = (x: number) => x > 0 && x < SMALLEST_GROUP;
  if (d < SMALLEST_GROUP || small(n) || small(d - n)) return undefined;
  return Math.round((n / d) * 1000) / 10;
}

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
  termSuspensions: ReadonlyArray<{ pupilId: string; days: number; permanent: boolean }>;
  waitingForInstall: number;
}

export interface RefLine {
  ref: string;
  detail: string;
}

export interface Digest {
  schoolName: string;
  weekOf: IsoDate;
  cohort: { cla: Count; cpla: Count; cwswCurrent: Count; cwswPast: Count; kinship: Count; total: Count; onRoll: number };
  newCases: Record<CaseType, Count> & { total: number };
  awaitingDecision: RefLine[];
  overdue: RefLine[];
  dueSoon: RefLine[];
  peps: { due: Count; overdue: Count };
  attendance: { cohortAverage?: number; schoolAverage?: number; persistent: Count; severe: Count; withFigures: number };
  suspensions: { count: Count; days: number; repeatedChildren: Count; permanent: Count };
  admissionsInTransition: Count;
  waitingForInstall: number;
}


/**
 * The weekly SLT digest: numbers and reference codes only. No child's name, no status of any
 * individual child, and every count of children from 1 to 2 shown as "fewer than 3".
 */
export function buildDigest(input: DigestInput): Digest {
  const { school, today } = input;
  const calendar = new SchoolCalendar(school.calendar);
  const inScope = input.pupils.map((p) => ({ p, f: cohortFlags(p, today) }));
  const cohort = inScope.filter(({ f }) => f.cla || f.cpla || f.cwswCurrent || f.cwswPast || f.kinship);
  const cohortIds = new Set(cohort.map(({ p }) => p.id));

  const peps = cohort.flatMap(({ p }) => {
    const s = pepStatus(p, latestPep(p, input.recordedPeps.get(p.id)), calendar, today, school.thresholds.pepReminderSchoolDays);
    return s ? [s.state] : [];
  });

  const withFigures = input.pupils.filter((p) => p.attendancePercent !== undefined);
  const cohortFigures = withFigures.filter((p) => cohortIds.has(p.id));
  const t = school.thresholds;

  const byChild = new Map<string, number>();
  for (const s of input.termSuspensions) if (!s.permanent) byChild.set(s.pupilId, (byChild.get(s.pupilId) ?? 0) + 1);

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
  const newCases = Object.fromEntries(types.map((k) => [k, count(input.newCases.filter((c) => c.caseType === k).length)])) as Record<CaseType, Count>;

  return {
    schoolName: school.name,
    weekOf: input.weekStart,
    cohort: {
      cla: count(cohort.filter(({ f }) => f.cla).length),
      cpla: count(cohort.filter(({ f }) => f.cpla).length),
      cwswCurrent: count(cohort.filter(({ f }) => f.cwswCurrent).length),
      cwswPast: count(cohort.filter(({ f }) => f.cwswPast).length),
      kinship: count(cohort.filter(({ f }) => f.kinship).length),
      total: count(cohort.length),
      onRoll: input.pupils.length,
    },
    newCases: { ...newCases, total: input.newCases.length },
    awaitingDecision: input.awaitingDecision.map((a) => ({ ref: a.ref, detail: `waiting ${ageLabel(input.now, a.raisedAt)}` })),
    overdue,
    dueSoon,
    peps: { due: count(peps.filter((s) => s === 'dueSoon' || s === 'newPepDue').length), overdue: count(peps.filter((s) => s === 'overdue').length) },
    attendance: {
      cohortAverage: groupMean(cohortFigures.map((p) => p.attendancePercent!)),
      schoolAverage: groupMean(withFigures.map((p) => p.attendancePercent!)),
      persistent: count(cohortFigures.filter((p) => p.attendancePercent! <= t.persistentAbsencePercent && p.attendancePercent! > t.severeAbsencePercent).length),
      severe: count(cohortFigures.filter((p) => p.attendancePercent! <= t.severeAbsencePercent).length),
      withFigures: withFigures.length,
    },
    suspensions: {
      count: count(input.termSuspensions.filter((s) => !s.permanent).length),
      days: input.termSuspensions.reduce((sum, s) => sum + (s.permanent ? 0 : s.days), 0),
      repeatedChildren: count([...byChild.values()].filter((n) => n > 1).length),
      permanent: count(input.termSuspensions.filter((s) => s.permanent).length),
    },
    admissionsInTransition: count(transitions.size),
    waitingForInstall: input.waitingForInstall,
  };
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
