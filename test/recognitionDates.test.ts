import { z } from 'zod';
import { dateString, optionalDate, optionalNumber } from '../dialogs/form/inputs';
import { readingAnswersOn } from '../dialogs/recognition/answerDay';
import { readDate } from '../dialogs/recognition/dates';
import { isoDate } from '../policy/dates';

/** Monday 23 November 2026, as the bot harness's clock. */
const MONDAY = isoDate('2026-11-23');

describe('typed dates are read the British way, relative to the London date', () => {
  it.each([
    ['2026-12-07', '2026-12-07'],
    ['2026-12-7', '2026-12-07'],
    ['7/12', '2026-12-07'],
    ['07/12/2026', '2026-12-07'],
    ['7/12/26', '2026-12-07'],
    ['7.12.2026', '2026-12-07'],
    ['7-12-2026', '2026-12-07'],
    ['7th December', '2026-12-07'],
    ['7 Dec', '2026-12-07'],
    ['December 7th', '2026-12-07'],
    ['the 7th of December', '2026-12-07'],
    ['Monday 7 December', '2026-12-07'],
    ['on 7/12/2026.', '2026-12-07'],
    ['It was 7th December', '2026-12-07'],
    // Day first, never the American month first.
    ['12/7', '2026-07-12'],
    ['05/06/2027', '2027-06-05'],
    // No year: the nearest such day, before or after today.
    ['1st of March', '2027-03-01'],
    ['3rd September', '2026-09-03'],
    ['29/02/2028', '2028-02-29'],
    ['today', '2026-11-23'],
    ['tomorrow', '2026-11-24'],
    ['yesterday', '2026-11-22'],
    ['the day after tomorrow', '2026-11-25'],
    ['next Monday', '2026-11-30'],
    ['last Friday', '2026-11-20'],
    ['this Friday', '2026-11-27'],
    ['this coming Friday', '2026-11-27'],
    ['Tues 24/11/2026', '2026-11-24'],
    ['a week ago', '2026-11-16'],
    ['in 3 days', '2026-11-26'],
    ['this morning', '2026-11-23'],
  ])('"%s" is %s', (typed, expected) => {
    expect(readDate(typed, MONDAY)).toEqual({ ok: true, date: expected });
  });

  it('"next Monday" said on a Saturday is the Monday two days later, and on a Sunday the day after', () => {
    expect(readDate('next Monday', isoDate('2026-11-28'))).toEqual({ ok: true, date: '2026-11-30' });
    expect(readDate('next Monday', isoDate('2026-11-29'))).toEqual({ ok: true, date: '2026-11-30' });
  });

  it('"tomorrow" late on the Saturday before the clocks go back is still Sunday', () => {
    expect(readDate('tomorrow', isoDate('2026-10-24'))).toEqual({ ok: true, date: '2026-10-25' });
    expect(readDate('tomorrow', isoDate('2026-03-28'))).toEqual({ ok: true, date: '2026-03-29' });
  });

  it.each([
    ['31/02/2026', /^There is no such date: please check the day and the month/],
    ['29/02/2027', /^There is no such date/],
    ['30/13/2026', /^There is no such date/],
    ['2026-02-30', /^There is no such date/],
    ['31st September', /^There is no such date/],
    ['December', /^Which day\? That is not a whole date/],
    ['Friday', /^Friday could be Fri 20 Nov 2026 or Fri 27 Nov 2026: please say "last Friday" or "this Friday"/],
    ['fri', /^Friday could be Fri 20 Nov 2026 or Fri 27 Nov 2026/],
    ['Monday', /^Monday could be today, last Monday or next Monday/],
    ['next Tuesday', /^Next Tuesday could be Tue 24 Nov 2026 or Tue 1 Dec 2026: please type the date \(for example 24\/11\/2026\)/],
    ['next week', /^That could be more than one day/],
    ['next month', /^That could be more than one day/],
    ['Friday week', /^I could not tell which day that means/],
    ['Thursday 3rd', /^I could not tell which day that means/],
    ['7/12 or 8/12', /^Please give one date, not two or a range/],
    ['from 7/12 to 9/12', /^Please give one date, not two or a range/],
    ['Tuesday 7 December', /^Mon 7 Dec 2026 is a Monday, not a Tuesday: please check the date/],
    ['7th', /^I could not read that as a date. Please type it for example 7\/12\/2026, 7 December or next Monday/],
    ['soon', /^I could not read that as a date/],
    ['at 3pm', /^Which day\?/],
    ['1/1/1890', /is not a year this could be/],
  ])('"%s" is refused: %s', (typed, problem) => {
    const read = readDate(typed, MONDAY);
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.problem).toMatch(problem);
  });
});

