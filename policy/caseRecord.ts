import { z } from 'zod';
import { CaseAnswers, CaseType } from './cases';
import { IsoDate } from './dates';
import { newStarterSubjectSchema } from './newStarter';
import { APPROVER_ROLES, Role } from './roles';
import { holdersOf } from './stepOwners';
import { EXTERNAL_RECIPIENTS, Recipient, RoutingPlan } from './routing/step';
import { SchoolProfile, StaffMember } from './schoolProfile';

/**
 * Who the concern is about: a child on the register, one the DSL must identify, or a new starter
 * not on the register yet. `matched`: a new starter the DSL has since matched to the register.
 */
export const caseSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('onRegister'), pupilId: z.string().min(1).max(64), matched: z.object({ by: z.string(), at: z.string() }).optional() }),
  z.object({ kind: z.literal('notOnRegister'), description: z.string().trim().min(1).max(200) }),
  newStarterSubjectSchema,
]);
export type CaseSubject = z.infer<typeof caseSubjectSchema>;

export interface Actor {
  aadObjectId: string;
  name: string;
}

export interface CaseRecord {
  id: string;
  /** What staff quote: short, unambiguous, unique per school. */
  ref: string;
  schoolId: string;
  caseType: CaseType;
  subject: CaseSubject;
  answers: CaseAnswers;
  plan: RoutingPlan;
  raisedBy: Actor;
  raisedAt: string;
  raisedOn: IsoDate;
  status: 'open' | 'closed';
  /** The dialog's draft id: a confirm retried after a lost reply finds the case already saved. */
  draftId: string;
  /** Whether steps leaving the school wait for a DSL, and what the DSL decided. */
  approval: { required: boolean; decision?: ApprovalDecision };
}

export interface ApprovalDecision {
  outcome: 'approved' | 'amended' | 'declined';
  by: Actor;
  at: string;
  /** Required to amend or decline (KCSIE: decisions and their reasons are recorded). */
  reason?: string;
  /** The external notifications to send; the others are not sent. */
  sendNotificationIds: string[];
  /** The DSL's own words for the emails, the only free text that leaves the school. */
  note?: string;
}

export type AuditAction =
  | 'raised'
  | 'routed'
  | 'notified'
  | 'notificationPending'
  | 'approved'
  | 'amended'
  | 'declined'
  | 'delivered'
  | 'deliveryRetry'
  | 'deliveryFailed'
  | 'reminded'
  | 'escalated'
  | 'actionDone'
  | 'actionReassigned'
  | 'deadlineReminder'
  | 'overdue'
  | 'viewed'
  | 'matchedToRegister';

export interface AuditEntry {
  caseId: string;
  seq: number;
  at: string;
  /** A member of staff, or the system itself. */
  actor: Actor | { system: true };
  action: AuditAction;
  /** Ids and counts only: never a child's name or the free text of a concern. */
  detail: Record<string, string | number | boolean>;
}

export type NotificationStatus = 'pending' | 'awaitingApproval' | 'delivered' | 'failed' | 'notSent';

/** Where a notification is in its delivery: attempts so far, when to try next, who holds it now. */
export interface DeliveryState {
  attempts: number;
  nextAttemptAt?: string;
  /** An instance that is sending it holds a short lease, so two instances do not both send. */
  leaseUntil?: string;
  leaseOwner?: string;
  lastError?: string;
  /** The recipient has not installed the app; tried again later, listed in the digest. */
  waitingForInstall?: boolean;
}

export interface StaffNotification {
  id: string;
  caseId: string;
  channel: 'teams';
  to: { aadObjectId: string; name: string; roles: Role[] };
  /** The lead view for the DSL, deputies, DT and headteacher; the staff view for anyone else. */
  view: 'lead' | 'staff';
  /** What the card is: the case, a request to approve it, or an alert that something failed. */
  kind: 'case' | 'approval' | 'alert' | 'deadline' | 'pep';
  stepIds: string[];
  status: NotificationStatus;
  delivery?: DeliveryState;
  /** For an alert: the notification that could not be delivered. */
  about?: string;
  /** An approval not acted on in time: sent again to the DSL, then to the deputy and headteacher. */
  reminder?: 'reminder' | 'escalation';
  /** For a deadline reminder: which stage it is (the action is named by `about`, its step id). */
  deadlineState?: 'dueTomorrow' | 'dueToday' | 'overdue';
}

