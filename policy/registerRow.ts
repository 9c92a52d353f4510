import { IsoDate } from './dates';
import { CohortStatus, Contact, Pupil, pupilSchema } from './pupil';
import {
  CellResult,
  readAuthority,
  readCplaRoute,
  readDateOfBirth,
  readEmail,
  readHistoryDate,
  readKinship,
  readLegalBasis,
  readName,
  readPercent,
  readPhone,
  readPlan,
  readSend,
  readYearGroup,
  readYesNo,
} from './registerCells';
import { RegisterColumn, RegisterIssue } from './registerColumns';
import { normaliseUpn, pupilIdFor, upnProblem } from './upn';

/** Where each known column sits in a row, and its heading as the file writes it. */
export interface HeaderLayout {
  columns: ReadonlyMap<RegisterColumn, number>;
  headings: ReadonlyMap<RegisterColumn, string>;
}

/** One row's cells, and every problem found in them, each named by the file's own heading. */
class RowReader {
  readonly errors: RegisterIssue[] = [];

  constructor(
    private readonly cells: readonly string[],
    readonly line: number,
    private readonly layout: HeaderLayout,
  ) {}

  raw(name: RegisterColumn): string {
    const index = this.layout.columns.get(name);
    return index === undefined ? '' : (this.cells[index] ?? '').trim();
  }

  fail(name: RegisterColumn, message: string): undefined {
    this.errors.push({ line: this.line, column: this.layout.headings.get(name) ?? name, message });
    return undefined;
  }

  check<T>(name: RegisterColumn, result: CellResult<T>): T | undefined {
    return result.ok ? result.value : this.fail(name, result.message);
  }

  required<T>(name: RegisterColumn, read: (value: string) => CellResult<T>): T | undefined {
    const value = this.raw(name);
    return value === '' ? this.fail(name, 'is blank; every pupil needs one') : this.check(name, read(value));
  }

  /** Blank is undefined; anything else must read. */
  optional<T>(name: RegisterColumn, read: (value: string) => CellResult<T>): T | undefined {
    const value = this.raw(name);
    return value === '' ? undefined : this.check(name, read(value));
  }

  /** A detail of a status (placing_authority of cla) filled in while the status is blank. */
  onlyWith(name: RegisterColumn, statusColumn: RegisterColumn, status: string): void {
    if (this.raw(name) !== '') this.fail(name, `is only for a child who is ${status}, but ${statusColumn} is blank: fill in ${statusColumn} or clear this cell`);
  }
}

export interface RowResult {
  /** The normalised UPN when it is valid (to spot a pupil in the file twice), never logged. */
  upn?: string;
  pupil?: Pupil;
  errors: RegisterIssue[];
}

/** One row of a register file as a pupil of the register, or every problem it has. */
export function readRegisterRow(cells: readonly string[], line: number, layout: HeaderLayout, schoolId: string, today: IsoDate): RowResult {
  const r = new RowReader(cells, line, layout);
  const upn = readUpn(r);
  const givenName = r.required('given_name', (v) => readName(v, 80));
  const familyName = r.required('family_name', (v) => readName(v, 80));
  const yearGroup = r.required('year_group', readYearGroup);
  const dateOfBirth = r.required('date_of_birth', (v) => readDateOfBirth(v, today));
  const statuses = readStatuses(r, dateOfBirth, today);
  const send = r.check('send', readSend(r.raw('send')));
  const ppPlusEligible = r.check('pp_plus', readYesNo(r.raw('pp_plus')));
  const attendancePercent = r.optional('attendance_percent', readPercent);
  // A pupil joining next week may already be on the MIS with a future admission date.
  const onRollSince = r.optional('on_roll_since', (v) => readHistoryDate(v, dateOfBirth, today, 'allowFuture'));
  const socialWorker = readContact(r, 'social_worker_name', 'social_worker_email', 'social_worker_phone');
  const carer = readContact(r, 'carer_name', 'carer_email', 'carer_phone');
  if (r.errors.length > 0 || !upn) return { upn, errors: r.errors };

  const parsed = pupilSchema.safeParse({
    id: pupilIdFor(schoolId, upn),
    schoolId,
    givenName,
    familyName,
    yearGroup,
    dateOfBirth,
    statuses,
    send,
    ppPlusEligible,
    ...(socialWorker ? { socialWorker } : {}),
    carers: carer ? [carer] : [],
    peps: [],
    ...(attendancePercent !== undefined ? { attendancePercent } : {}),
    ...(onRollSince ? { onRollSince } : {}),
  });
  if (!parsed.success) {
    // The cell readers should have caught everything; the register's own schema is the backstop.
    for (const issue of parsed.error.issues) r.errors.push({ line, message: `${issue.path.join('.') || 'row'}: ${issue.message}` });
    return { upn, errors: r.errors };
  }
  return { upn, pupil: parsed.data, errors: r.errors };
}

