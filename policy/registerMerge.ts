import { CohortStatus, Contact, Pupil } from './pupil';
import { CarriedPart } from './registerColumns';

/**
 * How a pupil from a register file is merged into the one the register holds. The file is the MIS's
 * word on what it carries (names, year group, date of birth, and each part whose column is in the
 * file, blank cells included: a blank attendance_percent clears the figure). Everything else is the
 * school's own record and is kept: PEP history, SDQ date, key adult, the synthetic flag, statuses of
 * a kind the file has no column for, and contacts' details the file does not carry.
 *
 * Two statuses are history, and a blank cell never removes them: a CIN or CP plan (past plans count
 * for six years, and many MIS exports only show current ones) and a previously looked-after child's
 * order (it is for life, and often declared by parents rather than held in the MIS). A value in the
 * file still replaces them. Looked-after and kinship statuses follow the file, blank included.
 */
const KEPT_WHEN_BLANK: ReadonlySet<CohortStatus['kind']> = new Set(['CPLA', 'CWSW']);

export function mergeImportedPupil(existing: Pupil | undefined, imported: Pupil, carries: ReadonlySet<CarriedPart>): Pupil {
  if (!existing) return imported;
  const merged: Pupil = {
    ...existing,
    givenName: imported.givenName,
    familyName: imported.familyName,
    yearGroup: imported.yearGroup,
    dateOfBirth: imported.dateOfBirth,
    statuses: [...existing.statuses.filter((s) => keepsStatus(s, imported, carries)), ...imported.statuses.filter((s) => carries.has(s.kind))],
  };
  if (carries.has('send')) merged.send = imported.send;
  if (carries.has('ppPlusEligible')) merged.ppPlusEligible = imported.ppPlusEligible;
  setOrClear(merged, 'attendancePercent', carries.has('attendancePercent'), imported.attendancePercent);
  setOrClear(merged, 'onRollSince', carries.has('onRollSince'), imported.onRollSince);
  if (carries.has('socialWorker')) {
    const sw = imported.socialWorker ? mergeContact(existing.socialWorker, imported.socialWorker, carries.has('socialWorkerEmail'), carries.has('socialWorkerPhone')) : undefined;
    setOrClear(merged, 'socialWorker', true, sw);
  }
  const carer = imported.carers[0];
  // The file names one carer (the MIS's priority contact); other carers the school added are kept,
  // and a blank carer cell never removes the only way to reach a family.
  if (carries.has('carer') && carer) {
    const same = existing.carers.find((c) => sameName(c, carer));
    const first = mergeContact(same, carer, carries.has('carerEmail'), carries.has('carerPhone'));
    merged.carers = [first, ...existing.carers.filter((c) => c !== same && !sameName(c, carer))].slice(0, 6);
  }
  return merged;
}

function keepsStatus(status: CohortStatus, imported: Pupil, carries: ReadonlySet<CarriedPart>): boolean {
  if (!carries.has(status.kind)) return true;
  return KEPT_WHEN_BLANK.has(status.kind) && !imported.statuses.some((s) => s.kind === status.kind);
}

/** Kinds of status the register held and the merged record no longer has: worth telling the person loading the file. */
export function removedStatusKinds(before: Pupil, after: Pupil): Array<CohortStatus['kind']> {
  const kept = new Set(after.statuses.map((s) => s.kind));
  return [...new Set(before.statuses.map((s) => s.kind))].filter((k) => !kept.has(k));
}

function setOrClear<K extends 'attendancePercent' | 'onRollSince' | 'socialWorker'>(pupil: Pupil, key: K, carried: boolean, value: Pupil[K]): void {
  if (!carried) return;
  if (value === undefined) delete pupil[key];
  else pupil[key] = value;
}

function sameName(a: Contact, b: Contact): boolean {
  return a.name.trim().toLowerCase() === b.name.trim().toLowerCase();
}

/** The same person keeps the organisation (and any detail the file has no column for) the school recorded. */
function mergeContact(existing: Contact | undefined, fromFile: Contact, carriesEmail: boolean, carriesPhone: boolean): Contact {
  const kept = existing && sameName(existing, fromFile) ? existing : undefined;
  const out: Contact = { name: fromFile.name };
  const email = carriesEmail ? fromFile.email : kept?.email;
  const phone = carriesPhone ? fromFile.phone : kept?.phone;
  if (email) out.email = email;
  if (phone) out.phone = phone;
  if (kept?.organisation) out.organisation = kept.organisation;
  return out;
}

/** Same content, whatever order keys or statuses were stored in: decides whether a row is written. */
export function samePupil(a: Pupil, b: Pupil): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(pupil: Pupil): string {
  const statuses = pupil.statuses.map((s: CohortStatus) => stableStringify(s)).sort();
  return stableStringify({ ...pupil, statuses });
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
