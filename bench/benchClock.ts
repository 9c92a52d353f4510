import { demoSchool } from '../demo/demoSchool';
import { SchoolCalendar } from '../policy/calendar';
import { londonDate } from '../policy/dates';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { londonInstant } from '../policy/schoolHours';

/** Mid-morning: inside every school's day, with hours of it left for approval windows to run in. */
const BENCH_MINUTES = 10 * 60;

/**
 * The time the bots' clocks start at (CLOCK_START): 10:00 in London on the demo school's next
 * school day (today, if it is one). Left to the real clock, the same run measured different loads
 * by the hour: after the school day opened, the reminder jobs remind every concern the run raises
 * (each has a step due that day), and before it opens they do nothing; a run straddling midnight
 * got both. School hours are when staff use the bot, so every run is measured there.
 */
export function benchClockStart(now: Date): Date {
  const calendar = new SchoolCalendar(loadSchoolProfile(demoSchool).calendar);
  return londonInstant(calendar.onOrAfter(londonDate(now)), BENCH_MINUTES);
}
