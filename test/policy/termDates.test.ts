import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchoolCalendar } from '../../policy/calendar';
import { isoDate } from '../../policy/dates';
import { CalendarData, calendarSchema } from '../../policy/schoolProfile';
import { lastTermDate, termDatesFromCsv, termDatesFromFile, termDatesFromIcs } from '../../policy/termDates';

const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
const SAMPLE_CSV = fixture('term-dates-sample.csv');
const SAMPLE_ICS = fixture('term-dates-sample.ics');

/** The synthetic 2026-27 calendar both sample files describe. */
const EXPECTED = {
  terms: [
    { name: 'Autumn term', start: '2026-09-03', end: '2026-12-18', breaks: [{ start: '2026-10-26', end: '2026-10-30', name: 'October half term' }] },
    { name: 'Spring term', start: '2027-01-04', end: '2027-03-26', breaks: [{ start: '2027-02-15', end: '2027-02-19', name: 'February half term' }] },
    { name: 'Summer term 2027', start: '2027-04-12', end: '2027-07-21', breaks: [{ start: '2027-05-31', end: '2027-06-04', name: 'May half term' }] },
  ],
  closures: [
    { start: '2026-09-03', end: '2026-09-03', name: 'INSET day' },
    { start: '2026-09-04', end: '2026-09-04', name: 'INSET day' },
    { start: '2027-01-04', end: '2027-01-04', name: 'INSET day' },
    { start: '2027-07-20', end: '2027-07-21', name: 'INSET days' },
  ],
};

const csv = (...rows: string[]): string => ['name,start,end,kind', ...rows].join('\n');

