import { z } from 'zod';
import { CaseAnswers, CaseType } from './cases';
import { IsoDate } from './dates';
import { Role } from './roles';
import { EXTERNAL_RECIPIENTS, Recipient, RoutingPlan } from './routing/step';
import { SchoolProfile, StaffMember } from './schoolProfile';

/** Who the concern is about: a child on the register, or one the DSL must identify. */
export const caseSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('onRegister'), pupilId: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('notOnRegister'), description: z.string().trim().min(1).max(200) }),
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
}

export type AuditAction = 'raised' | 'routed' | 'notified' | 'notificationPending' | 'delivered' | 'deliveryFailed' | 'viewed';

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

export type NotificationStatus = 'pending' | 'awaitingApproval' | 'delivered' | 'failed';

export interface StaffNotification {
  id: string;
  caseId: string;
  channel: 'teams';
  to: { aadObjectId: string; name: string; roles: Role[] };
  /** The lead view for the DSL, deputies, DT and headteacher; the staff view for anyone else. */
  view: 'lead' | 'staff';
  stepIds: string[];
  status: NotificationStatus;
}

export interface ExternalNotification {
  id: string;
  caseId: string;
  channel: 'email';
  to: { recipient: Recipient; name: string; email?: string };
  stepIds: string[];
  status: NotificationStatus;
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
  const holders = (role: Role) => {
    const found = profile.staff.filter((s) => s.roles.includes(role));
    return found.length > 0 ? found : profile.staff.filter((s) => s.roles.includes('DSL'));
  };
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
  // The DSL hears about every concern, even one whose plan names no DSL step.
  for (const member of holders('DSL')) if (!byPerson.has(member.aadObjectId)) byPerson.set(member.aadObjectId, { member, stepIds: new Set() });
  byPerson.delete(raisedBy.aadObjectId);
  return [...byPerson.values()].map(({ member, stepIds }, i) => ({
    id: `${caseId}.s${i}`,
    caseId,
    channel: 'teams' as const,
    to: { aadObjectId: member.aadObjectId, name: member.name, roles: member.roles },
    view: member.roles.some((r) => LEAD_ROLES.has(r)) ? ('lead' as const) : ('staff' as const),
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

