import { randomInt } from 'node:crypto';
import { CaseType } from './cases';

/** No 0/O, 1/I/L: staff read references aloud and copy them by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const PREFIX: Record<CaseType, string> = { attendance: 'ATT', suspension: 'SUS', admission: 'ADM' };

export type RandomInt = (max: number) => number;

function randomChars(n: number, rand: RandomInt): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[rand(ALPHABET.length)];
  return out;
}

/** A reference like "ATT-7KQ3M": about 28 million per type, checked unique when saved. */
export function newCaseRef(caseType: CaseType, rand: RandomInt = randomInt): string {
  return `${PREFIX[caseType]}-${randomChars(5, rand)}`;
}

export const CASE_REF_PATTERN = /^(ATT|SUS|ADM)-[A-HJKMNP-Z2-9]{5}$/;

/** Sorts by time, so a range of row keys is a range of dates. */
export function newCaseId(now: Date, rand: RandomInt = randomInt): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomChars(6, rand)}`;
}