/** A calendar around the events: BEGIN:VCALENDAR is line 1, the first event begins on line 4. */
const ics = (...events: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');

/** An all-day event: 5 lines with DTEND, 4 without, plus any extra lines. */
const event = (summary: string, start: string, end?: string, ...extra: string[]): string =>
  ['BEGIN:VEVENT', `SUMMARY:${summary}`, `DTSTART;VALUE=DATE:${start}`, ...(end ? [`DTEND;VALUE=DATE:${end}`] : []), ...extra, 'END:VEVENT'].join('\r\n');

const AUTUMN = event('Autumn term', '20260903', '20261219');

describe('term dates from CSV', () => {
  it('reads the sample into the calendar a school profile takes', () => {
    const result = termDatesFromCsv(SAMPLE_CSV);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.calendar).toEqual(EXPECTED);
    expect(calendarSchema.parse(result.calendar)).toEqual(EXPECTED);
  });

  it('reads the same with CRLF line ends and a UTF-8 byte order mark', () => {
    const result = termDatesFromCsv(`\uFEFF${SAMPLE_CSV.replace(/\n/g, '\r\n')}`);
    expect(result.errors).toEqual([]);
    expect(result.calendar).toEqual(EXPECTED);
  });

  it('takes the headings in any case and order, and dates as yyyy-mm-dd or d/m/yyyy', () => {
    const result = termDatesFromCsv(['KIND,End,START,Name', 'term,2026-12-18,2026-09-03,Autumn term', 'Half-Term,30/10/2026,26/10/2026,October half term', 'Closure,,7/9/2026,'].join('\n'));
    expect(result.errors).toEqual([]);
    expect(result.calendar).toEqual({
      terms: [{ name: 'Autumn term', start: '2026-09-03', end: '2026-12-18', breaks: [{ start: '2026-10-26', end: '2026-10-30', name: 'October half term' }] }],
      closures: [{ start: '2026-09-07', end: '2026-09-07' }],
    });
  });

  it('reads a blank kind from the name, and ignores bank holidays', () => {
    const result = termDatesFromCsv(
      csv('Autumn term,03/09/2026,18/12/2026,', 'October half term,26/10/2026,30/10/2026,', 'Staff training day,04/09/2026,,', 'Christmas Day,25/12/2026,,bank holiday'),
    );
    expect(result.errors).toEqual([]);
    expect(result.calendar?.terms[0]?.breaks).toEqual([{ start: '2026-10-26', end: '2026-10-30', name: 'October half term' }]);
    expect(result.calendar?.closures).toEqual([{ start: '2026-09-04', end: '2026-09-04', name: 'Staff training day' }]);
  });

  it('keeps a name too long for the profile short, and says so', () => {
    const long = 'Autumn term for the infant and junior departments';
    const result = termDatesFromCsv(csv(`${long},03/09/2026,18/12/2026,term`));
    expect(result.warnings).toEqual([`line 2, name: "${long}" is longer than 40 characters, so it is kept as "Autumn term for the infant and junior"`]);
    expect(result.calendar?.terms[0]?.name).toBe('Autumn term for the infant and junior');
  });

  describe('refuses', () => {
    it.each([
      ['a date that does not exist', csv('Autumn term,03/09/2026,31/02/2027,term'), 'line 2, end: "31/02/2027" is not a real date'],
      ['a date in another form', csv('Autumn term,3/9/26,18/12/2026,term'), 'line 2, start: "3/9/26" is not a date written dd/mm/yyyy or yyyy-mm-dd'],
      ['an end before the start', csv('Autumn term,03/09/2026,01/09/2026,term'), 'line 2, end: 1 September 2026 is before the start, 3 September 2026'],
      ['a term with no end', csv('Autumn term,03/09/2026,,term'), 'line 2, end: a term needs an end date'],
      ['a line with no start', csv('Autumn term,,18/12/2026,term'), 'line 2, start: missing'],
      ['a term with no name', csv(',03/09/2026,18/12/2026,term'), 'line 2, name: a term needs a name (such as "Autumn term")'],
      ['an unknown kind', csv('Autumn term,03/09/2026,18/12/2026,term', 'Mocks,07/12/2026,11/12/2026,exam'), 'line 3, kind: "exam" is not one of term, half term, holiday, break, inset, closure'],
      [
        'a blank kind the name does not settle',
        csv('Autumn term,03/09/2026,18/12/2026,term', 'Sports day,25/06/2027,,'),
        'line 3, kind: missing, and "Sports day" does not say whether it is a term, a break or a closure',
      ],
      ['overlapping terms', csv('Autumn term,03/09/2026,18/12/2026,term', 'Spring term,02/12/2026,26/03/2027,term'), 'line 3: "Spring term" overlaps "Autumn term" (2 to 18 December 2026)'],
      [
        'a break outside every term',
        csv('Autumn term,03/09/2026,18/12/2026,term', 'Christmas holiday,21/12/2026,01/01/2027,holiday'),
        'line 3: "Christmas holiday" runs from 21 December 2026 to 1 January 2027, outside every term: a holiday between terms needs no line (its days are not school days anyway), so delete the line or correct its dates',
      ],
      [
        'a break over the end of a term',
        csv('Autumn term,03/09/2026,18/12/2026,term', 'Half term,14/12/2026,22/12/2026,break'),
        'line 3: "Half term" runs from 14 to 22 December 2026, over the end of "Autumn term" (3 September to 18 December 2026): a break must fall inside one term',
      ],
      ['a file with no term', csv('INSET day,03/09/2026,,inset'), 'the file has no term: give each term on a line of its own, with kind "term"'],
      ['a heading row without the dates', 'name,date,kind\nAutumn term,03/09/2026,term', 'line 1: the heading row has no "start" or "end" column (the headings are name, start, end and kind; found "name", "date", "kind")'],
      ['two columns for one heading', 'name,start,start date,end,kind\nAutumn term,03/09/2026,03/09/2026,18/12/2026,term', 'line 1: there are two "start" columns'],
      ['an empty file', '\n\n', 'the file is empty: it needs a heading row (name, start, end, kind) and a line for each term'],
      ['a quote never closed', csv('Autumn term,03/09/2026,18/12/2026,term', '"Spring term,04/01/2027,26/03/2027,term'), 'line 3: a cell opens a double quote (") that is never closed, so the rest of the file cannot be read'],
      [
        'characters that were not UTF-8',
        csv('Autumn term,03/09/2026,18/12/2026,term', 'Caf\uFFFD closed,07/09/2026,,closure'),
        'line 3: some characters could not be read: save the file as UTF-8 (in Excel, "CSV UTF-8") and try again',
      ],
    ])('%s', (_what, text, message) => {
      const result = termDatesFromCsv(text);
      expect(result.errors).toEqual([message]);
      expect(result.calendar).toBeUndefined();
    });

    it('the whole file for one bad line, naming every problem in line order', () => {
      const result = termDatesFromCsv(csv('Autumn term,03/09/2026,18/12/2026,term', 'Spring term,04/01/2027,31/02/2027,term', 'Summer term,12/04/2027,21/07/2027,trem'));
      expect(result.calendar).toBeUndefined();
      expect(result.errors).toEqual(['line 3, end: "31/02/2027" is not a real date', 'line 4, kind: "trem" is not one of term, half term, holiday, break, inset, closure']);
    });
  });

  it('warns about, and leaves out, a closure outside every term', () => {
    const result = termDatesFromCsv(csv('Autumn term,03/09/2026,18/12/2026,term', 'INSET day,01/09/2026,,inset', 'INSET day,07/09/2026,,inset'));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(['line 3: "INSET day" falls on 1 September 2026, outside every term, so it is ignored']);
    expect(result.calendar?.closures).toEqual([{ start: '2026-09-07', end: '2026-09-07', name: 'INSET day' }]);
  });

  it('skips comment lines and blank lines', () => {
    expect(SAMPLE_CSV.startsWith('# Synthetic')).toBe(true);
    const result = termDatesFromCsv(`# a comment\n\n${csv('Autumn term,03/09/2026,18/12/2026,term')}\n\n`);
    expect(result.errors).toEqual([]);
    expect(result.calendar?.terms).toHaveLength(1);
  });
});

