import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../policy/csv';
import { isoDate } from '../../policy/dates';
import { Pupil, pupilSchema } from '../../policy/pupil';
import { formatIssue, parseRegisterCsv, REGISTER_HEADER, REGISTER_LIMITS } from '../../policy/registerCsv';
import { mergeImportedPupil, removedStatusKinds, samePupil } from '../../policy/registerMerge';
import { normaliseUpn, pupilIdFor, upnCheckLetter, upnProblem } from '../../policy/upn';
import { MONDAY } from './fixtures';

/** SYNTHETIC: every name, UPN and contact in this file is made up. */
const SAMPLE = readFileSync(path.join(__dirname, '..', 'fixtures', 'register-sample.csv'), 'utf8');
const SCHOOL = 'test-school';

/** A valid, made-up UPN: LA 919, establishment 2000, issued in 2017, serial n. */
const upn = (n: number) => {
  const body = `919200017${String(n).padStart(3, '0')}`;
  return `${upnCheckLetter(body)}${body}`;
};

const BASE = { upn: upn(1), given_name: 'Testa', family_name: 'Samplechild', year_group: '4', date_of_birth: '14/03/2017' };
type Row = Record<string, string>;

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** A file whose header is the union of the rows' keys, in order of first appearance. */
function csv(rows: Row[], eol = '\n'): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join(eol) + eol;
}

const parse = (text: string, today = MONDAY) => parseRegisterCsv(text, SCHOOL, today);

/** One good row (line 2), then the row under test (line 3). */
function withBadRow(row: Row) {
  return parse(csv([{ ...BASE, upn: upn(2) }, { ...BASE, ...row }]));
}

describe('reading CSV (RFC 4180)', () => {
  it('reads quoted cells, doubled quotes, commas and line breaks inside quotes', () => {
    const result = parseCsv('a,"b, with comma","say ""hi""","two\nlines"\nx,y,z,w\n');
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b, with comma', 'say "hi"', 'two\nlines'] },
        // The record after a cell that ran over two lines starts on line 3.
        { line: 3, cells: ['x', 'y', 'z', 'w'] },
      ],
    });
  });

  it('takes CRLF, LF and CR line ends, and a line break in quotes becomes \\n', () => {
    expect(parseCsv('a,b\r\nc,"d\r\ne"\rf,g')).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['c', 'd\ne'] },
        { line: 4, cells: ['f', 'g'] },
      ],
    });
  });

  it('skips a UTF-8 byte order mark and empty lines, but keeps empty cells and a quoted empty cell', () => {
    expect(parseCsv('\uFEFFa,b\n\n,\n""\n')).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 3, cells: ['', ''] },
        { line: 4, cells: [''] },
      ],
    });
  });

  it('keeps a stray quote inside an unquoted cell as written', () => {
    expect(parseCsv('O"Brien,x')).toEqual({ ok: true, records: [{ line: 1, cells: ['O"Brien', 'x'] }] });
  });

  it('refuses a quote that is never closed, naming the line it opened on', () => {
    expect(parseCsv('a,b\nc,"d\ne,f\n')).toEqual({ ok: false, line: 2, message: expect.stringContaining('never closed') });
  });

  it('keeps text after a closing quote as written, and counts lines after a cell that ran over two', () => {
    expect(parseCsv('a,b\n"multi\nline",x\nc,"d"e\n')).toEqual({
      ok: true,
      records: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['multi\nline', 'x'] },
        { line: 4, cells: ['c', '"d"e'] },
      ],
    });
  });
});

