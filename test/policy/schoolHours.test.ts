import { SchoolCalendar } from '../../policy/calendar';
import { londonInstant, windowEnd } from '../../policy/schoolHours';
import { isoDate } from '../../policy/dates';
import { profile } from './fixtures';

const cal = new SchoolCalendar(profile('leys').calendar);
const day = { start: '08:30', end: '15:30' };
const twoHours = { kind: 'schoolHours', hours: 2 } as const;

describe('approval windows in school hours (Europe/London)', () => {
  it('converts London wall-clock time in winter and summer', () => {
    expect(londonInstant(isoDate('2026-11-23'), 9 * 60).toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(londonInstant(isoDate('2026-06-15'), 9 * 60).toISOString()).toBe('2026-06-15T08:00:00.000Z');
  });

  it('2 school hours inside one day', () => {
    expect(windowEnd(new Date('2026-11-23T10:00:00Z'), twoHours, cal, day).toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });

  it('2 school hours that run over the end of the day continue next school day', () => {
    // Monday 15:00: 30 minutes left today, 90 minutes from 08:30 Tuesday.
    expect(windowEnd(new Date('2026-11-23T15:00:00Z'), twoHours, cal, day).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    // Friday 23 October 2026 14:30 (before half term): 60 minutes then Monday 2 November.
    expect(windowEnd(new Date('2026-10-23T13:30:00Z'), twoHours, cal, day).toISOString()).toBe('2026-11-02T09:30:00.000Z');
  });

  it('raised at the weekend, before school or after school starts the clock at the next opening', () => {
    expect(windowEnd(new Date('2026-11-22T12:00:00Z'), twoHours, cal, day).toISOString()).toBe('2026-11-23T10:30:00.000Z');
    expect(windowEnd(new Date('2026-11-23T07:00:00Z'), twoHours, cal, day).toISOString()).toBe('2026-11-23T10:30:00.000Z');
    expect(windowEnd(new Date('2026-11-23T18:00:00Z'), twoHours, cal, day).toISOString()).toBe('2026-11-24T10:30:00.000Z');
  });

  it('same day means the end of the school day, or of the next one after hours', () => {
    expect(windowEnd(new Date('2026-11-23T10:00:00Z'), { kind: 'sameDay' }, cal, day).toISOString()).toBe('2026-11-23T15:30:00.000Z');
    expect(windowEnd(new Date('2026-11-23T16:00:00Z'), { kind: 'sameDay' }, cal, day).toISOString()).toBe('2026-11-24T15:30:00.000Z');
    // BST: a June day ends at 14:30 UTC.
    expect(windowEnd(new Date('2026-06-15T08:00:00Z'), { kind: 'sameDay' }, cal, day).toISOString()).toBe('2026-06-15T14:30:00.000Z');
  });
});
