import { SchoolCalendar } from './calendar';
import { addDays, IsoDate, londonDate, londonMinutesOfDay } from './dates';
import { ApprovalWindow, SchoolDay } from './schoolProfile';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant at a London wall-clock time on a date (GMT or BST, whichever is in force). */
export function londonInstant(date: IsoDate, minutes: number): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcGuess = Date.UTC(y, m - 1, d, 0, minutes);
  for (const offset of [0, 60]) {
    const candidate = new Date(utcGuess - offset * 60_000);
    if (londonDate(candidate) === date && londonMinutesOfDay(candidate) === minutes) return candidate;
  }
  // The one hour a year that does not exist in London (clocks going forward): read as GMT, it
  // lands in the hour after, which is what a person would mean.
  return new Date(utcGuess);
}

/**
 * When an approval window runs out. "2 school hours" counts only time inside the school day on
 * school days (raised at 15:00 with a 15:30 close, it is due 90 minutes into the next school day);
 * "same day" is the end of the school day, or of the next one if raised after it.
 */
export function windowEnd(from: Date, window: ApprovalWindow, calendar: SchoolCalendar, day: SchoolDay): Date {
  const start = minutesOf(day.start);
  const end = minutesOf(day.end);
  let date = londonDate(from);
  let cursor = londonMinutesOfDay(from);
  if (!calendar.isSchoolDay(date) || cursor >= end) {
    date = calendar.onOrAfter(addDays(date, 1));
    cursor = start;
  } else if (cursor < start) {
    cursor = start;
  }
  if (window.kind === 'sameDay') return londonInstant(date, end);
  let remaining = Math.round(window.hours * 60);
  for (;;) {
    const available = end - cursor;
    if (remaining <= available) return londonInstant(date, cursor + remaining);
    remaining -= available;
    date = calendar.onOrAfter(addDays(date, 1));
    cursor = start;
  }
}
