import { SchoolCalendar } from './calendar';
import { dayOfWeek, formatDate, IsoDate } from './dates';

export type DatePurpose = 'suspensionStart' | 'admissionStart';

const WEEKDAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * A date that is probably a slip (a suspension starting in the past or on a day the school is shut,
 * a child starting on a weekend) is questioned, not silently accepted: this says why, or undefined.
 */
export function questionableDate(calendar: SchoolCalendar, today: IsoDate, date: IsoDate, purpose: DatePurpose): string | undefined {
  const shown = formatDate(date);
  if (purpose === 'suspensionStart' && date < today) return `${shown} is in the past. A suspension is recorded on the day it is decided, before it starts.`;
  const dow = dayOfWeek(date);
  if (dow === 0 || dow === 6) return `${shown} is a ${WEEKDAY[dow]}.`;
  if (!calendar.isSchoolDay(date)) return `${shown} is not a school day (a holiday, a bank holiday or an INSET day).`;
  return undefined;
}
