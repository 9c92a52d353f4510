import { parseCsv } from './csv';
import { sameAuthority } from './localAuthorities';
import { IsoDate, londonDate } from './dates';
import { Pupil } from './pupil';
import { CarriedPart, COLUMN_NAMES, columnForHeading, REGISTER_COLUMNS, REGISTER_LIMITS, RegisterColumn, RegisterIssue } from './registerColumns';
import { HeaderLayout, readRegisterRow } from './registerRow';

export { formatIssue, REGISTER_COLUMNS, REGISTER_HEADER, REGISTER_LIMITS } from './registerColumns';
export type { CarriedPart, RegisterColumn, RegisterIssue } from './registerColumns';

export interface RegisterRow {
  line: number;
  pupil: Pupil;
}

export interface ParsedRegister {
  /** The rows with no problems, ready to merge into the register. */
  rows: RegisterRow[];
  errors: RegisterIssue[];
  /** Worth knowing, but nothing wrong with the data: unused columns, an unknown placing authority. */
  warnings: RegisterIssue[];
  /** Pupils in the file (lines after the header that are not blank), with or without errors. */
  total: number;
  /** Which parts of a pupil's record the file's columns carry (see CarriedPart). */
  carries: ReadonlySet<CarriedPart>;
}

export interface RegisterParseOptions {
  /** The local authorities in the school's Virtual School directory: a child placed by another gets a warning. */
  virtualSchoolAuthorities?: readonly string[];
}

const refused = (line: number, message: string, warnings: RegisterIssue[] = []): ParsedRegister => ({ rows: [], errors: [{ line, message }], warnings, total: 0, carries: new Set() });

/**
 * Reads and checks a register file for one school. Every row is checked and every problem is
 * reported with its line; a problem with the file as a whole (too big, unreadable, a header
 * without the required columns) is one error and no rows.
 */
export function parseRegisterCsv(text: string, schoolId: string, today: IsoDate = londonDate(new Date()), options: RegisterParseOptions = {}): ParsedRegister {
  if (utf8Bytes(text) > REGISTER_LIMITS.maxBytes) {
    return refused(0, `is larger than ${REGISTER_LIMITS.maxBytes / 1024 / 1024} MB, the most one import takes: export only the columns described in the README, or split the file by year group`);
  }
  // A file saved as "CSV" (Windows-1252) rather than "CSV UTF-8" has its accented letters replaced by U+FFFD.
  const garbled = text.indexOf('\uFFFD');
  if (garbled >= 0) return refused(lineOfIndex(text, garbled), 'has characters that could not be read: save the file from the MIS or Excel as "CSV UTF-8" and try again');
  const csv = parseCsv(text);
  if (!csv.ok) return refused(csv.line, csv.message);
  const [headerRecord, ...records] = csv.records;
  if (!headerRecord) return refused(0, 'is empty: the first line must name the columns (see "Loading the register" in the README)');

  const header = readHeader(headerRecord.cells, headerRecord.line);
  if (header.errors.length > 0) return { rows: [], errors: header.errors, warnings: header.warnings, total: 0, carries: new Set() };

  // Spreadsheets often leave lines of empty cells at the end: they are not pupils.
  const pupilRecords = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (pupilRecords.length > REGISTER_LIMITS.maxRows) {
    const count = (n: number) => n.toLocaleString('en-GB');
    return refused(0, `has ${count(pupilRecords.length)} pupils; the most one import takes is ${count(REGISTER_LIMITS.maxRows)}: split the file by year group`, header.warnings);
  }

  const rows: RegisterRow[] = [];
  const errors: RegisterIssue[] = [];
  const firstLineOfUpn = new Map<string, number>();
  for (const record of pupilRecords) {
    if (record.cells.length !== headerRecord.cells.length) {
      errors.push({
        line: record.line,
        message: `has ${record.cells.length} cells but the first line names ${headerRecord.cells.length} columns: look for a stray comma or a missing quote`,
      });
      continue;
    }
    const row = readRegisterRow(record.cells, record.line, header, schoolId, today);
    errors.push(...row.errors);
    if (row.upn) {
      const first = firstLineOfUpn.get(row.upn);
      if (first !== undefined) {
        errors.push({ line: record.line, column: header.headings.get('upn'), message: `is the same UPN as line ${first}: each pupil must be in the file once` });
        continue;
      }
      firstLineOfUpn.set(row.upn, record.line);
    }
    if (row.pupil) rows.push({ line: record.line, pupil: row.pupil });
  }

  const warnings = [...header.warnings, ...unknownAuthorities(rows, header, options)];
  if (pupilRecords.length === 0) warnings.push({ line: 0, message: 'has no pupils after the header line' });
  return { rows, errors, warnings, total: pupilRecords.length, carries: header.carries };
}