describe('the UPN', () => {
  it('checks the check letter (DfE modulus 23)', () => {
    // Examples published with python-stdnum's gb.upn: B801200005001 is valid, A801200005001 is not.
    expect(upnProblem('B801200005001')).toBeUndefined();
    expect(upnProblem('A801200005001')).toMatch(/check letter/);
    expect(upnCheckLetter('801200005001')).toBe('B');
  });

  it('accepts a temporary UPN (ending in a letter other than I, O or S) and rejects other shapes', () => {
    const temporary = `${upnCheckLetter('91920001710A')}91920001710A`;
    expect(upnProblem(temporary)).toBeUndefined();
    expect(upnProblem('A91920001710O')).toMatch(/letter followed by 12 digits/);
    expect(upnProblem('B80120000500')).toBe('a UPN has 13 characters; this has 12');
    expect(upnProblem('1801200005001')).toMatch(/letter followed by 12 digits/);
  });

  it('is read without spaces and in upper case', () => {
    expect(normaliseUpn(' b801 2000 05001 ')).toBe('B801200005001');
  });

  it('gives a pupil id that is stable, differs between schools, and does not contain the UPN', () => {
    const id = pupilIdFor('school-a', 'B801200005001');
    expect(id).toMatch(/^u[0-9a-f]{20}$/);
    expect(pupilIdFor('school-a', 'b801200005001')).toBe(id);
    expect(pupilIdFor('school-b', 'B801200005001')).not.toBe(id);
    expect(id).not.toContain('801200005001');
    // The same file read twice gives the same ids.
    expect(parse(SAMPLE).rows.map((r) => r.pupil.id)).toEqual(parse(SAMPLE).rows.map((r) => r.pupil.id));
  });
});

