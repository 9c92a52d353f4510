import { z } from 'zod';
import { addYears, compareDates, IsoDate, isIsoDate } from './dates';
import { authorityProblem } from './localAuthorities';
import { CplaStatus, CwswStatus, LegalBasis, Send, YearGroup } from './pupil';

/**
 * Readers for the cells of a register export. Each turns what a MIS or a spreadsheet writes into
 * the register's value, or says in plain words what is wrong, for a school office manager to fix
 * in the MIS. Values are echoed shortened and quoted; names and UPNs are never echoed.
 */
export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const problem = <T>(message: string): CellResult<T> => ({ ok: false, message });

export function shown(raw: string): string {
  return raw.length > 40 ? `"${raw.slice(0, 37)}..."` : `"${raw}"`;
}

/** Lower case with spaces, dots, hyphens and underscores removed: "SEN Support" and "sen_support" read alike. */
function squash(raw: string): string {
  return raw.toLowerCase().replace(/[\s._-]+/g, '');
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
// Some exports append midnight to a date ("14/03/2017 00:00"); the time means nothing here.
const MIDNIGHT = /\s+0?0:00(:00)?$/;

/** YYYY-MM-DD, or DD/MM/YYYY (the UK MIS default); never MM/DD, and never a two-digit year. */
export function readDate(raw: string): CellResult<IsoDate> {
  const text = raw.replace(MIDNIGHT, '');
  const m = ISO.exec(text);
  const u = m ? undefined : UK.exec(text);
  if (!m && !u) {
    if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(text)) return problem(`${shown(raw)}: write the year in full, for example 14/03/2017`);
    return problem(`${shown(raw)} is not a date: write it as DD/MM/YYYY or YYYY-MM-DD`);
  }
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [Number(u![3]), Number(u![2]), Number(u![1])];
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (!isIsoDate(iso) || y < 1900) return problem(`${shown(raw)} is not a real date`);
  return ok(iso);
}

/** The oldest a pupil on a school register can be: special schools teach young people to 25. */
const OLDEST_PUPIL_YEARS = 25;

export function readDateOfBirth(raw: string, today: IsoDate): CellResult<IsoDate> {
  const date = readDate(raw);
  if (!date.ok) return date;
  if (compareDates(date.value, today) >= 0) return problem(`${shown(raw)} is not in the past`);
  if (compareDates(date.value, addYears(today, -OLDEST_PUPIL_YEARS)) < 0) return problem(`${shown(raw)} would make the pupil older than ${OLDEST_PUPIL_YEARS}: check the date`);
  return date;
}

/** A date in the pupil's history: not before they were born, and (unless allowed) not after today. */
export function readHistoryDate(raw: string, dateOfBirth: IsoDate | undefined, today: IsoDate, future: 'allowFuture' | 'pastOnly'): CellResult<IsoDate> {
  const date = readDate(raw);
  if (!date.ok) return date;
  if (dateOfBirth && compareDates(date.value, dateOfBirth) < 0) return problem(`${shown(raw)} is before the pupil's date of birth`);
  if (future === 'pastOnly' && compareDates(date.value, today) > 0) return problem(`${shown(raw)} is in the future`);
  return date;
}

/** "4", "Year 4", "Y4", "R", "Reception", "YR", "N", "N1", "N2", "Nursery". */
export function readYearGroup(raw: string): CellResult<YearGroup> {
  const s = squash(raw);
  if (['n', 'n1', 'n2', 'nur', 'nursery'].includes(s)) return ok('N');
  if (['r', 'yr', 'rec', 'reception', 'yearr'].includes(s)) return ok('R');
  const m = /^(?:year|yr|y)?(\d{1,2})$/.exec(s);
  const n = m ? Number(m[1]) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 13) return ok(String(n) as YearGroup);
  return problem(`${shown(raw)} is not a year group: use N, R or 1 to 13 (Year 4 and Y4 are fine too)`);
}

/** "s20", "S20", "20", "section 20". */
export function readLegalBasis(raw: string): CellResult<LegalBasis> {
  const m = /^(?:s|section)?(20|31|38|44|46|21)$/.exec(squash(raw));
  if (m) return ok(`s${m[1]}` as LegalBasis);
  return problem(`${shown(raw)} is not a legal basis: use s20, s31, s38, s44, s46 or s21, or leave it blank if the child is not looked after`);
}

