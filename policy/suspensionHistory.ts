import { SchoolCalendar } from './calendar';
import { SuspensionHistory } from './cases';
import { IsoDate, makeDate, yearOf } from './dates';

export interface DecidedSuspension {
  suspensionStart?: string;
  suspensionDays?: number;
  permanentExclusion?: boolean;
}

/** The school year runs from 1 September to 31 August. */
export function schoolYearStart(today: IsoDate): IsoDate {
  const year = yearOf(today);
  return today.slice(5) >= '09-01' ? makeDate(year, 9, 1) : makeDate(year - 1, 9, 1);
}

/**
 * Totals the statutory limits count: suspensions and days this school year, days this term, and the
 * school days of suspension that run straight up to `startingOn` (back to back, counted together for
 * the sixth-day duty).
 */
export function suspensionHistory(decided: readonly DecidedSuspension[], calendar: SchoolCalendar, today: IsoDate, startingOn?: IsoDate): SuspensionHistory {
  const yearStart = schoolYearStart(today);
  const yearEnd = makeDate(yearOf(yearStart) + 1, 8, 31);
  const term = calendar.termOf(today);
  let suspensionsThisYear = 0;
  let daysThisYear = 0;
  let daysThisTerm = 0;
  for (const s of decided) {
    if (!s.suspensionStart || s.permanentExclusion) continue;
    const start = s.suspensionStart as IsoDate;
    if (start < yearStart || start > yearEnd) continue;
    const days = s.suspensionDays ?? 0;
    suspensionsThisYear++;
    daysThisYear += days;
    if (term && start >= term.start && start <= term.end) daysThisTerm += days;
  }
  return { suspensionsThisYear, daysThisYear, daysThisTerm, consecutiveDaysBefore: startingOn ? consecutiveBefore(decided, calendar, startingOn) : 0 };
}

/** School days of suspension ending on the school day before `start`, following the chain back. */
function consecutiveBefore(decided: readonly DecidedSuspension[], calendar: SchoolCalendar, start: IsoDate): number {
  let total = 0;
  let next = start;
  const used = new Set<DecidedSuspension>();
  for (;;) {
    const before = decided.find((s) => {
      if (used.has(s) || !s.suspensionStart || s.permanentExclusion || !s.suspensionDays) return false;
      const last = calendar.addSchoolDays(s.suspensionStart as IsoDate, Math.max(0, Math.ceil(s.suspensionDays) - 1));
      return last < next && calendar.schoolDaysBetween(last, next) === 1;
    });
    if (!before) return total;
    used.add(before);
    total += before.suspensionDays!;
    next = before.suspensionStart as IsoDate;
  }
}