describe('the register file', () => {
  it('reads the synthetic sample: every status, both date formats, MIS codes, quoted cells', () => {
    const result = parse(SAMPLE);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.total).toBe(12);
    const byName = new Map(result.rows.map((r) => [r.pupil.givenName, r]));
    expect(byName.get('Ada')).toEqual({
      line: 2,
      pupil: pupilSchema.parse({
        id: pupilIdFor(SCHOOL, 'K919200017101'),
        schoolId: SCHOOL,
        givenName: 'Ada',
        familyName: 'Sampleton',
        yearGroup: '4',
        dateOfBirth: '2017-03-14',
        statuses: [{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'HERTS', since: '2023-06-01' }],
        send: 'senSupport',
        ppPlusEligible: true,
        socialWorker: { name: 'Jo Madeup (synthetic)', email: 'jo.madeup@herts-socialcare.example.org', phone: '01632 960100' },
        carers: [{ name: 'Foster carers (synthetic)' }],
        attendancePercent: 93.5,
        onRollSince: '2023-09-06',
      }),
    });
    expect(byName.get('Ben')!.pupil).toMatchObject({ dateOfBirth: '2015-01-22', carers: [{ name: 'Residential keyworker, Oak House (synthetic)' }] });
    expect(byName.get('Cleo')!.pupil).toMatchObject({ yearGroup: '2', send: 'ehcp', carers: [{ name: 'Aunt "Bea" Inventon (synthetic)', email: 'bea.inventon@family.example.org' }] });
    expect(byName.get('Dev')!.pupil.statuses).toEqual([{ kind: 'CPLA', route: 'adoption', evidenceSeen: true }]);
    expect(byName.get('Esme')!.pupil).toMatchObject({ yearGroup: '5', send: 'ehcp', statuses: [{ kind: 'CPLA', route: 'SGO', evidenceSeen: false }] });
    expect(byName.get('Gia')!.pupil.statuses).toEqual([{ kind: 'CWSW', plan: 'CP' }]);
    expect(byName.get('Ivy')!.pupil.statuses).toEqual([{ kind: 'CWSW', plan: 'CP', endedOn: '2023-03-15' }]);
    expect(byName.get('Jon')!.pupil).toMatchObject({ yearGroup: 'R', familyName: "O'Fictional", statuses: [{ kind: 'KINSHIP', arrangement: 'informal' }] });
    expect(byName.get('María-José')!.pupil).toMatchObject({ statuses: [], send: 'none', ppPlusEligible: false, carers: [] });
    expect(byName.get('María-José')!.pupil.socialWorker).toBeUndefined();
  });

  it('reads a file with a byte order mark and CRLF line ends the same', () => {
    const plain = parse(csv([BASE]));
    const excel = parse(`\uFEFF${csv([BASE], '\r\n')}`);
    expect(excel.errors).toEqual([]);
    expect(excel.rows).toEqual(plain.rows);
  });

  it.each([
    ['2017-03-14', '2017-03-14'],
    ['14/03/2017', '2017-03-14'],
    ['4/3/2017', '2017-03-04'],
    ['14/03/2017 00:00', '2017-03-14'],
    ['2016-02-29', '2016-02-29'],
  ])('reads the date %s as %s', (written, iso) => {
    const result = parse(csv([{ ...BASE, date_of_birth: written }]));
    expect(result.errors).toEqual([]);
    expect(result.rows[0]!.pupil.dateOfBirth).toBe(iso);
  });

  it('names the line and column of an impossible date, in words for the office', () => {
    const result = withBadRow({ date_of_birth: '31/02/2015' });
    expect(result.errors.map(formatIssue)).toEqual(['line 3, date_of_birth: "31/02/2015" is not a real date']);
    expect(result.rows).toHaveLength(1);
    expect(result.total).toBe(2);
  });

  it.each<[string, Row, string, string]>([
    ['a blank UPN', { upn: '' }, 'upn', 'is blank; every pupil needs their UPN'],
    ['a short UPN', { upn: 'B80120000500' }, 'upn', 'a UPN has 13 characters; this has 12'],
    ['a UPN with a wrong check letter', { upn: 'A801200005001' }, 'upn', 'the check letter (the first character) does not match'],
    ['a blank given name', { given_name: '' }, 'given_name', 'is blank'],
    ['a very long family name', { family_name: 'x'.repeat(81) }, 'family_name', 'is longer than 80 characters'],
    ['a blank year group', { year_group: '' }, 'year_group', 'is blank'],
    ['year 14', { year_group: '14' }, 'year_group', '"14" is not a year group'],
    ['a date written MM/DD', { date_of_birth: '03/14/2017' }, 'date_of_birth', '"03/14/2017" is not a real date'],
    ['a two-digit year', { date_of_birth: '14/03/17' }, 'date_of_birth', 'write the year in full'],
    ['not a date', { date_of_birth: 'March 2017' }, 'date_of_birth', 'write it as DD/MM/YYYY or YYYY-MM-DD'],
    ['a birth in the future', { date_of_birth: '01/01/2027' }, 'date_of_birth', 'is not in the past'],
    ['a pupil over 25', { date_of_birth: '01/01/1990' }, 'date_of_birth', 'older than 25'],
    ['an unknown legal basis', { cla: 's99', placing_authority: 'HERTS' }, 'cla', '"s99" is not a legal basis'],
    ['a looked-after child without a placing authority', { cla: 's31', placing_authority: '' }, 'placing_authority', 'is blank'],
    ['a placing authority for a child not in care', { cla: '', placing_authority: 'HERTS' }, 'placing_authority', 'is only for a child who is looked after'],
    ['a placing authority that is not a name', { cla: 's31', placing_authority: 'HERTS<script>' }, 'placing_authority', 'is not a local authority'],
    ['care from a future date', { cla: 's31', placing_authority: 'HERTS', cla_since: '01/01/2027' }, 'cla_since', 'is in the future'],
    ['an unknown way of leaving care', { cpla: 'fostered' }, 'cpla', 'is not a way of leaving care'],
    ['evidence seen as "maybe"', { cpla: 'adoption', cpla_evidence_seen: 'maybe' }, 'cpla_evidence_seen', 'use yes or no'],
    ['evidence seen without an order', { cpla: '', cpla_evidence_seen: 'yes' }, 'cpla_evidence_seen', 'is only for a child who is previously looked after'],
    ['an unknown plan', { cin_cp: 'CHIN' }, 'cin_cp', '"CHIN" is not a plan'],
    ['a plan end without a plan', { cin_cp: '', plan_ended: '01/01/2024' }, 'plan_ended', 'is only for a child who is on a CIN or CP plan'],
    ['a plan that ended before birth', { cin_cp: 'CP', plan_ended: '01/01/2010' }, 'plan_ended', "is before the pupil's date of birth"],
    ['an unknown kinship arrangement', { kinship: 'sometimes' }, 'kinship', 'is not a kinship arrangement'],
    ['an unknown SEND code', { send: 'X' }, 'send', 'use none (N), SEN support (K) or EHCP (E)'],
    ['PP+ as "perhaps"', { pp_plus: 'perhaps' }, 'pp_plus', 'use yes or no'],
    ['attendance over 100', { attendance_percent: '101' }, 'attendance_percent', 'is not a percentage from 0 to 100'],
    ['attendance in words', { attendance_percent: 'good' }, 'attendance_percent', 'is not a percentage'],
    ['on roll before birth', { on_roll_since: '01/01/2016' }, 'on_roll_since', "before the pupil's date of birth"],
    ['a social worker email that is not one', { social_worker_name: 'Made Up', social_worker_email: 'not-an-email' }, 'social_worker_email', 'is not an email address'],
    ['a social worker phone in words', { social_worker_name: 'Made Up', social_worker_phone: 'call the office' }, 'social_worker_phone', 'is not a phone number'],
    ['a carer email with no carer name', { carer_name: '', carer_email: 'someone@example.org' }, 'carer_name', 'add the name'],
  ])('reports %s on its line and column', (_what, row, column, message) => {
    const result = withBadRow(row);
    expect(result.errors).toEqual([{ line: 3, column, message: expect.stringContaining(message) }]);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
  });

  it('reports every problem of a row, not just the first', () => {
    const result = withBadRow({ date_of_birth: '31/02/2015', send: 'Q', attendance_percent: '120%' });
    expect(result.errors.map((e) => e.column)).toEqual(['date_of_birth', 'send', 'attendance_percent']);
  });

  it('reports a row with the wrong number of cells, and the same UPN twice, by line', () => {
    const text = `${csv([BASE, { ...BASE, upn: upn(3) }])}${upn(4)},Extra,Cells,4,14/03/2017,surplus\n${csv([BASE]).split('\n')[1]}\n`;
    const result = parse(text);
    expect(result.errors.map(formatIssue)).toEqual([
      'line 4: has 6 cells but the first line names 5 columns: look for a stray comma or a missing quote',
      'line 5, upn: is the same UPN as line 2: each pupil must be in the file once',
    ]);
    // The UPN is not repeated in messages: they may be shown or logged.
    expect(result.errors.map(formatIssue).join(' ')).not.toContain(BASE.upn);
  });

  it("names the file's headings as written in its messages", () => {
    const result = parse('UPN,Forename,Surname,Year,DOB\n' + `${upn(1)},Testa,Samplechild,4,30/02/2017\n`);
    expect(result.errors.map(formatIssue)).toEqual(['line 2, DOB: "30/02/2017" is not a real date']);
  });

  it('reads headings in any case, with spaces or underscores, and the MIS aliases', () => {
    const result = parse('Unique Pupil Number,Legal Forename,Legal-Surname,NCY,Date of Birth,SEN Provision\n' + `${upn(1)},Testa,Samplechild,Y4,14/03/2017,K\n`);
    expect(result.errors).toEqual([]);
    expect(result.rows[0]!.pupil).toMatchObject({ givenName: 'Testa', familyName: 'Samplechild', yearGroup: '4', send: 'senSupport' });
  });

  it('refuses a header without the required columns: one error on line 1 and no rows', () => {
    const result = parse('upn,given_name,Year\n' + `${upn(1)},Testa,4\n`);
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: 1, message: 'the first line must name the columns; these required columns are missing: family_name, date_of_birth.' }]);
  });

  it('says when a file looks separated by semicolons', () => {
    const result = parse('upn;given_name;family_name;year_group;date_of_birth\n');
    expect(result.errors[0]!.message).toContain('separated by semicolons or tabs');
  });

  it('refuses two columns that mean the same, and a detail column without its status column', () => {
    expect(parse('upn,given_name,forename,family_name,year_group,date_of_birth\n').errors.map(formatIssue)).toEqual([
      'line 1: two columns mean given_name: "given_name" and "forename"; keep one',
    ]);
    expect(parse('upn,given_name,family_name,year_group,date_of_birth,Placing Authority\n').errors.map(formatIssue)).toEqual([
      'line 1, Placing Authority: only means something next to a cla column, which the file does not have',
    ]);
  });

  it('warns once about columns it does not use, and still reads the rows', () => {
    const result = parse(csv([{ ...BASE, Ethnicity: 'made-up', 'Home Address': '1 Nowhere Lane' }, { ...BASE, upn: upn(2), Ethnicity: 'made-up' }]));
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(2);
    expect(result.warnings).toEqual([{ line: 1, message: 'these columns are not used, so nothing in them was read or stored: Ethnicity, Home Address' }]);
  });

  it('warns about a placing authority the school has no Virtual School for', () => {
    const text = csv([
      { ...BASE, cla: 's31', placing_authority: 'Kent' },
      { ...BASE, upn: upn(2), cla: 's20', placing_authority: 'KENT' },
      { ...BASE, upn: upn(3), cla: 's20', placing_authority: 'herts' },
    ]);
    const result = parseRegisterCsv(text, SCHOOL, MONDAY, { virtualSchoolAuthorities: ['HERTS', 'ESSEX'] });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(formatIssue)).toEqual([
      'line 2, placing_authority: the school profile has no Virtual School for KENT (nor for 1 more pupils placed by it): add it, or the bot cannot tell that Virtual School about this child',
    ]);
  });

  it('skips blank lines and lines of empty cells, and counts only pupils', () => {
    const result = parse(`${csv([BASE, { ...BASE, upn: upn(2) }])}\n,,,,\n\n`);
    expect(result.total).toBe(2);
    expect(result.rows).toHaveLength(2);
  });

  it('stores a formula-looking cell as plain text', () => {
    const result = parse(csv([{ ...BASE, given_name: '=HYPERLINK("http://evil.example")', carer_name: '@SUM(A1)' }]));
    expect(result.errors).toEqual([]);
    expect(result.rows[0]!.pupil).toMatchObject({ givenName: '=HYPERLINK("http://evil.example")', carers: [{ name: '@SUM(A1)' }] });
  });

  it('says which parts of a record the file carries', () => {
    expect([...parse(csv([BASE])).carries]).toEqual([]);
    expect([...parse(SAMPLE).carries].sort()).toEqual(
      ['CLA', 'CPLA', 'CWSW', 'KINSHIP', 'attendancePercent', 'carer', 'carerEmail', 'onRollSince', 'ppPlusEligible', 'send', 'socialWorker', 'socialWorkerEmail', 'socialWorkerPhone'].sort(),
    );
  });

  it(`refuses more than ${REGISTER_LIMITS.maxRows} pupils and more than 5 MB`, () => {
    const rows = Array.from({ length: REGISTER_LIMITS.maxRows + 1 }, (_, i) => `${upn(i % 1000)},A,B,4,14/03/2017`);
    const tooMany = parse(`upn,given_name,family_name,year_group,date_of_birth\n${rows.join('\n')}\n`);
    expect(tooMany.rows).toEqual([]);
    expect(tooMany.errors.map(formatIssue)).toEqual(['the file: has 5,001 pupils; the most one import takes is 5,000: split the file by year group']);
    const tooBig = parse(`${REGISTER_HEADER}\n${'x'.repeat(REGISTER_LIMITS.maxBytes)}`);
    expect(tooBig.errors[0]!.message).toMatch(/^is larger than 5 MB/);
  });

  it('refuses a file that was not saved as UTF-8, naming the line', () => {
    const result = parse(`${csv([BASE])}${upn(2)},Zo\uFFFD,Samplechild,4,14/03/2017\n`);
    expect(result.errors).toEqual([{ line: 3, message: expect.stringContaining('CSV UTF-8') }]);
  });

  it('refuses an empty file, and warns about a header with no pupils', () => {
    expect(parse('').errors.map(formatIssue)).toEqual(['the file: is empty: the first line must name the columns (see "Loading the register" in the README)']);
    expect(parse(`${REGISTER_HEADER}\n`)).toMatchObject({ errors: [], rows: [], total: 0, warnings: [{ line: 0, message: 'has no pupils after the header line' }] });
  });

  it('uses the school day it is given for "in the future"', () => {
    expect(parse(csv([{ ...BASE, date_of_birth: '01/01/2026' }]), isoDate('2025-06-01')).errors).toHaveLength(1);
    expect(parse(csv([{ ...BASE, date_of_birth: '01/01/2026' }]), isoDate('2026-06-01')).errors).toHaveLength(0);
  });
});

