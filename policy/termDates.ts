import ICAL from 'ical.js';
import { z } from 'zod';
import { parseCsv } from './csv';
import { addDays, compareDates, IsoDate, isIsoDate, londonDate } from './dates';
import { CalendarData, calendarSchema } from './schoolProfile';

/**
 * Term dates as local authorities publish them, read into a school profile's calendar: terms, the
 * breaks inside them (half terms) and closures (INSET days). Two formats:
 *
 * - CSV with a heading row `name,start,end,kind`, `kind` one of term, half term, holiday, break,
 *   inset, closure (bank holiday lines are ignored; a blank kind is read from the name); dates
 *   dd/mm/yyyy or yyyy-mm-dd; a closure's end may be blank for a single day. Lines whose first cell
 *   starts with `#` are comments.
 * - iCalendar (.ics), read with ical.js: all-day VEVENTs whose SUMMARY says what they are. DTEND is
 *   the day after the last (RFC 5545); an event with no DTEND is one day. Holidays between terms and
 *   bank holidays are ignored (the holidays are not school days anyway and the calendar knows
 *   England's bank holidays); a summary that is none of these is a warning, not a silent loss.
 *
 * Nothing is half-imported: any error means no calendar. Every message names the line (the CSV line,
 * or the line of the event's BEGIN:VEVENT) and, where one is at fault, the field.
 */

export interface TermDatesResult {
  /** The calendar, when there are no errors (then it satisfies calendarSchema). */
  calendar: CalendarData | undefined;
  warnings: string[];
  errors: string[];
}

type Kind = 'term' | 'break' | 'closure' | 'bankHoliday';

/** Where an entry came from, for messages. */
interface Origin {
  line: number;
  /** The SUMMARY of a VEVENT, or undefined for a CSV line. */
  event?: string;
}

interface Entry {
  kind: Exclude<Kind, 'bankHoliday'>;
  name: string | undefined;
  start: IsoDate;
  end: IsoDate;
  origin: Origin;
}

interface Problem {
  line: number;
  text: string;
}

class Report {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];

  error(origin: Origin | undefined, field: string | undefined, message: string): void {
    this.errors.push({ line: origin?.line ?? 0, text: where(origin, field) + message });
  }

  warn(origin: Origin | undefined, field: string | undefined, message: string): void {
    this.warnings.push({ line: origin?.line ?? 0, text: where(origin, field) + message });
  }
}

function where(origin: Origin | undefined, field: string | undefined): string {
  if (!origin) return '';
  const event = origin.event === undefined ? '' : origin.event === '' ? ' (VEVENT)' : ` (VEVENT "${origin.event}")`;
  return `line ${origin.line}${event}${field ? `, ${field}` : ''}: `;
}

/** How a message refers to the entry: "it" in an .ics (the event is named already), its name in a CSV. */
function subject(entry: Entry): string {
  if (entry.origin.event !== undefined) return 'it';
  if (entry.name) return `"${entry.name}"`;
  return entry.kind === 'closure' ? 'the closure' : entry.kind === 'break' ? 'the break' : 'the term';
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function dayMonth(date: IsoDate): [number, string, string] {
  const [y, m, d] = date.split('-');
  return [Number(d), MONTHS[Number(m) - 1] ?? '', y ?? ''];
}

/** "3 September 2026". */
function longDate(date: IsoDate): string {
  const [d, m, y] = dayMonth(date);
  return `${d} ${m} ${y}`;
}

/** "2 to 19 December 2026", "30 November to 4 December 2026", "21 December 2026 to 1 January 2027", "3 September 2026". */
function dateRange(start: IsoDate, end: IsoDate): string {
  if (start === end) return longDate(start);
  const [d1, m1, y1] = dayMonth(start);
  if (y1 !== dayMonth(end)[2]) return `${longDate(start)} to ${longDate(end)}`;
  if (m1 !== dayMonth(end)[1]) return `${d1} ${m1} to ${longDate(end)}`;
  return `${d1} to ${longDate(end)}`;
}

/** "falls on 3 September 2026", "runs from 20 to 21 July 2027". */
function span(start: IsoDate, end: IsoDate): string {
  return start === end ? `falls on ${longDate(start)}` : `runs from ${dateRange(start, end)}`;
}

const TERM_NAME_MAX = 40;
const OTHER_NAME_MAX = 80;

function shorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : name.slice(0, max)).replace(/[\s,;:–-]+$/, '');
}

