import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';

/**
 * Reads spreadsheet and MIS exports (RFC 4180) with csv-parse: comma separated, cells optionally in
 * double quotes, a doubled quote inside quotes is one quote, quoted cells may hold commas and line
 * breaks, lines end in CRLF, LF or CR, and a UTF-8 byte order mark (Excel's "CSV UTF-8") is skipped.
 * What is ours is only what the register needs on top: the line each record starts on (a quoted
 * cell can run over several lines), and errors in words a school office can act on.
 */

/** One record and the line of the file it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a cell opens a double quote (") that is never closed, so the rest of the file cannot be read',
};

const rawRecord = z.object({ record: z.array(z.string()), raw: z.string() });

export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  // Every line end is made \n first, so a line break inside quotes is kept as \n whatever the file
  // used, and one delimiter is enough (csv-parse takes the first kind it meets for the whole file).
  const normalised = text.replace(/\r\n?/g, '\n');
  let nextLine = 1;
  try {
    parse(normalised, {
      bom: true,
      // A stray quote in a cell, or text after a closing quote, is kept as written (what Excel and most readers do).
      relax_quotes: true,
      // Rows with the wrong number of cells are the register's to report, with their line.
      relax_column_count: true,
      record_delimiter: '\n',
      raw: true,
      // With `raw`, csv-parse hands each record over as { record, raw } (its types say string[]).
      on_record: (given: unknown) => {
        const { record, raw } = rawRecord.parse(given);
        const line = nextLine;
        nextLine += newlines(raw);
        // A line with nothing on it is not a record (RFC 4180 has none; exports often end with one);
        // `""` alone on a line is a record with one empty cell.
        if (!(record.length === 1 && record[0] === '' && !raw.includes('"'))) records.push({ line, cells: record });
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { ok: false, line: nextLine, message: PROBLEMS[err.code] ?? `could not be read as CSV (${err.code.replace(/^CSV_/, '').replace(/_/g, ' ').toLowerCase()})` };
  }
  return { ok: true, records };
}

function newlines(raw: string): number {
  let count = 0;
  for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) count++;
  return count;
}
