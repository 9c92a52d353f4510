import { z } from 'zod';
import { addYears, compareDates, IsoDate, isoDateSchema } from './dates';

/**
 * Cohort statuses, as defined in the Cambridgeshire model (Offord, "Definitions"; provider
 * template 1.2) and the Hertfordshire policies. A child can carry several at once.
 */

/** Children Act 1989 sections under which a child is looked after (Offord, Definitions a-d). */
export const legalBasisSchema = z.enum(['s20', 's31', 's38', 's44', 's46', 's21']);
export type LegalBasis = z.infer<typeof legalBasisSchema>;

export const LEGAL_BASIS_LABEL: Record<LegalBasis, string> = {
  s20: 'section 20 (voluntary agreement with parents)',
  s31: 'section 31 (care order)',
  s38: 'section 38 (interim care order)',
  s44: 'section 44 (emergency protection order)',
  s46: 'section 46 (police protection)',
  s21: 'section 21 (compulsorily accommodated or remanded)',
};

/** Local authority identifiers are free text codes such as "HERTS" or "CAMBS". */
const laCodeSchema = z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9 .'&-]+$/, 'letters, digits and spaces only');

export const claStatusSchema = z.object({
  kind: z.literal('CLA'),
  legalBasis: legalBasisSchema,
  /** A looked-after child's Virtual School is the placing authority's, which may not be the school's own. */
  placingAuthority: laCodeSchema,
  since: isoDateSchema.optional(),
});

export const cplaStatusSchema = z.object({
  kind: z.literal('CPLA'),
  route: z.enum(['adoption', 'SGO', 'CAO']),
  /** Evidence of the order (for Pupil Premium Plus) seen by the school. */
  evidenceSeen: z.boolean().default(false),
});

export const cwswStatusSchema = z.object({
  kind: z.literal('CWSW'),
  /**
   * CIN and CP plans; `assessment`: assessed under section 17 with a social worker allocated and no
   * plan yet, who has a social worker all the same (virtual school head role extension, "Defining
   * the cohort of children with a social worker").
   */
  plan: z.enum(['CIN', 'CP', 'assessment']),
  /** Absent while the plan is open; the date it closed otherwise. */
  endedOn: isoDateSchema.optional(),
});

export const kinshipStatusSchema = z.object({
  kind: z.literal('KINSHIP'),
  arrangement: z.enum(['formal', 'informal']),
});

export const cohortStatusSchema = z.discriminatedUnion('kind', [
  claStatusSchema,
  cplaStatusSchema,
  cwswStatusSchema,
  kinshipStatusSchema,
]);
export type CohortStatus = z.infer<typeof cohortStatusSchema>;
export type ClaStatus = z.infer<typeof claStatusSchema>;
export type CplaStatus = z.infer<typeof cplaStatusSchema>;
export type CwswStatus = z.infer<typeof cwswStatusSchema>;

export const sendSchema = z.enum(['none', 'senSupport', 'ehcp']);
export type Send = z.infer<typeof sendSchema>;