// ---------------------------------------------------------------------------------------------
// What a name or SUMMARY says an event is.

type Meaning = Kind | 'termStart' | 'termEnd' | 'unknown';

const BANK_HOLIDAY = /\bbank holiday\b|\bgood friday\b|\beaster monday\b|\bchristmas day\b|\bboxing day\b|\bnew year'?s? day\b|\bmay day\b/;
const CLOSURE =
  /\binset\b|\btraining days?\b|\bstaff (?:development|training)\b|\bteacher (?:training|days?)\b|\bprofessional development\b|\bpd days?\b|\bnon[- ]pupil days?\b|\boccasional (?:days?|holidays?)\b|\bschools? closed?\b|\bclosures?\b|\bclosed\b/;
const BREAK = /\bhalf[- ]?terms?\b|\bholidays?\b|\bbreak\b|\bvacation\b/;
const TERM = /\bterms?\b|^(?:autumn|spring|summer)\s*[12]\b/;
const TERM_START = /\b(?:starts?|begins?|opens?|start of|beginning of|first day of|first day)\b/;
const TERM_END = /\b(?:ends?|finish(?:es)?|closes?|end of|last day of|last day)\b/;

function meaning(text: string): Meaning {
  const s = text.toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
  if (BANK_HOLIDAY.test(s)) return 'bankHoliday';
  if (CLOSURE.test(s)) return 'closure';
  if (BREAK.test(s)) return 'break';
  if (TERM.test(s)) {
    if (TERM_START.test(s)) return 'termStart';
    if (TERM_END.test(s)) return 'termEnd';
    return 'term';
  }
  return 'unknown';
}

/** "Autumn term starts" and "End of autumn term" are both "Autumn term". */
function markedTermName(summary: string): string {
  const name = summary
    .replace(/\b(?:start|beginning|first day|end|last day)\s+of(?:\s+the)?\b/gi, ' ')
    .replace(/\b(?:starts?|begins?|opens?|ends?|finish(?:es)?|closes?|first day|last day)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:–-]+|[\s,;:–-]+$/g, '');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Putting entries together: the rules both formats share.

/**
 * `termLines` counts the lines or events meant as terms, read or not: a file whose one term has a
 * bad date is told about the date, not that it has no term.
 */
