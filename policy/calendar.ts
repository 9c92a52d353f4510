import { isBankHoliday } from './bankHolidays';
import { addDays, compareDates, IsoDate, isWeekend } from './dates';
import { CalendarData, Term } from './schoolProfile';

/** Statutory deadlines in the policies are counted in school days; this is the only place that counts them. */
export class SchoolCalendar {
  private readonly terms: readonly Term[];
  private readonly lastTermEnd: IsoDate;

  constructor(private readonly data: CalendarData) {
    this.terms = [...data.terms].sort((a, b) => compareDates(a.start, b.start));
    this.lastTermEnd = this.terms.reduce((max, t) => (t.end > max ? t.end : max), this.terms[0]!.end);
  }

  termOf(date: IsoDate): Term | undefined {
    return this.terms.find((t) => t.start <= date && date <= t.end);
  }

  /** The last day of the last term the school has entered. */
  get termDatesEnd(): IsoDate {
    return this.lastTermEnd;
  }

  /**
   * True for a date after the last term the school has entered: whether it is a school day is not
   * known, so a deadline there is an estimate (see isSchoolDay) and the plan says term dates are missing.
   */
  isEstimated(date: IsoDate): boolean {
    return date > this.lastTermEnd;
  }

  /**
   * A school day is a weekday inside a term, outside its breaks, that is neither a bank holiday
   * nor a closure. Beyond the last term the profile lists, weekdays that are not bank holidays
   * count: a deadline is never lost for want of next year's term dates, and holidays could only make
   * it later, so this is the earliest it can be. Such a date is marked estimated (isEstimated).
   */
  isSchoolDay(date: IsoDate): boolean {
    if (isWeekend(date) || isBankHoliday(date)) return false;
    if (this.data.closures.some((c) => c.start <= date && date <= c.end)) return false;
    if (date > this.lastTermEnd) return true;
    const term = this.termOf(date);
    if (!term) return false;
    return !term.breaks.some((b) => b.start <= date && date <= b.end);
  }

  /** The date itself if it is a school day, else the next school day. */
  onOrAfter(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isSchoolDay(d)) d = addDays(d, 1);
    return d;
  }

  /**
   * The school day `n` school days after `date` ("within 5 school days" of a Monday start is the
   * following Monday). `n = 0` is the same day, moved to the next school day if needed.
   */
  addSchoolDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`school days must be a whole number of at least 0, got ${n}`);
    let d = this.onOrAfter(date);
    for (let i = 0; i < n; i++) d = this.onOrAfter(addDays(d, 1));
    return d;
  }

  /** School days after `from` up to and including `to` (0 when `to` is not after `from`). */
  schoolDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isSchoolDay(d)) count++;
    return count;
  }

  /** The last school day of the term containing `date`, or of the next term if `date` is in a holiday. */
  termEndFor(date: IsoDate): IsoDate | undefined {
    const term = this.termOf(date) ?? this.terms.find((t) => t.start > date);
    if (!term) return undefined;
    let d = term.end;
    while (!this.isSchoolDay(d) && d >= term.start) d = addDays(d, -1);
    return d;
  }

  allTerms(): readonly Term[] {
    return this.terms;
  }
}
