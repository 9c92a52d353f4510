import { z } from 'zod';
import { caseAnswersSchema, caseTypeSchema } from './cases';
import { isoDateSchema } from './dates';
import { roleSchema } from './roles';
import { AuditEntry, CaseRecord, caseSubjectSchema, Notification } from './caseRecord';
import { RECIPIENT_LABEL, Recipient } from './routing/step';
import { Citation } from './profiles/citations';

/**
 * Schemas for what is read back from storage: a row written by an older version, or damaged, is
 * refused rather than half-used.
 */
const recipientSchema = z.enum(Object.keys(RECIPIENT_LABEL) as [Recipient, ...Recipient[]]);
const citationSchema: z.ZodType<Citation> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('policy'), document: z.string(), section: z.string(), quote: z.string() }),
  z.object({ kind: z.literal('statute'), document: z.string(), paragraph: z.string(), summary: z.string() }),
]);

/**
 * Cases saved before plans carried their citations named a source by key (and a county pack): they
 * are read with a citation that says so, rather than refused.
 */
const sourceSchema = z.union([
  citationSchema,
  z.string().transform((key): Citation => ({ kind: 'statute', document: 'A rule of an earlier version of this app', paragraph: key, summary: 'Recorded before plans carried the words of their sources.' })),
]);
const LEGACY_PACK_DOCUMENT: Record<string, string> = { hertfordshire: 'Hertfordshire policy pack (earlier version)', cambridgeshire: 'Cambridgeshire policy pack (earlier version)' };

const timingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('immediately') }),
  z.object({ kind: z.literal('sameDay') }),
  z.object({ kind: z.literal('beforeDecision'), label: z.string().optional() }),
  z.object({ kind: z.literal('withoutDelay') }),
  z.object({ kind: z.literal('promptly') }),
  z.object({ kind: z.literal('schoolDays'), days: z.number(), from: z.enum(['today', 'startDate', 'decision']) }),
  z.object({ kind: z.literal('byDate'), label: z.string() }),
]);

export const routingStepSchema = z.object({
  id: z.string(),
  who: recipientSchema,
  owner: roleSchema,
  what: z.string(),
  staffWhat: z.string(),
  deadline: isoDateSchema,
  timing: timingSchema,
  late: z.boolean().optional(),
  needsApprovalBy: z.literal('DSL').optional(),
  after: z.array(z.string()).optional(),
  requiresConsentOf: z.literal('parentsCarers').optional(),
  rationale: z.string(),
  source: sourceSchema,
  alsoSources: z.array(sourceSchema).optional(),
  flag: z.enum(['statutoryLimit', 'differentIntervention', 'safeguarding', 'missedBeforeDecision']).optional(),
  duty: z.boolean().optional(),
  estimated: z.boolean().optional(),
  contact: z.object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() }).optional(),
});

export const routingPlanSchema = z.preprocess(
  (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || 'policy' in input) return input;
    const { pack, ...rest } = input as Record<string, unknown>;
    return { ...rest, policy: { profile: String(pack), document: LEGACY_PACK_DOCUMENT[String(pack)] ?? String(pack) } };
  },
  z.object({
  caseType: caseTypeSchema,
  today: isoDateSchema,
  policy: z.object({ profile: z.string(), document: z.string() }),
  blocked: z.object({ reason: z.string(), source: citationSchema }).optional(),
  inScope: z.boolean(),
  statusReported: z.boolean().optional(),
  statusLabels: z.array(z.string()),
  steps: z.array(routingStepSchema),
  }),
);

const actorSchema = z.object({ aadObjectId: z.string(), name: z.string() });

export const caseRecordSchema: z.ZodType<CaseRecord, unknown> = z.object({
  id: z.string(),
  ref: z.string(),
  schoolId: z.string(),
  caseType: caseTypeSchema,
  subject: caseSubjectSchema,
  answers: caseAnswersSchema,
  plan: routingPlanSchema,
  raisedBy: actorSchema,
  raisedAt: z.string(),
  raisedOn: isoDateSchema,
  status: z.enum(['open', 'closed']),
  draftId: z.string(),
  approval: z
    .object({
      required: z.boolean(),
      decision: z
        .object({
          outcome: z.enum(['approved', 'amended', 'declined']),
          by: actorSchema,
          at: z.string(),
          reason: z.string().optional(),
          sendNotificationIds: z.array(z.string()),
          note: z.string().optional(),
        })
        .optional(),
    })
    .default({ required: false }),
});

export const auditEntrySchema: z.ZodType<AuditEntry, unknown> = z.object({
  caseId: z.string(),
  seq: z.number().int().min(0),
  at: z.string(),
  actor: z.union([actorSchema, z.object({ system: z.literal(true) })]),
  action: z.enum([
    'raised',
    'routed',
    'notified',
    'notificationPending',
    'approved',
    'amended',
    'declined',
    'delivered',
    'deliveryRetry',
    'deliveryFailed',
    'reminded',
    'escalated',
    'actionDone',
    'actionReassigned',
    'deadlineReminder',
    'overdue',
    'viewed',
    'matchedToRegister',
  ]),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

const statusSchema = z.enum(['pending', 'awaitingApproval', 'delivered', 'failed', 'notSent']);
const deliverySchema = z.object({
  attempts: z.number().int().min(0),
  nextAttemptAt: z.string().optional(),
  leaseUntil: z.string().optional(),
  leaseOwner: z.string().optional(),
  lastError: z.string().optional(),
  waitingForInstall: z.boolean().optional(),
});
export const notificationSchema: z.ZodType<Notification, unknown> = z.discriminatedUnion('channel', [
  z.object({
    id: z.string(),
    caseId: z.string(),
    channel: z.literal('teams'),
    to: z.object({ aadObjectId: z.string(), name: z.string(), roles: z.array(roleSchema) }),
    view: z.enum(['lead', 'staff']),
    kind: z.enum(['case', 'approval', 'alert', 'deadline', 'pep']).default('case'),
    stepIds: z.array(z.string()),
    status: statusSchema,
    delivery: deliverySchema.optional(),
    about: z.string().optional(),
    reminder: z.enum(['reminder', 'escalation']).optional(),
    deadlineState: z.enum(['dueTomorrow', 'dueToday', 'overdue']).optional(),
  }),
  z.object({
    id: z.string(),
    caseId: z.string(),
    channel: z.literal('email'),
    to: z.object({ recipient: recipientSchema, name: z.string(), email: z.string().optional() }),
    stepIds: z.array(z.string()),
    status: statusSchema,
    delivery: deliverySchema.optional(),
  }),
]);