function assemble(entries: Entry[], termLines: number, report: Report, source: 'csv' | 'ics'): CalendarData | undefined {
  const terms = entries.filter((e) => e.kind === 'term').sort((a, b) => compareDates(a.start, b.start) || a.origin.line - b.origin.line);
  for (let i = 0; i < terms.length; i++) {
    const later = terms[i]!;
    for (const earlier of terms.slice(0, i)) {
      if (compareDates(earlier.end, later.start) < 0) continue;
      const overlapEnd = compareDates(earlier.end, later.end) < 0 ? earlier.end : later.end;
      report.error(later.origin, undefined, `${subject(later)} overlaps "${earlier.name ?? ''}" (${dateRange(later.start, overlapEnd)})`);
    }
  }

  const calendar: CalendarData = {
    terms: terms.map((t) => ({ name: t.name ?? '', start: t.start, end: t.end, breaks: [] })),
    closures: [],
  };

  for (const b of entries.filter((e) => e.kind === 'break')) {
    const index = terms.findIndex((t) => compareDates(t.start, b.start) <= 0 && compareDates(b.end, t.end) <= 0);
    const term = calendar.terms[index];
    if (term) {
      term.breaks.push({ start: b.start, end: b.end, ...(b.name ? { name: b.name } : {}) });
      continue;
    }
    const straddled = terms.find((t) => compareDates(t.start, b.end) <= 0 && compareDates(b.start, t.end) <= 0);
    if (straddled) {
      const edge = compareDates(b.start, straddled.start) < 0 ? 'start' : 'end';
      report.error(
        b.origin,
        undefined,
        `${subject(b)} ${span(b.start, b.end)}, over the ${edge} of "${straddled.name ?? ''}" (${dateRange(straddled.start, straddled.end)}): a break must fall inside one term`,
      );
    } else if (source === 'csv') {
      report.error(
        b.origin,
        undefined,
        `${subject(b)} ${span(b.start, b.end)}, outside every term: a holiday between terms needs no line (its days are not school days anyway), so delete the line or correct its dates`,
      );
    }
    // In an .ics a holiday between terms is what LAs publish; its days are not school days anyway.
  }

  for (const c of entries.filter((e) => e.kind === 'closure')) {
    if (terms.some((t) => compareDates(t.start, c.end) <= 0 && compareDates(c.start, t.end) <= 0)) {
      calendar.closures.push({ start: c.start, end: c.end, ...(c.name ? { name: c.name } : {}) });
    } else {
      report.warn(c.origin, undefined, `${subject(c)} ${span(c.start, c.end)}, outside every term, so it is ignored`);
    }
  }

  if (terms.length === 0 && termLines === 0) {
    report.error(
      undefined,
      undefined,
      source === 'csv'
        ? 'the file has no term: give each term on a line of its own, with kind "term"'
        : 'the file has no term: no event\'s SUMMARY names a term (such as "Autumn term")',
    );
  }
  if (report.errors.length > 0) return undefined;

  for (const t of calendar.terms) t.breaks.sort((a, b) => compareDates(a.start, b.start));
  calendar.closures.sort((a, b) => compareDates(a.start, b.start));
  const checked = calendarSchema.safeParse(calendar);
  if (!checked.success) {
    report.error(undefined, undefined, `the calendar is not valid: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return undefined;
  }
  return checked.data;
}

function finish(calendar: CalendarData | undefined, report: Report): TermDatesResult {
  const byLine = (a: Problem, b: Problem): number => a.line - b.line;
  const errors = [...report.errors].sort(byLine).map((p) => p.text);
  return {
    calendar: errors.length === 0 ? calendar : undefined,
    warnings: [...report.warnings].sort(byLine).map((p) => p.text),
    errors,
  };
}

function nameFor(kind: Entry['kind'], raw: string, origin: Origin, field: string, report: Report): string | undefined {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name === '') return undefined;
  const max = kind === 'term' ? TERM_NAME_MAX : OTHER_NAME_MAX;
  const short = shorten(name, max);
  if (short !== name) report.warn(origin, field, `"${name}" is longer than ${max} characters, so it is kept as "${short}"`);
  return short;
}

const MAX_CHARACTERS = 1_000_000;

/** Too big, or decoded from something that was not UTF-8: refused before reading. */
function readable(text: string, report: Report): boolean {
  if (text.length > MAX_CHARACTERS) {
    report.error(undefined, undefined, 'the file is larger than 1 MB, far more than a year\'s term dates: is it the right file?');
    return false;
  }
  const garbled = text.indexOf('\uFFFD');
  if (garbled >= 0) {
    const line = text.slice(0, garbled).split(/\r\n|\n|\r/).length;
    report.error({ line }, undefined, 'some characters could not be read: save the file as UTF-8 (in Excel, "CSV UTF-8") and try again');
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// CSV

const HEADINGS: Readonly<Record<'name' | 'start' | 'end' | 'kind', readonly string[]>> = {
  name: ['name', 'description', 'event', 'title'],
  start: ['start', 'start date', 'from', 'starts', 'begins'],
  end: ['end', 'end date', 'to', 'ends', 'until'],
  kind: ['kind', 'type', 'category'],
};

const KINDS: Readonly<Record<string, Kind>> = {
  term: 'term',
  'half term': 'break',
  'half-term': 'break',
  halfterm: 'break',
  holiday: 'break',
  holidays: 'break',
  break: 'break',
  inset: 'closure',
  'inset day': 'closure',
  'training day': 'closure',
  closure: 'closure',
  closed: 'closure',
  'bank holiday': 'bankHoliday',
};

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+00:00(?::00)?)?$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function csvDate(text: string, origin: Origin, field: string, report: Report): IsoDate | undefined {
  const ymd = YMD.exec(text);
  const dmy = DMY.exec(text);
  const parts = ymd ? [ymd[1], ymd[2], ymd[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : undefined;
  if (!parts) {
    report.error(origin, field, `"${text}" is not a date written dd/mm/yyyy or yyyy-mm-dd`);
    return undefined;
  }
  const iso = `${parts[0]}-${(parts[1] ?? '').padStart(2, '0')}-${(parts[2] ?? '').padStart(2, '0')}`;
  if (!isIsoDate(iso)) {
    report.error(origin, field, `"${text}" is not a real date`);
    return undefined;
  }
  return iso;
}

/** Term dates from a CSV file with the headings name, start, end and kind (any case, any order). */
export function termDatesFromCsv(text: string): TermDatesResult {
  const report = new Report();
  if (!readable(text, report)) return finish(undefined, report);
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    report.error({ line: parsed.line }, undefined, parsed.message);
    return finish(undefined, report);
  }
  const records = parsed.records.filter((r) => !(r.cells[0] ?? '').trim().startsWith('#') && r.cells.some((c) => c.trim() !== ''));
  const [heading, ...rows] = records;
  if (!heading) {
    report.error(undefined, undefined, 'the file is empty: it needs a heading row (name, start, end, kind) and a line for each term');
    return finish(undefined, report);
  }

  const headingOrigin: Origin = { line: heading.line };
  const columns: Partial<Record<keyof typeof HEADINGS, number>> = {};
  heading.cells.forEach((cell, index) => {
    const label = cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
    for (const key of Object.keys(HEADINGS) as (keyof typeof HEADINGS)[]) {
      if (!HEADINGS[key].includes(label)) continue;
      if (columns[key] !== undefined) report.error(headingOrigin, undefined, `there are two "${key}" columns`);
      else columns[key] = index;
    }
  });
  const missing = (Object.keys(HEADINGS) as (keyof typeof HEADINGS)[]).filter((k) => columns[k] === undefined && k !== 'kind');
  if (missing.length > 0) {
    report.error(
      headingOrigin,
      undefined,
      `the heading row has no ${missing.map((m) => `"${m}"`).join(' or ')} column (the headings are name, start, end and kind; found ${heading.cells.map((c) => `"${c.trim()}"`).join(', ')})`,
    );
    return finish(undefined, report);
  }

  const entries: Entry[] = [];
  let termLines = 0;
  for (const row of rows) {
    const origin: Origin = { line: row.line };
    const cell = (key: keyof typeof HEADINGS): string => {
      const index = columns[key];
      return index === undefined ? '' : (row.cells[index] ?? '').trim();
    };
    const rawName = cell('name');
    const rawKind = cell('kind').toLowerCase().replace(/\s+/g, ' ');
    let kind: Kind | undefined = KINDS[rawKind];
    if (rawKind === '') {
      const read = meaning(rawName);
      if (read === 'term' || read === 'break' || read === 'closure' || read === 'bankHoliday') kind = read;
      else {
        report.error(origin, 'kind', rawName ? `missing, and "${rawName}" does not say whether it is a term, a break or a closure` : 'missing');
        continue;
      }
    } else if (kind === undefined) {
      const read = meaning(rawKind);
      if (read === 'term' || read === 'break' || read === 'closure' || read === 'bankHoliday') kind = read;
      else {
        report.error(origin, 'kind', `"${cell('kind')}" is not one of term, half term, holiday, break, inset, closure`);
        continue;
      }
    }
    if (kind === 'bankHoliday') continue;
    if (kind === 'term') termLines++;

    const name = nameFor(kind, rawName, origin, 'name', report);
    if (kind === 'term' && name === undefined) report.error(origin, 'name', 'a term needs a name (such as "Autumn term")');
    const rawStart = cell('start');
    const rawEnd = cell('end');
    const start = rawStart === '' ? undefined : csvDate(rawStart, origin, 'start', report);
    if (rawStart === '') report.error(origin, 'start', 'missing');
    let end: IsoDate | undefined;
    if (rawEnd === '') {
      if (kind === 'term') report.error(origin, 'end', 'a term needs an end date');
      else end = start;
    } else end = csvDate(rawEnd, origin, 'end', report);
    if (start === undefined || end === undefined) continue;
    if (compareDates(end, start) < 0) {
      report.error(origin, 'end', `${longDate(end)} is before the start, ${longDate(start)}`);
      continue;
    }
    entries.push({ kind, name, start, end, origin });
  }
  return finish(assemble(entries, termLines, report, 'csv'), report);
}

// ---------------------------------------------------------------------------------------------
// iCalendar

const jCalProperty = z.tuple([z.string(), z.record(z.string(), z.unknown()), z.string()]).rest(z.unknown());

/** The raw value of a property as ical.js read it: its type ("date", "date-time") and text. */
function rawValue(property: ICAL.Property): { type: string; value: string } | undefined {
  const parsed = jCalProperty.safeParse(property.toJSON());
  if (!parsed.success) return undefined;
  const [, , type, value] = parsed.data;
  return typeof value === 'string' ? { type, value } : undefined;
}

/**
 * The value of each property of the event as the file writes it (unfolded), for messages: ical.js
 * has already turned 20260903 into 2026-09-03, and mangles what is not a date.
 */
function writtenValues(lines: string[], beginLine: number): Map<string, string> {
  const values = new Map<string, string>();
  const logical: string[] = [];
  for (let i = beginLine; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^END:VEVENT\s*$/i.test(line)) break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && logical.length > 0) logical[logical.length - 1] += line.slice(1);
    else logical.push(line);
  }
  for (const line of logical) {
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') quoted = !quoted;
      else if (line[i] === ':' && !quoted) {
        const name = (line.slice(0, i).split(';')[0] ?? '').toLowerCase();
        if (!values.has(name)) values.set(name, line.slice(i + 1));
        break;
      }
    }
  }
  return values;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(Z?)$/;

/** A DTSTART or DTEND as a date, and whether it is at midnight (an all-day boundary). */
function icsDate(property: ICAL.Property, written: string | undefined, origin: Origin, field: string, report: Report): { date: IsoDate; midnight: boolean } | undefined {
  const raw = rawValue(property);
  if (!raw) {
    report.error(origin, field, 'it has no value');
    return undefined;
  }
  if (raw.type === 'date') {
    if (written !== undefined && !/^\d{8}$/.test(written.trim())) {
      report.error(origin, field, `"${written}" is not a date written YYYYMMDD`);
      return undefined;
    }
    if (isIsoDate(raw.value)) return { date: raw.value, midnight: true };
    report.error(origin, field, `"${written ?? raw.value}" is not a real date`);
    return undefined;
  }
  const dateTime = raw.type === 'date-time' ? DATE_TIME.exec(raw.value) : null;
  if (!dateTime?.[1] || !isIsoDate(dateTime[1])) {
    report.error(origin, field, `"${written ?? raw.value}" is not a date`);
    return undefined;
  }
  if (dateTime[5] === 'Z') {
    // A UTC time: the school's day is London's.
    const instant = new Date(raw.value);
    const date = londonDate(instant);
    const midnight = londonDate(new Date(instant.getTime() - 1)) !== date;
    return { date, midnight };
  }
  return { date: dateTime[1], midnight: dateTime[2] === '00' && dateTime[3] === '00' && dateTime[4] === '00' };
}

/** The line of each BEGIN:VEVENT, in order. */
function veventLines(lines: string[]): number[] {
  const found: number[] = [];
  lines.forEach((line, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) found.push(i + 1);
  });
  return found;
}

function allEvents(component: ICAL.Component): ICAL.Component[] {
  const events: ICAL.Component[] = [];
  for (const child of component.getAllSubcomponents()) {
    if (child.name === 'vevent') events.push(child);
    else events.push(...allEvents(child));
  }
  return events;
}

/** The first line that is not `NAME:value` or `NAME;PARAM=…:value` (nor a folded continuation). */
function firstMalformedLine(lines: string[]): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.startsWith(' ') || line.startsWith('\t')) continue;
    if (!/^[A-Za-z0-9-]+[;:]/.test(line)) return i + 1;
  }
  return undefined;
}

interface IcsEvent {
  component: ICAL.Component;
  line: number;
  written: Map<string, string>;
}

function readIcs(text: string, report: Report): IcsEvent[] | undefined {
  if (!readable(text, report)) return undefined;
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r\n|\n|\r/);
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  if (firstLine < 0 || !/^BEGIN:VCALENDAR\s*$/i.test(lines[firstLine] ?? '')) {
    report.error({ line: firstLine < 0 ? 1 : firstLine + 1 }, undefined, 'this is not an iCalendar file: it should begin with BEGIN:VCALENDAR');
    return undefined;
  }
  const malformed = firstMalformedLine(lines);
  if (malformed !== undefined) {
    report.error({ line: malformed }, undefined, `"${shorten(lines[malformed - 1] ?? '', 60)}" is not an iCalendar line (NAME:value), so the file cannot be read`);
    return undefined;
  }
  let roots: ICAL.Component[];
  try {
    // Blank lines are not iCalendar, but exports often end with one or two.
    const parsed: unknown = ICAL.parse(lines.filter((l) => l.trim() !== '').join('\r\n'));
    const calendars = Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed];
    roots = calendars.map((c) => new ICAL.Component(z.array(z.unknown()).parse(c)));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    report.error(
      undefined,
      undefined,
      /did not end/.test(message)
        ? 'the file ends before every BEGIN has its END, so it cannot be read (is the end of the file missing?)'
        : `the file could not be read as iCalendar (${message})`,
    );
    return undefined;
  }
  const events = roots.flatMap((r) => (r.name === 'vevent' ? [r] : allEvents(r)));
  const starts = veventLines(lines);
  if (starts.length !== events.length) {
    report.error(undefined, undefined, `the file could not be read as iCalendar: it has ${starts.length} BEGIN:VEVENT lines but ${events.length} events`);
    return undefined;
  }
  return events.map((component, i) => {
    const line = starts[i] ?? 0;
    return { component, line, written: writtenValues(lines, line) };
  });
}

function text(event: ICAL.Component, name: string): string {
  const value = event.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

interface Marker {
  kind: 'termStart' | 'termEnd';
  label: string;
  name: string;
  date: IsoDate;
  origin: Origin;
}

/** Term dates from an iCalendar file: terms, holidays and INSET days as all-day events. */
export function termDatesFromIcs(source: string): TermDatesResult {
  const report = new Report();
  const events = readIcs(source, report);
  if (!events) return finish(undefined, report);

  const entries: Entry[] = [];
  const markers: Marker[] = [];
  let termLines = 0;
  for (const { component: event, line, written } of events) {
    const summary = text(event, 'summary');
    const origin: Origin = { line, event: summary };
    if (text(event, 'status').toUpperCase() === 'CANCELLED') continue;
    const read = meaning(summary);
    if (read === 'bankHoliday') continue;
    if (read === 'term' || read === 'termStart') termLines++;
    if (read === 'unknown') {
      report.warn(
        origin,
        undefined,
        summary === ''
          ? 'it has no SUMMARY, so what it is cannot be told; it is ignored'
          : `"${summary}" is not a term, a holiday or a closure, so it is ignored`,
      );
      continue;
    }
    if (event.hasProperty('rrule') || event.hasProperty('rdate')) {
      const what = read === 'closure' ? 'closure' : read === 'break' ? 'holiday' : 'term';
      report.error(origin, event.hasProperty('rrule') ? 'RRULE' : 'RDATE', `it repeats, and a repeating ${what} cannot be imported: give each ${what} as an event of its own`);
      continue;
    }
    const dtstart = event.getFirstProperty('dtstart');
    if (!dtstart) {
      report.error(origin, 'DTSTART', 'missing');
      continue;
    }
    const start = icsDate(dtstart, written.get('dtstart'), origin, 'DTSTART', report);
    const dtend = event.getFirstProperty('dtend');
    const end = dtend ? icsDate(dtend, written.get('dtend'), origin, 'DTEND', report) : undefined;
    if (!start || (dtend && !end)) continue;

    let last: IsoDate = start.date;
    if (end) {
      // DTEND is exclusive: an all-day event ending at midnight ended the day before.
      last = end.midnight ? addDays(end.date, -1) : end.date;
      if (compareDates(end.date, start.date) < 0) {
        report.error(origin, 'DTEND', `${longDate(end.date)} is before DTSTART, ${longDate(start.date)}`);
        continue;
      }
      // Some calendars write a one-day event with DTEND equal to DTSTART.
      if (compareDates(last, start.date) < 0) last = start.date;
    } else {
      const duration = event.getFirstPropertyValue('duration');
      if (duration instanceof ICAL.Duration) {
        const days = Math.ceil(duration.toSeconds() / 86_400);
        if (days < 0) {
          report.error(origin, 'DURATION', 'it is negative');
          continue;
        }
        last = addDays(start.date, Math.max(0, days - 1));
      }
    }

    if (read === 'termStart' || read === 'termEnd') {
      const name = markedTermName(summary);
      markers.push({ kind: read, label: name.toLowerCase(), name, date: read === 'termStart' ? start.date : last, origin });
      continue;
    }
    const name = nameFor(read, summary, origin, 'SUMMARY', report);
    entries.push({ kind: read, name, start: start.date, end: last, origin });
  }

  entries.push(...pairMarkers(markers, report));
  return finish(assemble(entries, termLines, report, 'ics'), report);
}

/** "Autumn term starts" and "Autumn term ends", published as two one-day events, make one term. */
function pairMarkers(markers: Marker[], report: Report): Entry[] {
  const sorted = [...markers].sort((a, b) => compareDates(a.date, b.date) || a.origin.line - b.origin.line);
  const used = new Set<Marker>();
  const terms: Entry[] = [];
  for (const start of sorted.filter((m) => m.kind === 'termStart')) {
    const nextStart = sorted.find((m) => m !== start && m.kind === 'termStart' && m.label === start.label && compareDates(m.date, start.date) >= 0 && !used.has(m));
    const end = sorted.find(
      (m) =>
        m.kind === 'termEnd' &&
        m.label === start.label &&
        !used.has(m) &&
        compareDates(m.date, start.date) >= 0 &&
        (!nextStart || compareDates(m.date, nextStart.date) < 0),
    );
    used.add(start);
    if (!end) {
      report.error(start.origin, undefined, `it marks the start of "${start.name}", but no event marks its end`);
      continue;
    }
    used.add(end);
    const name = shorten(start.name, TERM_NAME_MAX);
    terms.push({ kind: 'term', name, start: start.date, end: end.date, origin: start.origin });
  }
  for (const end of sorted.filter((m) => m.kind === 'termEnd' && !used.has(m))) {
    report.error(end.origin, undefined, `it marks the end of "${end.name}", but no event before it marks its start`);
  }
  return terms;
}

// ---------------------------------------------------------------------------------------------

/** Reads the file as iCalendar or CSV, by its content first (BEGIN:VCALENDAR), then its name. */
export function termDatesFromFile(fileName: string, text: string): TermDatesResult {
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName.trim())?.[1]?.toLowerCase() ?? '';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (/^BEGIN:VCALENDAR/i.test(head)) return termDatesFromIcs(text);
  if (extension === 'ics' || extension === 'ical' || extension === 'ifb') return termDatesFromIcs(text);
  const looksBinary = text.includes('\u0000') || head.startsWith('%PDF') || head.startsWith('PK\u0003\u0004');
  if (looksBinary || ['xlsx', 'xls', 'pdf', 'doc', 'docx', 'ods', 'odt'].includes(extension)) {
    const what = extension ? `a .${extension} file` : 'not a text file';
    return {
      calendar: undefined,
      warnings: [],
      errors: [`${fileName} is ${what}, which cannot be read here: save the term dates as CSV (name, start, end, kind) or as an iCalendar (.ics) file`],
    };
  }
  return termDatesFromCsv(text);
}

/** The last day the calendar's terms cover: after it, whether a day is a school day is not known. */
export function lastTermDate(calendar: Pick<CalendarData, 'terms'>): IsoDate {
  const [first, ...rest] = calendar.terms;
  if (!first) throw new RangeError('the calendar has no term');
  return rest.reduce<IsoDate>((last, t) => (compareDates(t.end, last) > 0 ? t.end : last), first.end);
}