describe('term dates from iCalendar', () => {
  it('reads the sample into the same calendar as the CSV, warning about the event it does not know', () => {
    const result = termDatesFromIcs(SAMPLE_ICS);
    expect(result.errors).toEqual([]);
    expect(result.calendar).toEqual(EXPECTED);
    expect(result.calendar).toEqual(termDatesFromCsv(SAMPLE_CSV).calendar);
    expect(calendarSchema.parse(result.calendar)).toEqual(EXPECTED);
    // Christmas, Easter and summer holidays (between terms) and bank holidays are left out without a word.
    expect(result.warnings).toEqual(['line 125 (VEVENT "Sports day"): "Sports day" is not a term, a holiday or a closure, so it is ignored']);
    const lines = SAMPLE_ICS.split('\r\n');
    expect(lines[124]).toBe('BEGIN:VEVENT');
    expect(lines.slice(125, 130)).toContain('SUMMARY:Sports day');
  });

  it('says the sample is synthetic, in the calendar’s description', () => {
    expect(SAMPLE_ICS).toContain('X-WR-CALDESC:Synthetic test data');
  });

  it('reads DTEND as the day after the last (RFC 5545)', () => {
    const result = termDatesFromIcs(ics(AUTUMN, event('October half term', '20261026', '20261031')));
    expect(result.calendar?.terms).toEqual([
      { name: 'Autumn term', start: '2026-09-03', end: '2026-12-18', breaks: [{ start: '2026-10-26', end: '2026-10-30', name: 'October half term' }] },
    ]);
  });

  it('reads an event with no DTEND, or with DTEND equal to DTSTART, as one day, and DURATION as so many days', () => {
    const result = termDatesFromIcs(
      ics(AUTUMN, event('INSET day', '20260903'), event('INSET day', '20260904', '20260904'), event('Closure', '20261207', undefined, 'DURATION:P2D')),
    );
    expect(result.errors).toEqual([]);
    expect(result.calendar?.closures).toEqual([
      { start: '2026-09-03', end: '2026-09-03', name: 'INSET day' },
      { start: '2026-09-04', end: '2026-09-04', name: 'INSET day' },
      { start: '2026-12-07', end: '2026-12-08', name: 'Closure' },
    ]);
  });

  it('reads LF line ends and a byte order mark the same', () => {
    const result = termDatesFromIcs(`\uFEFF${SAMPLE_ICS.replace(/\r\n/g, '\n')}`);
    expect(result.errors).toEqual([]);
    expect(result.calendar).toEqual(EXPECTED);
  });

  it('reads midnight-to-midnight times as whole days, in London time when they are UTC', () => {
    const utc = ['BEGIN:VEVENT', 'SUMMARY:Autumn term', 'DTSTART:20260902T230000Z', 'DTEND:20261219T000000Z', 'END:VEVENT'].join('\r\n');
    const local = ['BEGIN:VEVENT', 'SUMMARY:Autumn term', 'DTSTART;TZID=Europe/London:20260903T000000', 'DTEND;TZID=Europe/London:20261219T000000', 'END:VEVENT'].join('\r\n');
    for (const text of [ics(utc), ics(local)]) {
      expect(termDatesFromIcs(text).calendar?.terms).toEqual([{ name: 'Autumn term', start: '2026-09-03', end: '2026-12-18', breaks: [] }]);
    }
  });

  it('makes one term of events that mark its start and its end', () => {
    const result = termDatesFromIcs(
      ics(event('Autumn term starts', '20260903'), event('Autumn term ends', '20261218'), event('First day of spring term', '20270104'), event('Last day of spring term', '20270326')),
    );
    expect(result.errors).toEqual([]);
    expect(result.calendar?.terms).toEqual([
      { name: 'Autumn term', start: '2026-09-03', end: '2026-12-18', breaks: [] },
      { name: 'Spring term', start: '2027-01-04', end: '2027-03-26', breaks: [] },
    ]);
  });

  it('knows six-term years, and leaves out cancelled events', () => {
    const result = termDatesFromIcs(ics(event('Autumn 1', '20260903', '20261024'), event('Autumn 2', '20261102', '20261219'), event('INSET day', '20261102', undefined, 'STATUS:CANCELLED')));
    expect(result.errors).toEqual([]);
    expect(result.calendar).toEqual({
      terms: [
        { name: 'Autumn 1', start: '2026-09-03', end: '2026-10-23', breaks: [] },
        { name: 'Autumn 2', start: '2026-11-02', end: '2026-12-18', breaks: [] },
      ],
      closures: [],
    });
  });

  describe('refuses', () => {
    it.each([
      ['overlapping terms', ics(event('Autumn term', '20260903', '20261220'), event('Spring term', '20261202', '20270327')), 'line 9 (VEVENT "Spring term"): it overlaps "Autumn term" (2 to 19 December 2026)'],
      [
        'a half term over the end of a term',
        ics(AUTUMN, event('Half term', '20261214', '20261222')),
        'line 9 (VEVENT "Half term"): it runs from 14 to 21 December 2026, over the end of "Autumn term" (3 September to 18 December 2026): a break must fall inside one term',
      ],
      ['a date that does not exist', ics(event('Autumn term', '20261399', '20261219')), 'line 4 (VEVENT "Autumn term"), DTSTART: "20261399" is not a real date'],
      ['a date in another form', ics(event('Autumn term', '2026-09-03', '20261219')), 'line 4 (VEVENT "Autumn term"), DTSTART: "2026-09-03" is not a date written YYYYMMDD'],
      ['DTEND before DTSTART', ics(event('Autumn term', '20260903', '20260901')), 'line 4 (VEVENT "Autumn term"), DTEND: 1 September 2026 is before DTSTART, 3 September 2026'],
      ['an event with no DTSTART', ics(['BEGIN:VEVENT', 'SUMMARY:Autumn term', 'END:VEVENT'].join('\r\n')), 'line 4 (VEVENT "Autumn term"), DTSTART: missing'],
      [
        'a repeating event',
        ics(AUTUMN, event('INSET day', '20260904', undefined, 'RRULE:FREQ=WEEKLY;COUNT=3')),
        'line 9 (VEVENT "INSET day"), RRULE: it repeats, and a repeating closure cannot be imported: give each closure as an event of its own',
      ],
      ['a file with no term', ics(event('Half term', '20261026', '20261031')), 'the file has no term: no event\'s SUMMARY names a term (such as "Autumn term")'],
      ['the start of a term with no end', ics(AUTUMN, event('Spring term begins', '20270104')), 'line 9 (VEVENT "Spring term begins"): it marks the start of "Spring term", but no event marks its end'],
      ['the end of a term with no start', ics(AUTUMN, event('End of spring term', '20270326')), 'line 9 (VEVENT "End of spring term"): it marks the end of "Spring term", but no event before it marks its start'],
      ['a file that is not iCalendar', '<!DOCTYPE html>\n<html></html>', 'line 1: this is not an iCalendar file: it should begin with BEGIN:VCALENDAR'],
      ['a line that is not iCalendar', ics(['BEGIN:VEVENT', 'SUMMARY:Autumn term', 'DTSTART;VALUE=DATE:20260903', 'Spring term', 'END:VEVENT'].join('\r\n')), 'line 7: "Spring term" is not an iCalendar line (NAME:value), so the file cannot be read'],
      ['a file cut short', ['BEGIN:VCALENDAR', 'VERSION:2.0', AUTUMN, 'BEGIN:VEVENT', 'SUMMARY:Spring term'].join('\r\n'), 'the file ends before every BEGIN has its END, so it cannot be read (is the end of the file missing?)'],
    ])('%s', (_what, text, message) => {
      const result = termDatesFromIcs(text);
      expect(result.errors).toEqual([message]);
      expect(result.calendar).toBeUndefined();
    });
  });

  it('warns about events it cannot place, and leaves them out', () => {
    const result = termDatesFromIcs(ics(AUTUMN, event('Parents’ evening', '20261110'), ['BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261111', 'END:VEVENT'].join('\r\n'), event('INSET day', '20260901')));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'line 9 (VEVENT "Parents’ evening"): "Parents’ evening" is not a term, a holiday or a closure, so it is ignored',
      'line 13 (VEVENT): it has no SUMMARY, so what it is cannot be told; it is ignored',
      'line 16 (VEVENT "INSET day"): it falls on 1 September 2026, outside every term, so it is ignored',
    ]);
    expect(result.calendar).toEqual({ terms: [{ name: 'Autumn term', start: '2026-09-03', end: '2026-12-18', breaks: [] }], closures: [] });
  });
});

