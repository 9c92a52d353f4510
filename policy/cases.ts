import { z } from 'zod';
import { isoDateSchema } from './dates';
import { sendSchema } from './pupil';
import { plainText } from './plainText';

/** The kinds of concern a member of staff can raise. */
export const caseTypeSchema = z.enum(['attendance', 'suspension', 'admission']);
export type CaseType = z.infer<typeof caseTypeSchema>;

/** Typed text: trimmed, between `min` and `max` characters, and plain (no disguising characters: plainText). */
const freeText = (max: number, min = 0) => z.string().transform(plainText).pipe(z.string().trim().min(min).max(max));

/** Reasons for absence the policies single out (Offord: placement moves; Leys/Offord: reasonable adjustments). */
export const absenceReasonSchema = z.enum(['placementMove', 'contact', 'court', 'review', 'illness', 'medical', 'unknown', 'other']);
export type AbsenceReason = z.infer<typeof absenceReasonSchema>;

/** The reasons for absence in words, as the summary, the cards and the emails say them. */
export const ABSENCE_REASON_LABEL: Record<AbsenceReason, string> = {
  placementMove: 'a move of home or placement',
  contact: 'family time (contact)',
  court: 'a court hearing',
  review: 'a care or plan review',
  illness: 'illness',
  medical: 'a medical appointment',
  unknown: 'not known',
  other: 'something else',
};

export const attendanceAnswersSchema = z.object({
  caseType: z.literal('attendance'),
  /** Half-day sessions missed in the period the concern is about. */
  sessionsMissed: z.number().int().min(0).max(400).optional(),
  absenceType: z.enum(['authorised', 'unauthorised', 'mixed', 'notKnown']).default('notKnown'),
  /** Absent today and nobody has explained why. */
  unexplainedToday: z.boolean().default(false),
  pattern: z.boolean().default(false),
  punctuality: z.boolean().default(false),
  reasons: z.array(absenceReasonSchema).max(8).default([]),
  attendancePercent: z.number().min(0).max(100).optional(),
  /** Consecutive school days of unauthorised absence up to today. */
  consecutiveUnauthorisedDays: z.number().int().min(0).max(400).optional(),
  alreadyDone: freeText(2000).optional(),
});
export type AttendanceAnswers = z.infer<typeof attendanceAnswersSchema>;

/** The alternatives to suspension the Hertfordshire model lists (Leys, "Suspensions and Exclusion"). */
export const ALTERNATIVES = [
  'softStart',
  'structuredBreakLunch',
  'additionalAdult',
  'semhProvision',
  'therapy',
  'nurtureRoom',
  'predictAndPrevent',
  'therapeuticThinkingRiskAssessment',
  'reducedTimetable',
] as const;
export const alternativeSchema = z.enum(ALTERNATIVES);
export type Alternative = z.infer<typeof alternativeSchema>;

export const ALTERNATIVE_LABEL: Record<Alternative, string> = {
  softStart: 'a soft start to the day',
  structuredBreakLunch: 'a more structured break or lunchtime',
  additionalAdult: 'additional adult time or attention',
  semhProvision: 'social, emotional and mental health (SEMH) provision',
  therapy: 'therapy',
  nurtureRoom: 'nurture room support',
  predictAndPrevent: 'Predict and prevent',
  therapeuticThinkingRiskAssessment: 'a Therapeutic Thinking risk assessment',
  reducedTimetable: 'a reduced timetable (time-limited and agreed)',
};

/** The programme names a policy uses without explaining them (Hertfordshire's Therapeutic Thinking approach), in a line each. */
export const ALTERNATIVE_HELP: Partial<Record<Alternative, string>> = {
  predictAndPrevent: 'Predict and prevent: a plan of what is likely to upset the child and what adults will do beforehand to stop it escalating.',
  therapeuticThinkingRiskAssessment: 'Therapeutic Thinking risk assessment: a written plan of how adults will keep the child and others safe and respond if behaviour becomes harmful.',
};

