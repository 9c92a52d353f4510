import { announcedStage } from '../../policy/actions';
import { SchoolCalendar } from '../../policy/calendar';
import { isoDate } from '../../policy/dates';
import { profile } from './fixtures';

/** The card announcing a case is the reminder of the day it was sent (a school day), never of a later one. */
describe('the reminder stage a new action starts at', () => {
  const cal = new SchoolCalendar(profile('leys').calendar);
  const stage = (deadline: string, today: string) => announcedStage(isoDate(deadline), isoDate(today), cal);

  it('a step due today starts as reminded on the day; one already overdue too, so the DSL is still told', () => {
    expect(stage('2026-11-24', '2026-11-24')).toBe(2);
    expect(stage('2026-11-20', '2026-11-24')).toBe(2);
  });

  it('a step due the next school day starts as reminded the day before, across a weekend too', () => {
    expect(stage('2026-11-25', '2026-11-24')).toBe(1);
    expect(stage('2026-11-30', '2026-11-27')).toBe(1); // Friday to Monday
  });

  it('a step due later, or raised on a day the school is closed, waits for its reminders as usual', () => {
    expect(stage('2026-11-26', '2026-11-24')).toBe(0);
    expect(stage('2026-11-30', '2026-11-28')).toBe(0); // raised on a Saturday, due Monday
    expect(stage('2026-12-01', '2026-11-28')).toBe(0);
  });
});