const LA_CODE = /^[A-Za-z0-9 .'&-]{2,40}$/;

export function readAuthority(raw: string): CellResult<string> {
  if (!LA_CODE.test(raw)) return problem(`${shown(raw)} is not a local authority: use its name or code (letters, digits and spaces, 2 to 40 characters)`);
  // Picked from England's local authorities, not free text: a typo would leave a child's Virtual School unknown.
  const wrong = authorityProblem(raw);
  return wrong ? problem(wrong) : ok(raw.toUpperCase());
}

const CPLA_ROUTES: Record<string, CplaStatus['route']> = {
  adoption: 'adoption',
  adopted: 'adoption',
  adoptionorder: 'adoption',
  sgo: 'SGO',
  specialguardianship: 'SGO',
  specialguardianshiporder: 'SGO',
  cao: 'CAO',
  childarrangementsorder: 'CAO',
  // Residence orders were replaced by child arrangements orders in 2014; older records still say so.
  residenceorder: 'CAO',
  ro: 'CAO',
};

export function readCplaRoute(raw: string): CellResult<CplaStatus['route']> {
  const route = CPLA_ROUTES[squash(raw)];
  if (route) return ok(route);
  return problem(`${shown(raw)} is not a way of leaving care: use adoption, SGO or CAO, or leave it blank`);
}

const PLANS: Record<string, CwswStatus['plan']> = {
  cin: 'CIN',
  childinneed: 'CIN',
  s17: 'CIN',
  cp: 'CP',
  cpp: 'CP',
  childprotection: 'CP',
  childprotectionplan: 'CP',
  // Assessed under section 17 with a social worker allocated, no plan yet.
  assessment: 'assessment',
  s17assessment: 'assessment',
  assessed: 'assessment',
};

export function readPlan(raw: string): CellResult<CwswStatus['plan']> {
  const plan = PLANS[squash(raw)];
  if (plan) return ok(plan);
  return problem(`${shown(raw)} is not a plan: use CIN (Child in Need), CP (Child Protection) or assessment (assessed under section 17, social worker allocated, no plan yet), or leave it blank`);
}

export function readKinship(raw: string): CellResult<'formal' | 'informal'> {
  const s = squash(raw);
  if (s === 'formal' || s === 'informal') return ok(s);
  return problem(`${shown(raw)} is not a kinship arrangement: use formal or informal, or leave it blank`);
}

const SEND: Record<string, Send> = {
  none: 'none',
  n: 'none',
  no: 'none',
  sensupport: 'senSupport',
  k: 'senSupport',
  ehcp: 'ehcp',
  ehc: 'ehcp',
  ehcplan: 'ehcp',
  e: 'ehcp',
};

/** The words, or the school census SEN provision codes N (none), K (SEN support) and E (EHC plan). */
export function readSend(raw: string): CellResult<Send> {
  if (raw === '') return ok('none');
  const send = SEND[squash(raw)];
  if (send) return ok(send);
  return problem(`${shown(raw)} is not a SEND status: use none (N), SEN support (K) or EHCP (E)`);
}

export function readYesNo(raw: string): CellResult<boolean> {
  const s = squash(raw);
  if (['', 'no', 'n', 'false', '0'].includes(s)) return ok(false);
  if (['yes', 'y', 'true', '1'].includes(s)) return ok(true);
  return problem(`${shown(raw)}: use yes or no`);
}

/** "93.5", "93.5%", "100". */
export function readPercent(raw: string): CellResult<number> {
  const m = /^(\d{1,3}(?:\.\d{1,4})?)\s*%?$/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (Number.isFinite(n) && n >= 0 && n <= 100) return ok(n);
  return problem(`${shown(raw)} is not a percentage from 0 to 100`);
}

const emailSchema = z.email().max(254);

export function readEmail(raw: string): CellResult<string> {
  return emailSchema.safeParse(raw).success ? ok(raw) : problem(`${shown(raw)} is not an email address`);
}

export function readPhone(raw: string): CellResult<string> {
  return /^[0-9+() -]{6,40}$/.test(raw) ? ok(raw) : problem(`${shown(raw)} is not a phone number (digits, spaces and + ( ) - only)`);
}

export function readName(raw: string, max: number): CellResult<string> {
  if (raw === '') return problem('is blank');
  if (raw.length > max) return problem(`is longer than ${max} characters`);
  return ok(raw);
}

