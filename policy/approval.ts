import { Actor, ApprovalDecision, CaseRecord, ExternalNotification } from './caseRecord';
import { canApprove, Role } from './roles';

export type DecisionRequest =
  | { verb: 'approve'; note?: string }
  | { verb: 'amend'; reason?: string; send: string[]; note?: string }
  | { verb: 'decline'; reason?: string };

export type DecisionOutcome =
  | { ok: true; decision: ApprovalDecision }
  | { ok: false; problem: 'notApprover' | 'nothingToApprove' | 'reasonRequired' | 'unknownStep' }
  | { ok: false; problem: 'alreadyDecided'; decision: ApprovalDecision };

/** At least a few words: "KCSIE: decisions and the reasons for them are recorded". */
const MIN_REASON = 5;

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
  if (!canApprove(roles)) return { ok: false, problem: 'notApprover' };
  if (record.approval.decision) return { ok: false, problem: 'alreadyDecided', decision: record.approval.decision };
  if (!record.approval.required || awaiting.length === 0) return { ok: false, problem: 'nothingToApprove' };
  const at = now.toISOString();
  const ids = awaiting.map((n) => n.id);
  switch (request.verb) {
    case 'approve':
      return { ok: true, decision: { outcome: 'approved', by: actor, at, sendNotificationIds: ids, ...(request.note ? { note: request.note } : {}) } };
    case 'amend': {
      const reason = request.reason?.trim() ?? '';
      if (reason.length < MIN_REASON) return { ok: false, problem: 'reasonRequired' };
      if (request.send.some((id) => !ids.includes(id))) return { ok: false, problem: 'unknownStep' };
      return { ok: true, decision: { outcome: 'amended', by: actor, at, reason, sendNotificationIds: [...new Set(request.send)], ...(request.note ? { note: request.note } : {}) } };
    }
    case 'decline': {
      const reason = request.reason?.trim() ?? '';
      if (reason.length < MIN_REASON) return { ok: false, problem: 'reasonRequired' };
      return { ok: true, decision: { outcome: 'declined', by: actor, at, reason, sendNotificationIds: [] } };
    }
  }
}
