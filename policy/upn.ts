import { createHash } from 'node:crypto';

/**
 * The Unique Pupil Number (DfE; UK Government Data Standards Catalogue, "Unique Pupil Number" 2.0):
 * a check letter, then 12 characters: LA number (3 digits), establishment number (4), the academic
 * year it was issued (2), and 3 serial digits (a permanent UPN) or 2 digits and a letter (a
 * temporary one). The check letter is the sum of each of characters 2-13 times its position,
 * modulo 23, read through the table below; a temporary UPN's last letter counts as its place in
 * the same table. This is the check behind school census error 1510, so a UPN that fails it would
 * be refused by the census too.
 */
const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

const SHAPE = /^[A-Z](\d{12}|\d{11}[A-HJ-NP-RT-Z])$/;

export function normaliseUpn(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The check letter for the 12 characters after it (digits, or 11 digits and a letter). */
export function upnCheckLetter(body: string): string {
  let sum = 0;
  for (let k = 0; k < 12; k++) {
    const ch = body[k] ?? '';
    const value = /\d/.test(ch) ? Number(ch) : LETTERS.indexOf(ch);
    if (value < 0) throw new RangeError('a UPN has digits after its check letter (and may end in a letter)');
    sum += value * (k + 2);
  }
  return LETTERS[sum % 23]!;
}

/** Why this is not a UPN, in words for a school office, or undefined when it is one. */
export function upnProblem(upn: string): string | undefined {
  if (upn.length !== 13) return `a UPN has 13 characters; this has ${upn.length}`;
  if (!SHAPE.test(upn)) return 'a UPN is a letter followed by 12 digits (a temporary UPN ends in a letter instead of the last digit)';
  const expected = upnCheckLetter(upn.slice(1));
  if (upn[0] !== expected) return `the check letter (the first character) does not match the rest of the number: check it against the MIS (census error 1510)`;
  return undefined;
}

/**
 * The register's row key for a pupil: the same school and UPN always give the same id, so a
 * re-import updates the row instead of adding a second one, while the UPN itself is not the key
 * (row keys show up in logs, URLs and card payloads). Salted with the school's id so one child
 * has a different id in each school.
 */
export function pupilIdFor(schoolId: string, upn: string): string {
  return `u${createHash('sha256').update(`${schoolId}\n${normaliseUpn(upn)}`).digest('hex').slice(0, 20)}`;
}
