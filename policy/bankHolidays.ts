import { addDays, dayOfWeek, IsoDate, makeDate } from './dates';

/**
 * Bank holidays in England and Wales (Banking and Financial Dealings Act 1971 and the yearly
 * royal proclamations). Computed rather than listed so that deadlines years ahead stay right;
 * the one-off days and moved holidays proclaimed since 2011 are listed explicitly.
 */
const MOVED: Readonly<Record<string, IsoDate>> = {
  // Early May bank holiday moved to VE Day's 75th anniversary.
  '2020-05-04': makeDate(2020, 5, 8),
  // Spring bank holiday moved for the Diamond and Platinum Jubilees.
  '2012-05-28': makeDate(2012, 6, 4),
  '2022-05-30': makeDate(2022, 6, 2),
};

const ONE_OFF: readonly IsoDate[] = [
  makeDate(2011, 4, 29), // Royal wedding
  makeDate(2012, 6, 5), // Diamond Jubilee
  makeDate(2022, 6, 3), // Platinum Jubilee
  makeDate(2022, 9, 19), // State funeral of Queen Elizabeth II
  makeDate(2023, 5, 8), // Coronation of King Charles III
];

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return makeDate(year, month, day);
}

function firstMonday(year: number, month: number): IsoDate {
  let d = makeDate(year, month, 1);
  while (dayOfWeek(d) !== 1) d = addDays(d, 1);
  return d;
}

function lastMonday(year: number, month: number): IsoDate {
  let d = addDays(makeDate(year, month + 1, 1), -1);
  while (dayOfWeek(d) !== 1) d = addDays(d, -1);
  return d;
}

function newYear(year: number): IsoDate {
  const d = makeDate(year, 1, 1);
  const dow = dayOfWeek(d);
  if (dow === 6) return addDays(d, 2);
  if (dow === 0) return addDays(d, 1);
  return d;
}

/** Christmas Day and Boxing Day, with substitute days when either falls at a weekend. */
function christmas(year: number): IsoDate[] {
  const xmas = makeDate(year, 12, 25);
  switch (dayOfWeek(xmas)) {
    case 5: // Friday: Boxing Day is Saturday, substitute Monday 28th
      return [xmas, makeDate(year, 12, 28)];
    case 6: // Saturday: substitutes Monday 27th and Tuesday 28th
      return [makeDate(year, 12, 27), makeDate(year, 12, 28)];
    case 0: // Sunday: Boxing Day Monday 26th, substitute Tuesday 27th
      return [makeDate(year, 12, 26), makeDate(year, 12, 27)];
    default:
      return [xmas, makeDate(year, 12, 26)];
  }
}

export function bankHolidays(year: number): IsoDate[] {
  const easter = easterSunday(year);
  const regular = [
    newYear(year),
    addDays(easter, -2),
    addDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    ...christmas(year),
  ].map((d) => MOVED[d] ?? d);
  const extra = ONE_OFF.filter((d) => d.startsWith(`${year}-`));
  return [...new Set([...regular, ...extra])].sort();
}

const cache = new Map<number, ReadonlySet<string>>();

export function isBankHoliday(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  let set = cache.get(year);
  if (!set) {
    set = new Set(bankHolidays(year));
    cache.set(year, set);
  }
  return set.has(date);
}