describe('merging a pupil from the file into the register', () => {
  const fromFile = (row: Row = {}) => {
    const result = parse(csv([{ ...BASE, cin_cp: 'CP', send: 'K', attendance_percent: '90', carer_name: 'Parent (synthetic)', ...row }]));
    expect(result.errors).toEqual([]);
    return { pupil: result.rows[0]!.pupil, carries: result.carries };
  };

  it('keeps what the file does not carry: PEPs, SDQ date, key adult, synthetic flag, other statuses, other carers', () => {
    const { pupil, carries } = fromFile();
    const existing: Pupil = pupilSchema.parse({
      ...pupil,
      statuses: [{ kind: 'KINSHIP', arrangement: 'formal' }, { kind: 'CWSW', plan: 'CIN' }],
      peps: [{ date: '2026-03-10' }],
      sdqDate: '2026-01-15',
      keyAdult: 'Mrs Madeup (synthetic)',
      synthetic: true,
      carers: [{ name: 'parent (synthetic)', phone: '01632 960200', organisation: 'Family' }, { name: 'Grandmother (synthetic)' }],
      ppPlusEligible: true,
      socialWorker: { name: 'Made Up SW' },
    });
    const merged = mergeImportedPupil(existing, pupil, carries);
    expect(merged).toMatchObject({
      peps: [{ date: '2026-03-10' }],
      sdqDate: '2026-01-15',
      keyAdult: 'Mrs Madeup (synthetic)',
      synthetic: true,
      // The file has a cin_cp column but no kinship column: CWSW is replaced, KINSHIP kept.
      statuses: [{ kind: 'KINSHIP', arrangement: 'formal' }, { kind: 'CWSW', plan: 'CP' }],
      send: 'senSupport',
      attendancePercent: 90,
      // No pp_plus or social worker columns: kept.
      ppPlusEligible: true,
      socialWorker: { name: 'Made Up SW' },
      // The same carer (by name) keeps the phone and organisation the file has no column for.
      carers: [{ name: 'Parent (synthetic)', phone: '01632 960200', organisation: 'Family' }, { name: 'Grandmother (synthetic)' }],
    });
    expect(pupilSchema.safeParse(merged).success).toBe(true);
  });

  it('clears what a carried column leaves blank, but never a CIN/CP plan or a previously looked-after order', () => {
    const { pupil: first, carries } = fromFile({ cla: 's20', placing_authority: 'HERTS', cpla: 'SGO', kinship: 'informal' });
    const { pupil: second } = fromFile({ cla: '', placing_authority: '', cpla: '', kinship: '', cin_cp: '', attendance_percent: '' });
    const merged = mergeImportedPupil(first, second, carries);
    // A plan that ended still counts for six years and an SGO is for life; MIS exports often leave them out.
    expect(merged.statuses).toEqual([
      { kind: 'CPLA', route: 'SGO', evidenceSeen: false },
      { kind: 'CWSW', plan: 'CP' },
    ]);
    expect(removedStatusKinds(first, merged)).toEqual(['CLA', 'KINSHIP']);
    expect(merged.attendancePercent).toBeUndefined();
    // A value in the file does replace them.
    const { pupil: third } = fromFile({ cin_cp: 'CP', plan_ended: '01/09/2026', cpla: 'adoption' });
    expect(mergeImportedPupil(first, third, carries).statuses).toEqual([
      { kind: 'CPLA', route: 'adoption', evidenceSeen: false },
      { kind: 'CWSW', plan: 'CP', endedOn: '2026-09-01' },
    ]);
  });

  it('compares content, not key or status order', () => {
    const { pupil, carries } = fromFile({ kinship: 'formal' });
    const reordered: Pupil = { ...pupil, statuses: [...pupil.statuses].reverse() };
    expect(samePupil(pupil, reordered)).toBe(true);
    expect(samePupil(pupil, mergeImportedPupil(reordered, pupil, carries))).toBe(true);
    expect(samePupil(pupil, { ...pupil, yearGroup: '5' })).toBe(false);
  });
});
