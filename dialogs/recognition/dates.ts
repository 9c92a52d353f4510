import * as chrono from 'chrono-node';
import { addDays, dayOfWeek, formatDate, isIsoDate, IsoDate, makeDate } from '../../policy/dates';

/** What a typed date came to: the day, or what to say so the person can type it again. */
export type DateReading = { ok: true; date: IsoDate } | { ok: false; problem: string };

export const DATE_EXAMPLES = 'for example 7/12/2026, 7 December or next Monday';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Words around a date that change nothing ("it was on the 7th of December"). */
const FILLER = new Set(['on', 'the', 'of', 'it', 'was', 'is', 'will', 'be', 'from', 'starting', 'starts', 'start', 'date', 'day', 'this', 'coming', 'next', 'last', 'just', 'gone', 'past', 'previous', 'at', 'by', 'a', 'an']);

/** Short forms chrono does not know. */
const SHORT_FORMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\btues\b/gi, 'Tuesday'],
  [/\bweds?\b/gi, 'Wednesday'],
  [/\byday\b/gi, 'yesterday'],
];

const NUMERIC_DATE = /^\d{1,2}\s*[/.-]\s*\d{1,2}(\s*[/.-]\s*\d{2,4})?$/;
const MONTH_WORD = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

/**
 * Reads a date typed the way people in England write one: ISO from a card's date picker
 * ("2026-12-07"), day first ("7/12", "07/12/2026"; never the American month first), in words
 * ("7th December"), or relative to `today`, the London date ("tomorrow", "next Monday", "last
 * Friday"). Anything that could be more than one day ("Friday" on a Monday, "December", "next
 * week") or is not a day at all ("31/02/2026") is refused with a reason, never guessed. The reason
 * never repeats what was typed: Teams renders Markdown in messages and in a card's error line.
 */
export function readDate(input: string, today: IsoDate): DateReading {
  const text = input.trim().replace(/[.!]+$/, '');
  if (!text) return { ok: false, problem: `Please give a date, ${DATE_EXAMPLES}.` };
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) {
    const padded = `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
    return isIsoDate(padded) ? plausible(padded) : noSuchDate();
  }
  // Written as digits, so chrono finding nothing means there is no such day (31/02, 30/13).
  if (NUMERIC_DATE.test(text) && parse(text, today).length === 0) return noSuchDate();
  if (/^(this (morning|afternoon|evening)|tonight|now)$/i.test(text)) return { ok: true, date: today };
  const spelt = SHORT_FORMS.reduce((t, [from, to]) => t.replace(from, to), text);
  const results = parse(spelt, today);
  if (results.length === 0) {
    if (/\d/.test(text) && MONTH_WORD.test(text)) return noSuchDate();
    return { ok: false, problem: `I could not read that as a date. Please type it ${DATE_EXAMPLES}.` };
  }
  if (results.length > 1 || results[0]!.end) return { ok: false, problem: `Please give one date, not two or a range (${DATE_EXAMPLES}).` };
  const result = results[0]!;
  const leftover = (spelt.slice(0, result.index) + ' ' + spelt.slice(result.index + result.text.length)).toLowerCase().split(/[^a-z0-9]+/).filter((w) => w && !FILLER.has(w));
  if (leftover.length > 0) return { ok: false, problem: `I could not tell which day that means. Please type the date, ${DATE_EXAMPLES}.` };
  if (/\b(week|weeks|month|months|year|years|weekend|fortnight)\b/i.test(text) && !/\d|\b(a|an|one|two|three|four|five|six)\b/i.test(text)) {
    return { ok: false, problem: `That could be more than one day. Please type the day, ${DATE_EXAMPLES}.` };
  }
  const start = result.start;
  const weekday = start.isCertain('weekday') ? start.get('weekday') : null;
  if (!start.isCertain('day')) {
    if (weekday === null) return { ok: false, problem: `Which day? That is not a whole date. Please type it ${DATE_EXAMPLES}.` };
    return relativeWeekday(text, weekday, today);
  }
  const date = makeDate(start.get('year') ?? 0, start.get('month') ?? 0, start.get('day') ?? 0);
  if (weekday !== null && dayOfWeek(date) !== weekday) {
    return { ok: false, problem: `${formatDate(date)} is a ${WEEKDAY_NAMES[dayOfWeek(date)]}, not a ${WEEKDAY_NAMES[weekday]}: please check the date.` };
  }
  return plausible(date);
}

const noSuchDate = (): DateReading => ({ ok: false, problem: `There is no such date: please check the day and the month (${DATE_EXAMPLES}).` });

function parse(text: string, today: IsoDate): chrono.ParsedResult[] {
  // Midday London time on the day: the reference day is the same whichever side of the clocks changing.
  return chrono.en.GB.parse(text, { instant: new Date(`${today}T12:00:00Z`), timezone: 'Europe/London' });
}

/** A year nobody at a school means: a slip of the keyboard (20226, 1026). */
function plausible(date: IsoDate): DateReading {
  const year = Number(date.slice(0, 4));
  if (year < 1900 || year > 2100) return { ok: false, problem: `${formatDate(date)} is not a year this could be: please check it (${DATE_EXAMPLES}).` };
  return { ok: true, date };
}

/**
 * "last Friday" and "this Friday" are one day each. "next Friday" is one day once this week's
 * Friday has gone; said earlier in the week, people mean this week's or next week's, so both
 * are offered. A bare "Friday" (the one just gone or the one coming?) is asked about the same way.
 */
function relativeWeekday(text: string, weekday: number, today: IsoDate): DateReading {
  const back = (dayOfWeek(today) - weekday + 7) % 7 || 7;
  const ahead = (weekday - dayOfWeek(today) + 7) % 7 || 7;
  const lower = text.toLowerCase();
  const name = WEEKDAY_NAMES[weekday]!;
  if (/\b(last|previous|past)\b|\bjust gone\b/.test(lower)) return { ok: true, date: addDays(today, -back) };
  if (/\bnext\b/.test(lower)) {
    if (mondayFirst(weekday) <= mondayFirst(dayOfWeek(today))) return { ok: true, date: addDays(today, ahead) };
    const [soon, later] = [addDays(today, ahead), addDays(today, ahead + 7)];
    return { ok: false, problem: `Next ${name} could be ${formatDate(soon)} or ${formatDate(later)}: please type the date (for example ${shortDate(soon)}).` };
  }
  if (/\b(this|coming)\b/.test(lower)) return { ok: true, date: weekday === dayOfWeek(today) ? today : addDays(today, ahead) };
  if (weekday === dayOfWeek(today)) {
    return { ok: false, problem: `${name} could be today, last ${name} or next ${name}: please say which, or type the date (${DATE_EXAMPLES}).` };
  }
  return {
    ok: false,
    problem: `${name} could be ${formatDate(addDays(today, -back))} or ${formatDate(addDays(today, ahead))}: please say "last ${name}" or "this ${name}", or type the date.`,
  };
}

/** Weeks at school start on Monday: Monday 0 ... Sunday 6. */
const mondayFirst = (weekday: number) => (weekday + 6) % 7;

/** "27/11/2026", the way the person would type it back. */
function shortDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d}/${m}/${y}`;
}
