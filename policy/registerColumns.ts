/**
 * The register file: one row per pupil, exported from the school's MIS (SIMS, Arbor, Bromcom...)
 * with a header naming the columns below. Headings are read case-insensitively, with spaces,
 * hyphens and underscores alike, and a few names MIS exports use are accepted as aliases, so most
 * exports need only their headings renamed, not their contents changed.
 */
export const REGISTER_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 5_000 } as const;

/**
 * Parts of a pupil's record a file can carry, each by one column. A part whose column is not in the
 * file is left as the register holds it, so a school can export only what its MIS knows.
 */
export type CarriedPart =
  | 'CLA'
  | 'CPLA'
  | 'CWSW'
  | 'KINSHIP'
  | 'send'
  | 'ppPlusEligible'
  | 'attendancePercent'
  | 'onRollSince'
  | 'socialWorker'
  | 'socialWorkerEmail'
  | 'socialWorkerPhone'
  | 'carer'
  | 'carerEmail'
  | 'carerPhone';

export interface ColumnSpec {
  required?: true;
  aliases?: readonly string[];
  carries?: CarriedPart;
  /** A column that only means something next to another (placing_authority without cla). */
  needs?: RegisterColumn;
}

export type RegisterColumn =
  | 'upn'
  | 'given_name'
  | 'family_name'
  | 'year_group'
  | 'date_of_birth'
  | 'cla'
  | 'placing_authority'
  | 'cla_since'
  | 'cpla'
  | 'cpla_evidence_seen'
  | 'cin_cp'
  | 'plan_ended'
  | 'kinship'
  | 'send'
  | 'pp_plus'
  | 'attendance_percent'
  | 'on_roll_since'
  | 'social_worker_name'
  | 'social_worker_email'
  | 'social_worker_phone'
  | 'carer_name'
  | 'carer_email'
  | 'carer_phone';

/** In the documented order (README, "Loading the register"). */
export const REGISTER_COLUMNS: Readonly<Record<RegisterColumn, ColumnSpec>> = {
  upn: { required: true, aliases: ['unique_pupil_number'] },
  given_name: { required: true, aliases: ['forename', 'legal_forename', 'first_name'] },
  family_name: { required: true, aliases: ['surname', 'legal_surname', 'last_name'] },
  year_group: { required: true, aliases: ['year', 'ncy', 'national_curriculum_year'] },
  date_of_birth: { required: true, aliases: ['dob'] },
  cla: { carries: 'CLA' },
  placing_authority: { needs: 'cla' },
  cla_since: { needs: 'cla' },
  cpla: { carries: 'CPLA' },
  cpla_evidence_seen: { needs: 'cpla' },
  cin_cp: { carries: 'CWSW' },
  plan_ended: { needs: 'cin_cp' },
  kinship: { carries: 'KINSHIP' },
  send: { carries: 'send', aliases: ['sen_status', 'sen_provision'] },
  pp_plus: { carries: 'ppPlusEligible', aliases: ['pupil_premium_plus'] },
  attendance_percent: { carries: 'attendancePercent', aliases: ['attendance'] },
  on_roll_since: { carries: 'onRollSince', aliases: ['admission_date', 'date_of_admission'] },
  social_worker_name: { carries: 'socialWorker' },
  social_worker_email: { carries: 'socialWorkerEmail', needs: 'social_worker_name' },
  social_worker_phone: { carries: 'socialWorkerPhone', needs: 'social_worker_name' },
  carer_name: { carries: 'carer', aliases: ['contact_name'] },
  carer_email: { carries: 'carerEmail', needs: 'carer_name', aliases: ['contact_email'] },
  carer_phone: { carries: 'carerPhone', needs: 'carer_name', aliases: ['contact_phone'] },
};

export const COLUMN_NAMES = Object.keys(REGISTER_COLUMNS) as RegisterColumn[];

/** The header of a file with every column. */
export const REGISTER_HEADER = COLUMN_NAMES.join(',');

/** "Date of Birth", "date-of-birth" and "DATE_OF_BIRTH" all read as date_of_birth. */
export function canonicalHeading(heading: string): string {
  return heading.trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

const BY_HEADING = new Map<string, RegisterColumn>(COLUMN_NAMES.flatMap((name) => [name, ...(REGISTER_COLUMNS[name].aliases ?? [])].map((n): [string, RegisterColumn] => [n, name])));

export function columnForHeading(heading: string): RegisterColumn | undefined {
  return BY_HEADING.get(canonicalHeading(heading));
}

/** A problem with the file. Line 0 is the file as a whole; line 1 is the header. */
export interface RegisterIssue {
  line: number;
  /** The column's heading as the file writes it. */
  column?: string;
  message: string;
}

/** "line 14, date_of_birth: 31/02/2015 is not a real date". */
export function formatIssue(issue: RegisterIssue): string {
  const where = issue.line === 0 ? 'the file' : `line ${issue.line}`;
  return issue.column ? `${where}, ${issue.column}: ${issue.message}` : `${where}: ${issue.message}`;
}
