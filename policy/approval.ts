import { Actor, ApprovalDecision, CaseRecord, ExternalNotification } from './caseRecord';
import { canApprove, Role } from './roles';

export type DecisionRequest =
  | { verb: 'approve'; note?: string }
  | { verb: 'amend'; reason?: string; send: string[]; note?: string }
  | { verb: 'decline'; reason?: string };

export type DecisionOutcome =
  | { ok: true; decision: ApprovalDecision }
  | { ok: false; problem: 'notApprover' | 'nothingToApprove' | 'reasonRequired' | 'unknownStep' | 'dutiesCannotBeDeclined' }
  | { ok: false; problem: 'alreadyDecided'; decision: ApprovalDecision };

/** At least a few words: "KCSIE: decisions and the reasons for them are recorded". */
const MIN_REASON = 5;

/**
 * Notifications the law requires (a decided suspension's parents, local authority, social worker
 * and Virtual School Head, each without delay): a DSL may change their wording with a note, never
 * decline them, and the headteacher, whose duty they are, may approve them too.
 */
export function dutyNotificationIds(record: Pick<CaseRecord, 'plan'>, awaiting: readonly ExternalNotification[]): string[] {
  const duties = new Set(record.plan.steps.filter((s) => s.duty).map((s) => s.id));
  return awaiting.filter((n) => n.stepIds.some((id) => duties.has(id))).map((n) => n.id);
}

export function hasDuties(record: Pick<CaseRecord, 'plan'>): boolean {
  return record.plan.steps.some((s) => s.duty && s.needsApprovalBy);
}

/** Who may decide on this case's external steps: the DSL and deputies; the headteacher too where the law requires notifications. */
export function mayDecide(roles: readonly Role[], record: Pick<CaseRecord, 'plan'>): boolean {
  return canApprove(roles) || (roles.includes('headteacher') && hasDuties(record));
}

/**
 * The members of staff whose Teams ids a case's approval card carries, so that it refreshes with
 * the buttons for each of them: the DSL and deputies, and the headteacher where they may decide on
 * this case. Only they, and those the cards go to, need their chat references read for its cards.
 */
export function approversOf<S extends { roles: readonly Role[] }>(staff: readonly S[], record?: Pick<CaseRecord, 'plan'>): S[] {
  return staff.filter((s) => (record === undefined ? canApprove(s.roles) : mayDecide(s.roles, record)));
}

/**
 * A DSL's decision on the steps of a case that leave the school. Pure: who may decide, what a
 * decision must carry, and what it means for each external notification.
 */
export function decide(
  record: CaseRecord,
  awaiting: readonly ExternalNotification[],
  request: DecisionRequest,
  actor: Actor,
  roles: readonly Role[],
  now: Date,
): DecisionOutcome {
  if (!mayDecide(roles, record)) return { ok: false, problem: 'notApprover' };
  if (record.approval.decision) return { ok: false, problem: 'alreadyDecided', decision: record.approval.decision };
  if (!record.approval.required || awaiting.length === 0) return { ok: false, problem: 'nothingToApprove' };
  const at = now.toISOString();
  const ids = awaiting.map((n) => n.id);
  const duties = dutyNotificationIds(record, awaiting);
  switch (request.verb) {
    case 'approve':
      return { ok: true, decision: { outcome: 'approved', by: actor, at, sendNotificationIds: ids, ...(request.note ? { note: request.note } : {}) } };
    case 'amend': {
      const reason = request.reason?.trim() ?? '';
      if (reason.length < MIN_REASON) return { ok: false, problem: 'reasonRequired' };
      if (request.send.some((id) => !ids.includes(id))) return { ok: false, problem: 'unknownStep' };
      // A duty unticked is sent all the same: the law requires it.
      return { ok: true, decision: { outcome: 'amended', by: actor, at, reason, sendNotificationIds: [...new Set([...request.send, ...duties])], ...(request.note ? { note: request.note } : {}) } };
    }
    case 'decline': {
      const reason = request.reason?.trim() ?? '';
      if (reason.length < MIN_REASON) return { ok: false, problem: 'reasonRequired' };
      if (duties.length === ids.length) return { ok: false, problem: 'dutiesCannotBeDeclined' };
      // Declining withholds what the school may choose to send; the notifications the law requires still go.
      return { ok: true, decision: { outcome: 'declined', by: actor, at, reason, sendNotificationIds: duties } };
    }
  }
}