interface Header extends HeaderLayout {
  carries: Set<CarriedPart>;
  errors: RegisterIssue[];
  warnings: RegisterIssue[];
}

function readHeader(cells: readonly string[], line: number): Header {
  const columns = new Map<RegisterColumn, number>();
  const headings = new Map<RegisterColumn, string>();
  const errors: RegisterIssue[] = [];
  const unknown: string[] = [];
  cells.forEach((cell, index) => {
    const heading = cell.trim();
    if (heading === '') return; // spreadsheets often leave unnamed, empty columns at the end
    const name = columnForHeading(heading);
    if (!name) {
      unknown.push(heading);
      return;
    }
    const earlier = headings.get(name);
    if (earlier !== undefined) {
      errors.push({ line, message: `two columns mean ${name}: "${earlier}" and "${heading}"; keep one` });
      return;
    }
    columns.set(name, index);
    headings.set(name, heading);
  });

  const missing = COLUMN_NAMES.filter((n) => REGISTER_COLUMNS[n].required && !columns.has(n));
  if (missing.length > 0) {
    const separated = cells.length === 1 && /[;\t]/.test(cells[0] ?? '');
    const hint = separated ? ' The columns look separated by semicolons or tabs: save the file as "CSV UTF-8 (comma delimited)".' : '';
    const what = missing.length === 1 ? 'this required column is' : 'these required columns are';
    errors.unshift({ line, message: `the first line must name the columns; ${what} missing: ${missing.join(', ')}.${hint}` });
  }
  for (const name of columns.keys()) {
    const needs = REGISTER_COLUMNS[name].needs;
    if (needs && !columns.has(needs)) errors.push({ line, column: headings.get(name), message: `only means something next to a ${needs} column, which the file does not have` });
  }

  const warnings: RegisterIssue[] = [];
  if (unknown.length > 0) {
    const one = unknown.length === 1;
    warnings.push({ line, message: `${one ? 'this column is' : 'these columns are'} not used, so nothing in ${one ? 'it' : 'them'} was read or stored: ${unknown.join(', ')}` });
  }
  const carries = new Set<CarriedPart>();
  for (const name of columns.keys()) {
    const part = REGISTER_COLUMNS[name].carries;
    if (part) carries.add(part);
  }
  return { columns, headings, carries, errors, warnings };
}

/** One warning per placing authority the school's Virtual School directory does not cover. */
function unknownAuthorities(rows: readonly RegisterRow[], header: Header, options: RegisterParseOptions): RegisterIssue[] {
  if (!options.virtualSchoolAuthorities) return [];
  const known = options.virtualSchoolAuthorities;
  const linesOf = new Map<string, number[]>();
  for (const { line, pupil } of rows) {
    for (const s of pupil.statuses) {
      if (s.kind === 'CLA' && !known.some((a) => sameAuthority(a, s.placingAuthority))) linesOf.set(s.placingAuthority, [...(linesOf.get(s.placingAuthority) ?? []), line]);
    }
  }
  return [...linesOf].map(([authority, lines]) => ({
    line: lines[0]!,
    column: header.headings.get('placing_authority'),
    message: `the school profile has no Virtual School for ${authority}${lines.length > 1 ? ` (nor for ${lines.length - 1} more pupils placed by it)` : ''}: add it, or the bot cannot tell that Virtual School about this child`,
  }));
}

function utf8Bytes(text: string): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so only a text near the limit needs counting.
  return text.length * 3 <= REGISTER_LIMITS.maxBytes ? text.length : new TextEncoder().encode(text).length;
}

function lineOfIndex(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) line++;
  return line;
}
