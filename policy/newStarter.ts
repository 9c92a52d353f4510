import { z } from 'zod';
import { IsoDate, isoDateSchema } from './dates';
import { findLocalAuthority } from './localAuthorities';
import { CohortStatus, cohortStatusSchema, LegalBasis, Pupil, yearGroupSchema, yearLabel } from './pupil';

/**
 * A child joining the school who is not on the register yet (new starters usually reach the MIS on
 * or after their first day). Who they are, and the status the member of staff reported, are all
 * the policy has to go on until the DSL matches them to the register.
 */
export const newStarterSubjectSchema = z.object({
  kind: z.literal('newStarter'),
  givenName: z.string().trim().min(1).max(80),
  familyName: z.string().trim().min(1).max(80),
  yearGroup: yearGroupSchema,
  dateOfBirth: isoDateSchema.optional(),
  /** As reported when the admission was raised; the register may say otherwise once it is loaded. */
  statuses: z.array(cohortStatusSchema).max(2).default([]),
});
export type NewStarterSubject = z.infer<typeof newStarterSubjectSchema>;

/**
 * What staff can say about a new starter's status: the cohort the policies cover (in care, previously
 * in care by route, a child in need or child protection plan, kinship care), or nothing known yet.
 */
export const REPORTED_STATUSES = ['inCare', 'adopted', 'sgo', 'cao', 'childInNeed', 'childProtection', 'kinship', 'noneKnown'] as const;
export const reportedStatusSchema = z.enum(REPORTED_STATUSES);
export type ReportedStatus = z.infer<typeof reportedStatusSchema>;

/** The statuses a reported status stands for. A child in care needs the legal basis and the placing authority's DfE code. */
export function statusesFor(status: ReportedStatus, inCare?: { legalBasis: LegalBasis; placingAuthority: string }): CohortStatus[] {
  switch (status) {
    case 'inCare':
      if (!inCare) throw new Error('a child in care needs a legal basis and a placing authority');
      return [{ kind: 'CLA', legalBasis: inCare.legalBasis, placingAuthority: inCare.placingAuthority }];
    case 'adopted':
      return [{ kind: 'CPLA', route: 'adoption', evidenceSeen: false }];
    case 'sgo':
      return [{ kind: 'CPLA', route: 'SGO', evidenceSeen: false }];
    case 'cao':
      return [{ kind: 'CPLA', route: 'CAO', evidenceSeen: false }];
    case 'childInNeed':
      return [{ kind: 'CWSW', plan: 'CIN' }];
    case 'childProtection':
      return [{ kind: 'CWSW', plan: 'CP' }];
    case 'kinship':
      // Whether the arrangement is formal is for the register to say; no rule turns on it.
      return [{ kind: 'KINSHIP', arrangement: 'informal' }];
    case 'noneKnown':
      return [];
  }
}

/** The reported status back from the statuses (to fill the card in again after "back"). */
export function reportedStatusOf(statuses: readonly CohortStatus[]): ReportedStatus {
  const s = statuses[0];
  if (!s) return 'noneKnown';
  switch (s.kind) {
    case 'CLA':
      return 'inCare';
    case 'CPLA':
      return s.route === 'adoption' ? 'adopted' : s.route === 'SGO' ? 'sgo' : 'cao';
    case 'CWSW':
      return s.plan === 'CP' ? 'childProtection' : 'childInNeed';
    case 'KINSHIP':
      return 'kinship';
  }
}

/** The DfE code of a placing authority chosen or typed ("881", "Essex"), or undefined when it names no one authority in England. */
export function placingAuthorityCode(input: string): string | undefined {
  return findLocalAuthority(input)?.code;
}

/** "Jordan Notonroll (Year 3), not on the register yet": how cards name a new starter. */
export function newStarterLabel(s: Pick<NewStarterSubject, 'givenName' | 'familyName' | 'yearGroup'>): string {
  return `${s.givenName} ${s.familyName} (${yearLabel(s.yearGroup)}), not on the register yet`;
}

/**
 * What routing knows of a child: a pupil on the register, or a new starter's reported status. The
 * flag tells the plan its statuses were reported, not read from the register.
 */
export type RoutedChild = Pick<Pupil, 'statuses' | 'send'> & Partial<Pick<Pupil, 'socialWorker' | 'attendancePercent'>> & { statusReported?: true };

export function routedNewStarter(s: NewStarterSubject): RoutedChild {
  return { statuses: s.statuses, send: 'none', statusReported: true };
}

/** Names compared as the register keeps them: case, accents, spaces and hyphens aside. */
function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The score of the same name and date of birth: offered already chosen, for the lead to confirm. */
export const CERTAIN_MATCH = 100;

/**
 * How likely a pupil on the register is to be this new starter: 0 for not at all. Name and date of
 * birth together are near certain; a name alone, or a date of birth with the year group, less so.
 */
export function matchScore(s: Pick<NewStarterSubject, 'givenName' | 'familyName' | 'dateOfBirth' | 'yearGroup'>, p: Pick<Pupil, 'givenName' | 'familyName' | 'dateOfBirth' | 'yearGroup'>): number {
  const family = nameKey(s.familyName) === nameKey(p.familyName);
  const given = nameKey(s.givenName) === nameKey(p.givenName);
  const born = s.dateOfBirth !== undefined && s.dateOfBirth === (p.dateOfBirth as IsoDate);
  const year = s.yearGroup === p.yearGroup;
  if (family && given) return born ? CERTAIN_MATCH : 80;
  if (born && (family || given)) return 60;
  if (family && year) return 50;
  if (born && year) return 40;
  if (given && year) return 30;
  return family ? 20 : 0;
}