describe('termDatesFromFile', () => {
  it('reads a .csv as CSV and a .ics as iCalendar', () => {
    expect(termDatesFromFile('term-dates-2026-27.csv', SAMPLE_CSV)).toEqual(termDatesFromCsv(SAMPLE_CSV));
    expect(termDatesFromFile('Term Dates.ICS', SAMPLE_ICS)).toEqual(termDatesFromIcs(SAMPLE_ICS));
  });

  it('goes by the content when it is plainly iCalendar, whatever the name', () => {
    expect(termDatesFromFile('download.txt', SAMPLE_ICS).calendar).toEqual(EXPECTED);
    expect(termDatesFromFile('term-dates', SAMPLE_ICS).calendar).toEqual(EXPECTED);
  });

  it('reads a .ics that is not iCalendar as the iCalendar it claims to be, and refuses it', () => {
    expect(termDatesFromFile('dates.ics', SAMPLE_CSV).errors).toEqual(['line 1: this is not an iCalendar file: it should begin with BEGIN:VCALENDAR']);
  });

  it('refuses spreadsheets, PDFs and other files that are not text', () => {
    expect(termDatesFromFile('dates.xlsx', 'PK\u0003\u0004...')).toEqual({
      calendar: undefined,
      warnings: [],
      errors: ['dates.xlsx is a .xlsx file, which cannot be read here: save the term dates as CSV (name, start, end, kind) or as an iCalendar (.ics) file'],
    });
    expect(termDatesFromFile('dates', '%PDF-1.7 ...').errors).toEqual([
      'dates is not a text file, which cannot be read here: save the term dates as CSV (name, start, end, kind) or as an iCalendar (.ics) file',
    ]);
  });
});