describe('a refusal never repeats what was typed (Teams renders Markdown in messages and card error lines)', () => {
  it.each([['**soon**'], ['<at>Head</at> Friday'], ['${x} week'], ['[7th](http://x.example) maybe'], ['31/02/2026 _x_']])('"%s"', (typed) => {
    const read = readDate(typed, MONDAY);
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.problem).not.toMatch(/\*\*|<at>|\$\{|\]\(|_x_/);
  });
});

describe('every date answer of a dialog accepts the British forms and keeps ISO', () => {
  const schema = z.object({ startDate: dateString('The first day'), meeting: optionalDate('The meeting date') });

  it('reads relative dates on the day the answer is read, not the wall clock', () => {
    expect(readingAnswersOn(MONDAY, () => schema.parse({ startDate: 'tomorrow', meeting: '7th December' }))).toEqual({ startDate: '2026-11-24', meeting: '2026-12-07' });
    expect(readingAnswersOn(isoDate('2027-01-04'), () => schema.parse({ startDate: 'tomorrow', meeting: '' }))).toEqual({ startDate: '2027-01-05' });
  });

  it('a stored ISO answer reads back unchanged', () => {
    expect(schema.parse({ startDate: '2026-12-07', meeting: '2026-12-01' })).toEqual({ startDate: '2026-12-07', meeting: '2026-12-01' });
  });

  it.each([
    [{ startDate: '31/02/2026' }, 'The first day: There is no such date: please check the day and the month (for example 7/12/2026, 7 December or next Monday).'],
    [{ startDate: '' }, 'The first day is needed'],
    [{}, 'The first day is needed'],
    [{ startDate: '2026-12-07', meeting: 'Friday' }, 'The meeting date: Friday could be Fri 20 Nov 2026 or Fri 27 Nov 2026: please say "last Friday" or "this Friday", or type the date.'],
  ])('%j is refused with "%s"', (input, message) => {
    const result = readingAnswersOn(MONDAY, () => schema.safeParse(input));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});

describe('numbers out of range are refused with the range, never changed to fit', () => {
  const schema = z.object({ attendancePercent: optionalNumber(0, 100, 'Attendance', '%'), days: optionalNumber(0.5, 45, 'The number of school days') });

  it.each([
    [{ attendancePercent: '150' }, 'Attendance must be between 0 and 100%'],
    [{ attendancePercent: 150 }, 'Attendance must be between 0 and 100%'],
    [{ attendancePercent: '-1' }, 'Attendance must be between 0 and 100%'],
    [{ days: '-3' }, 'The number of school days must be between 0.5 and 45'],
    [{ days: '46' }, 'The number of school days must be between 0.5 and 45'],
    [{ days: '0' }, 'The number of school days must be between 0.5 and 45'],
    [{ days: 'lots' }, 'The number of school days must be a number'],
    [{ days: '1e1' }, 'The number of school days must be a number'],
    [{ days: true }, 'The number of school days must be a number'],
  ])('%j: "%s"', (input, message) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it.each([
    [{ attendancePercent: '72' }, { attendancePercent: 72 }],
    [{ attendancePercent: ' 72.5 ' }, { attendancePercent: 72.5 }],
    [{ attendancePercent: '72%' }, { attendancePercent: 72 }],
    [{ attendancePercent: 100, days: '0.5' }, { attendancePercent: 100, days: 0.5 }],
    [{ attendancePercent: '', days: '   ' }, {}],
  ])('%j is %j', (input, expected) => {
    expect(schema.parse(input)).toEqual(expected);
  });
});