function readUpn(r: RowReader): string | undefined {
  const raw = r.raw('upn');
  if (raw === '') return r.fail('upn', 'is blank; every pupil needs their UPN');
  const upn = normaliseUpn(raw);
  const wrong = upnProblem(upn);
  return wrong ? r.fail('upn', wrong) : upn;
}

function readStatuses(r: RowReader, dateOfBirth: IsoDate | undefined, today: IsoDate): CohortStatus[] {
  const statuses: CohortStatus[] = [];

  const legalBasis = r.optional('cla', readLegalBasis);
  if (legalBasis) {
    const placingAuthority = r.raw('placing_authority') === ''
      ? r.fail('placing_authority', "is blank: a looked-after child's Virtual School is the placing authority's, so it is needed")
      : r.check('placing_authority', readAuthority(r.raw('placing_authority')));
    const since = r.optional('cla_since', (v) => readHistoryDate(v, dateOfBirth, today, 'pastOnly'));
    if (placingAuthority) statuses.push({ kind: 'CLA', legalBasis, placingAuthority, ...(since ? { since } : {}) });
  } else if (r.raw('cla') === '') {
    r.onlyWith('placing_authority', 'cla', 'looked after');
    r.onlyWith('cla_since', 'cla', 'looked after');
  }

  const route = r.optional('cpla', readCplaRoute);
  const evidenceSeen = r.check('cpla_evidence_seen', readYesNo(r.raw('cpla_evidence_seen')));
  if (route) statuses.push({ kind: 'CPLA', route, evidenceSeen: evidenceSeen ?? false });
  else if (r.raw('cpla') === '' && evidenceSeen) r.onlyWith('cpla_evidence_seen', 'cpla', 'previously looked after');

  const plan = r.optional('cin_cp', readPlan);
  if (plan) {
    // An end date still to come reads as a plan open until then (see cohortFlags).
    const endedOn = r.optional('plan_ended', (v) => readHistoryDate(v, dateOfBirth, today, 'allowFuture'));
    statuses.push({ kind: 'CWSW', plan, ...(endedOn ? { endedOn } : {}) });
  } else if (r.raw('cin_cp') === '') r.onlyWith('plan_ended', 'cin_cp', 'on a CIN or CP plan (now or in the past)');

  const arrangement = r.optional('kinship', readKinship);
  if (arrangement) statuses.push({ kind: 'KINSHIP', arrangement });
  return statuses;
}

/** A MIS export names one carer (the priority contact): enough to reach the family. */
function readContact(r: RowReader, nameColumn: RegisterColumn, emailColumn: RegisterColumn, phoneColumn: RegisterColumn): Contact | undefined {
  const email = r.optional(emailColumn, readEmail);
  const phone = r.optional(phoneColumn, readPhone);
  if (r.raw(nameColumn) === '') {
    if (r.raw(emailColumn) !== '' || r.raw(phoneColumn) !== '') r.fail(nameColumn, 'is blank, but there is an email address or phone number: add the name');
    return undefined;
  }
  const name = r.check(nameColumn, readName(r.raw(nameColumn), 120));
  return name ? { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) } : undefined;
}