export interface ExternalNotification {
  id: string;
  caseId: string;
  channel: 'email';
  to: { recipient: Recipient; name: string; email?: string };
  stepIds: string[];
  status: NotificationStatus;
  delivery?: DeliveryState;
}

export type Notification = StaffNotification | ExternalNotification;

const INTERNAL_ROLE_FOR: Partial<Record<Recipient, Role>> = {
  DSL: 'DSL',
  DT: 'DT',
  headteacher: 'headteacher',
  SENCO: 'SENCO',
  attendanceLead: 'attendanceLead',
};
const LEAD_ROLES: ReadonlySet<Role> = new Set(['DSL', 'deputyDSL', 'DT', 'headteacher']);

/**
 * Who in school hears about a plan: for each step, the holders of the role it names and of the
 * role that owns it. One card per person, listing their steps. The person who raised the concern
 * has just seen the plan and is not sent it again. A role nobody holds falls to the DSL.
 */
export function staffNotifications(profile: SchoolProfile, caseId: string, plan: RoutingPlan, raisedBy: Actor): StaffNotification[] {
  const byPerson = new Map<string, { member: StaffMember; stepIds: Set<string> }>();
  const holders = (role: Role) => holdersOf(profile, role);
  for (const step of plan.steps) {
    const roles = new Set<Role>();
    const named = INTERNAL_ROLE_FOR[step.who];
    if (named) roles.add(named);
    if (step.owner !== 'teacher') roles.add(step.owner);
    if (EXTERNAL_RECIPIENTS.has(step.who) && step.needsApprovalBy) roles.add('DSL');
    for (const role of roles) {
      for (const member of holders(role)) {
        const entry = byPerson.get(member.aadObjectId) ?? { member, stepIds: new Set<string>() };
        entry.stepIds.add(step.id);
        byPerson.set(member.aadObjectId, entry);
      }
    }
  }
  // The DSL hears about every concern, even one whose plan names no DSL step; deputies too when
  // something waits for approval, since either may decide.
  const needsApproval = plan.steps.filter((s) => s.needsApprovalBy).map((s) => s.id);
  for (const member of [...holders('DSL'), ...(needsApproval.length ? profile.staff.filter((s) => s.roles.includes('deputyDSL')) : [])]) {
    if (!byPerson.has(member.aadObjectId)) byPerson.set(member.aadObjectId, { member, stepIds: new Set(needsApproval) });
  }
  byPerson.delete(raisedBy.aadObjectId);
  return [...byPerson.values()].map(({ member, stepIds }, i) => ({
    id: `${caseId}.s${i}`,
    caseId,
    channel: 'teams' as const,
    to: { aadObjectId: member.aadObjectId, name: member.name, roles: member.roles },
    view: member.roles.some((r) => LEAD_ROLES.has(r)) ? ('lead' as const) : ('staff' as const),
    kind: plan.steps.some((s) => s.needsApprovalBy) && (member.roles.some((r) => APPROVER_ROLES.has(r)) || (member.roles.includes('headteacher') && plan.steps.some((s) => s.duty && s.needsApprovalBy))) ? ('approval' as const) : ('case' as const),
    stepIds: [...stepIds],
    status: 'pending' as const,
  }));
}

/** Steps that leave the school become emails that wait for the DSL's approval (or go when none is needed). */
export function externalNotifications(caseId: string, plan: RoutingPlan): ExternalNotification[] {
  return plan.steps
    .filter((s) => EXTERNAL_RECIPIENTS.has(s.who))
    .map((s, i) => ({
      id: `${caseId}.e${i}`,
      caseId,
      channel: 'email' as const,
      to: { recipient: s.who, name: s.contact?.name ?? s.who, ...(s.contact?.email ? { email: s.contact.email } : {}) },
      stepIds: [s.id],
      status: s.needsApprovalBy ? ('awaitingApproval' as const) : ('pending' as const),
    }));
}


/** A notification with its delivery state replaced (keeps the channel's own type). */
export function withDelivery(n: Notification, delivery: DeliveryState): Notification {
  return n.channel === 'teams' ? { ...n, delivery } : { ...n, delivery };
}
