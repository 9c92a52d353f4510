import { bankHolidays, easterSunday } from '../../policy/bankHolidays';
import { SchoolCalendar } from '../../policy/calendar';
import { isoDate } from '../../policy/dates';
import { profile } from './fixtures';

describe('bank holidays in England and Wales', () => {
  it.each([
    [2026, ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']],
    [2027, ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']],
    [2022, ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27']],
    [2023, ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26']],
    [2020, ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28']],
  ])('%i matches the published list', (year, expected) => {
    expect(bankHolidays(year)).toEqual(expected);
  });

  it('Easter Sunday', () => {
    expect([2024, 2025, 2026, 2027, 2028].map(easterSunday)).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16']);
  });
});

describe('school calendar', () => {
  const cal = new SchoolCalendar(profile('leys').calendar);

  it('skips weekends, half term, bank holidays, the Christmas holiday and INSET days', () => {
    expect(cal.isSchoolDay(isoDate('2026-11-23'))).toBe(true);
    expect(cal.isSchoolDay(isoDate('2026-11-21'))).toBe(false); // Saturday
    expect(cal.isSchoolDay(isoDate('2026-10-28'))).toBe(false); // half term
    expect(cal.isSchoolDay(isoDate('2026-12-28'))).toBe(false); // bank holiday and holiday
    expect(cal.isSchoolDay(isoDate('2027-01-04'))).toBe(false); // INSET
    expect(cal.isSchoolDay(isoDate('2027-01-05'))).toBe(true);
    expect(cal.isSchoolDay(isoDate('2027-05-31'))).toBe(false); // bank holiday in half term
  });

  it('adds school days across half term', () => {
    // Friday before half term + 1 school day = the Monday after it.
    expect(cal.addSchoolDays(isoDate('2026-10-23'), 1)).toBe('2026-11-02');
    expect(cal.addSchoolDays(isoDate('2026-10-23'), 0)).toBe('2026-10-23');
    // From a Saturday, 0 school days is the next school day.
    expect(cal.addSchoolDays(isoDate('2026-11-21'), 0)).toBe('2026-11-23');
  });

  it('adds school days across Christmas and the INSET day', () => {
    expect(cal.addSchoolDays(isoDate('2026-12-14'), 5)).toBe('2027-01-05');
  });

  it('counts school days between dates', () => {
    expect(cal.schoolDaysBetween(isoDate('2026-11-23'), isoDate('2026-11-30'))).toBe(5);
    expect(cal.schoolDaysBetween(isoDate('2026-12-18'), isoDate('2027-01-05'))).toBe(1);
    expect(cal.schoolDaysBetween(isoDate('2026-11-30'), isoDate('2026-11-23'))).toBe(0);
    // addSchoolDays and schoolDaysBetween agree.
    for (const n of [1, 5, 10, 15, 30]) expect(cal.schoolDaysBetween(isoDate('2026-11-23'), cal.addSchoolDays(isoDate('2026-11-23'), n))).toBe(n);
  });

  it('beyond the last known term, weekdays that are not bank holidays count', () => {
    expect(cal.isSchoolDay(isoDate('2027-09-06'))).toBe(true);
    expect(cal.isSchoolDay(isoDate('2027-08-30'))).toBe(false); // bank holiday
  });

  it('knows the end of the term', () => {
    expect(cal.termEndFor(isoDate('2026-11-23'))).toBe('2026-12-18');
    expect(cal.termEndFor(isoDate('2026-12-25'))).toBe('2027-03-25');
  });

  it('refuses a negative or fractional number of school days', () => {
    expect(() => cal.addSchoolDays(isoDate('2026-11-23'), -1)).toThrow(RangeError);
    expect(() => cal.addSchoolDays(isoDate('2026-11-23'), 1.5)).toThrow(RangeError);
  });
});
