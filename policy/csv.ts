/**
 * A CSV reader for spreadsheet and MIS exports (RFC 4180): comma separated, cells optionally in
 * double quotes, a doubled quote inside quotes is one quote, quoted cells may hold commas and line
 * breaks, lines end in CRLF, LF or CR, and a UTF-8 byte order mark (Excel's "CSV UTF-8") is skipped.
 * Written here rather than taken from npm: the format is small and the register is sensitive.
 */

/** One record and the line of the file it starts on (a quoted cell can run over several lines). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const BOM = 0xfeff;

export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let cellStarted = false;
  let inQuotes = false;
  let quoteOpenedOn = 0;
  // `""` alone on a line is a record with one empty cell, unlike an empty line.
  let recordHadQuotes = false;

  const endCell = () => {
    cells.push(cell);
    cell = '';
    cellStarted = false;
  };
  const endRecord = () => {
    endCell();
    // A line with nothing on it is not a record (RFC 4180 has none; exports often end with one).
    if (!(cells.length === 1 && cells[0] === '' && !recordHadQuotes)) records.push({ line: recordLine, cells });
    cells = [];
    recordHadQuotes = false;
  };

  while (i < n) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else {
          inQuotes = false;
          i++;
        }
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        // A line break inside quotes is part of the cell; it is kept as \n whatever the file used.
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        cell += '\n';
        line++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && !cellStarted) {
      inQuotes = true;
      cellStarted = true;
      recordHadQuotes = true;
      quoteOpenedOn = line;
      i++;
      continue;
    }
    if (ch === ',') {
      endCell();
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    // A quote in the middle of an unquoted cell, or text after a closing quote, is kept as written
    // (what Excel and most readers do) rather than failing the whole file.
    cell += ch;
    cellStarted = true;
    i++;
  }
  if (inQuotes) {
    return { ok: false, line: quoteOpenedOn, message: 'a cell opens a double quote (") that is never closed, so the rest of the file cannot be read' };
  }
  if (cellStarted || cells.length > 0) endRecord();
  return { ok: true, records };
}