export const yearGroupSchema = z.enum(['N', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13']);
export type YearGroup = z.infer<typeof yearGroupSchema>;

export const contactSchema = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
  organisation: z.string().trim().max(120).optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const pepSchema = z.object({
  date: isoDateSchema,
  note: z.string().max(500).optional(),
});

export const pupilIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only');

export const pupilSchema = z.object({
  id: pupilIdSchema,
  schoolId: z.string().min(1).max(64),
  givenName: z.string().trim().min(1).max(80),
  familyName: z.string().trim().min(1).max(80),
  yearGroup: yearGroupSchema,
  dateOfBirth: isoDateSchema,
  statuses: z.array(cohortStatusSchema).max(8).default([]),
  send: sendSchema.default('none'),
  ppPlusEligible: z.boolean().default(false),
  socialWorker: contactSchema.optional(),
  /** Parents, carers or guardians the school talks to. */
  carers: z.array(contactSchema).max(6).default([]),
  keyAdult: z.string().trim().max(120).optional(),
  peps: z.array(pepSchema).max(100).default([]),
  sdqDate: isoDateSchema.optional(),
  /** Attendance so far this school year, as a percentage, when the MIS export gives it. */
  attendancePercent: z.number().min(0).max(100).optional(),
  onRollSince: isoDateSchema.optional(),
  /** Marks a record made up for the demo school or tests. Real data never carries it. */
  synthetic: z.boolean().optional(),
});
export type Pupil = z.infer<typeof pupilSchema>;
export type PupilInput = z.input<typeof pupilSchema>;

/** Past CWSW status lasts six years after the plan ends (Offord, Definitions; provider template 1.2). */
export const CWSW_WINDOW_YEARS = 6;

/** Statuses in force on a given day: a past CWSW whose plan ended more than six years ago drops out. */
export function activeStatuses(pupil: Pick<Pupil, 'statuses'>, today: IsoDate): CohortStatus[] {
  return pupil.statuses.filter((s) => {
    if (s.kind !== 'CWSW' || !s.endedOn) return true;
    return compareDates(today, addYears(s.endedOn, CWSW_WINDOW_YEARS)) < 0;
  });
}

export interface CohortFlags {
  cla?: ClaStatus;
  cpla?: CplaStatus;
  cwswCurrent?: CwswStatus;
  /** A plan that ended in the last six years. */
  cwswPast?: CwswStatus;
  /** A plan that ended at any time, however long ago (for a policy with no six-year window). */
  cwswEnded?: CwswStatus;
  kinship: boolean;
  /** CLA or CPLA (Offord, Definitions: "collectively referred to as care experienced"). */
  careExperienced: boolean;
  /** A child on a Child Protection plan now. */
  onCpPlan: boolean;
  /** Has or has had a social worker (any of the above). */
  hasOrHadSocialWorker: boolean;
}

export function cohortFlags(pupil: Pick<Pupil, 'statuses'>, today: IsoDate): CohortFlags {
  const active = activeStatuses(pupil, today);
  const cla = active.find((s): s is ClaStatus => s.kind === 'CLA');
  const cpla = active.find((s): s is CplaStatus => s.kind === 'CPLA');
  const cwsw = active.filter((s): s is CwswStatus => s.kind === 'CWSW');
  const cwswCurrent = cwsw.find((s) => !s.endedOn || compareDates(s.endedOn, today) > 0);
  const cwswPast = cwswCurrent ? undefined : cwsw.find((s) => s.endedOn !== undefined);
  const cwswEnded = cwswCurrent
    ? undefined
    : pupil.statuses
        .filter((s): s is CwswStatus => s.kind === 'CWSW' && s.endedOn !== undefined && compareDates(s.endedOn, today) <= 0)
        .sort((a, b) => compareDates(b.endedOn!, a.endedOn!))[0];
  const kinship = active.some((s) => s.kind === 'KINSHIP');
  return {
    cla,
    cpla,
    cwswCurrent,
    cwswPast,
    cwswEnded,
    kinship,
    careExperienced: Boolean(cla || cpla),
    onCpPlan: cwswCurrent?.plan === 'CP',
    hasOrHadSocialWorker: Boolean(cla || cpla || cwswCurrent || cwswPast || kinship),
  };
}

export function fullName(pupil: Pick<Pupil, 'givenName' | 'familyName'>): string {
  return `${pupil.givenName} ${pupil.familyName}`;
}

export function yearLabel(yearGroup: Pupil['yearGroup']): string {
  return yearGroup === 'N' ? 'Nursery' : yearGroup === 'R' ? 'Reception' : `Year ${yearGroup}`;
}

export function pupilLabel(p: Pick<Pupil, 'givenName' | 'familyName' | 'yearGroup'>): string {
  return `${p.givenName} ${p.familyName} (${yearLabel(p.yearGroup)})`;
}