describe('lastTermDate', () => {
  it('is the last day of the last term', () => {
    expect(lastTermDate(importedSample())).toBe('2027-07-21');
    const [autumn, spring, summer] = importedSample().terms;
    expect(lastTermDate({ terms: [summer!, autumn!, spring!] })).toBe('2027-07-21');
  });

  it('needs a term', () => {
    expect(() => lastTermDate({ terms: [] })).toThrow(RangeError);
  });
});

describe('an imported calendar counts school days', () => {
  it('leaves out INSET days, half terms and holidays', () => {
    const cal = new SchoolCalendar(importedSample());
    expect(cal.isSchoolDay(isoDate('2026-09-03'))).toBe(false); // INSET
    expect(cal.isSchoolDay(isoDate('2026-09-07'))).toBe(true);
    expect(cal.isSchoolDay(isoDate('2026-10-28'))).toBe(false); // half term
    expect(cal.isSchoolDay(isoDate('2026-12-21'))).toBe(false); // Christmas holiday
    expect(cal.isSchoolDay(isoDate('2027-07-19'))).toBe(true);
    expect(cal.isSchoolDay(isoDate('2027-07-20'))).toBe(false); // INSET
    expect(cal.termDatesEnd).toBe(lastTermDate(importedSample()));
  });
});

function importedSample(): CalendarData {
  const calendar = termDatesFromIcs(SAMPLE_ICS).calendar;
  if (!calendar) throw new Error('the sample should import');
  return calendar;
}