/** Suspensions already on record, so the statutory limits can be checked. */
export const suspensionHistorySchema = z.object({
  suspensionsThisYear: z.number().int().min(0).max(100).default(0),
  daysThisYear: z.number().min(0).max(200).default(0),
  daysThisTerm: z.number().min(0).max(100).default(0),
  /**
   * School days of suspension running straight up to this one (back-to-back suspensions): the
   * sixth-day duty counts consecutive days, however many fixed periods they are made of.
   */
  consecutiveDaysBefore: z.number().min(0).max(200).default(0),
});
export type SuspensionHistory = z.infer<typeof suspensionHistorySchema>;

export const decisionSchema = z.object({
  kind: z.enum(['suspension', 'permanentExclusion']),
  startDate: isoDateSchema,
  /** School days of the suspension (not used for a permanent exclusion). */
  days: z.number().min(0.5).max(45).default(1),
  /** The child would miss a public examination or a national curriculum test. */
  missesExam: z.boolean().default(false),
});

/** Who a policy says must be consulted before a decision: asked when a decision is reported. */
export const CONSULTED_PARTIES = ['virtualSchool', 'parentsCarers', 'socialWorker'] as const;
export const consultedPartySchema = z.enum(CONSULTED_PARTIES);
export type ConsultedParty = z.infer<typeof consultedPartySchema>;
export const CONSULTED_LABEL: Record<ConsultedParty, string> = {
  virtualSchool: "the child's Virtual School (or its education adviser)",
  parentsCarers: "the child's parents, carers or guardians",
  socialWorker: "the child's social worker",
};
export type SuspensionDecision = z.infer<typeof decisionSchema>;

export const suspensionAnswersSchema = z
  .object({
    caseType: z.literal('suspension'),
    stage: z.enum(['atRisk', 'decided']),
    /** What happened, in the teacher's own words. */
    whatHappened: freeText(4000, 1),
    tried: z.array(alternativeSchema).max(ALTERNATIVES.length).default([]),
    triedOther: freeText(2000).optional(),
    sendConsiderations: freeText(2000).optional(),
    history: suspensionHistorySchema.default(suspensionHistorySchema.parse({})),
    decision: decisionSchema.optional(),
    /** A member of staff says a decision has been made but is not the one to record it. */
    decisionReported: z.boolean().default(false),
    /** For a decision already made: who it was discussed with before it was made. */
    consultedBeforeDecision: z.array(consultedPartySchema).max(CONSULTED_PARTIES.length).default([]),
  })
  .refine((a) => a.stage !== 'decided' || a.decision !== undefined, { message: 'a decided suspension needs its dates and days', path: ['decision'] });
export type SuspensionAnswers = z.infer<typeof suspensionAnswersSchema>;

/** "not yet" is a real answer: the policies ask for early identification, so it becomes an action. */
const nameOrNotYet = z.union([z.literal('notYet'), freeText(120, 1)]);

export const admissionAnswersSchema = z.object({
  caseType: z.literal('admission'),
  startDate: isoDateSchema,
  previousSchool: freeText(200).optional(),
  /** The court order or other evidence of status has been seen. */
  statusEvidenceSeen: z.boolean().default(false),
  keyAdult: nameOrNotYet.default('notYet'),
  peerBuddy: nameOrNotYet.default('notYet'),
  transitionMeetingDate: isoDateSchema.optional(),
  send: sendSchema.optional(),
});
export type AdmissionAnswers = z.infer<typeof admissionAnswersSchema>;

export const caseAnswersSchema = z.discriminatedUnion('caseType', [attendanceAnswersSchema, suspensionAnswersSchema, admissionAnswersSchema]);
export type CaseAnswers = z.infer<typeof caseAnswersSchema>;
export type CaseAnswersInput = z.input<typeof caseAnswersSchema>;
