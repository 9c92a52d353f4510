import { addYears, compareDates, IsoDate } from './dates';

/**
 * When a child's records may be deleted: their date of birth plus the school's retention period
 * (25 years by default, see schoolProfile.ts). A concern about a child not on the register has no
 * date of birth; it is kept for the same period from the day it was raised, which is never
 * shorter (a child is at least newborn when a concern is raised).
 */
export function keepUntil(dateOfBirth: IsoDate | undefined, raisedOn: IsoDate | undefined, yearsAfterBirth: number): IsoDate | undefined {
  const from = dateOfBirth ?? raisedOn;
  return from ? addYears(from, yearsAfterBirth) : undefined;
}

/** True once the retention period has ended (on the day itself the record is still kept). */
export function pastRetention(until: IsoDate | undefined, today: IsoDate): boolean {
  return until !== undefined && compareDates(today, until) > 0;
}
