import { AdaptiveCard } from '../cards/adaptiveCard';
import { approvalRefusedCard } from '../cards/approvalCard';
import { cardReply } from '../cards/cardReply';
import { decide, mayDecide, DecisionRequest } from '../policy/approval';
import { Actor, AuditEntry, CaseRecord, ExternalNotification } from '../policy/caseRecord';
import { formatLondonDateTime } from '../policy/dates';
import { viewFor } from '../policy/roles';
import { AuditSequenceTakenError, CaseRepository, DecisionConflictError } from '../storage/caseRepository';
import { conversationRefSchema } from '../storage/conversationRefRepository';
import { BackgroundWork } from './backgroundWork';
import { errorSummary } from '../telemetry/errors';
import { backoffMs, OutboxSender } from '../delivery/outboxSender';
import { Logger } from '../telemetry/logger';
import { ProactiveSender } from '../delivery/proactive';
import { Membership } from './schoolDirectory';
import { StaffCards } from './staffCards';

/** Tries at a decision before the DSL is told it could not be recorded (each after a pause: see pauseBeforeTry). */
const DECISION_TRIES = 8;
/** 25–50 ms before the second try, doubling to 200–400 ms from the fifth. */
const DECISION_BACKOFF = { baseMs: 50, maxMs: 400 };

const OUTCOME_WORD = { approved: 'approved', amended: 'amended', declined: 'declined' } as const;

/** The one line the decider reads in their chat after pressing a button: the outcome, and what leaves the school. */
export function decisionLine(ref: string, outcome: keyof typeof OUTCOME_WORD, sent: number, withheld: number): string {
  const word = outcome === 'approved' ? 'Approved' : outcome === 'amended' ? 'Amended' : 'Declined';
  const going = sent === 0 ? 'nothing goes outside school' : `${sent} message${sent === 1 ? '' : 's'} going outside school now`;
  return `${word} ${ref}: ${going}${withheld > 0 ? `, ${withheld} not sent` : ''}.`;
}
const ONLY_APPROVERS = 'Only the Designated Safeguarding Lead (DSL) or a deputy can decide this. Nothing has changed.';
const FOR_LEADS = 'This case is for the Designated Safeguarding Lead (DSL) and the leads to read. Nothing has changed.';

/** The approval card shows status and reasons: only the leads may read it (need to know). */
const mayReadCase = (membership: Membership) => viewFor(membership.roles) === 'lead';

/**
 * The DSL's decision on a case's external steps. Answers the invoke quickly with the updated card;
 * the sending (outbox) and the update of other approvers' copies happen after the answer.
 * Exactly one decision per case: the case row's ETag makes a second, concurrent one fail, and its
 * author is told who decided.
 */
export class ApprovalService {
  constructor(
    private readonly deps: {
      cases: CaseRepository;
      cards: StaffCards;
      sender: ProactiveSender;
      outbox: OutboxSender;
      background: BackgroundWork;
      logger: Logger;
      clock: () => Date;
    },
  ) {}

  /** The card as the caller should see it now (Universal Actions refresh). */
  async view(membership: Membership, caseId: string): Promise<AdaptiveCard | undefined> {
    const record = await this.deps.cases.get(membership.school.id, caseId);
    if (!record) return undefined;
    if (!mayReadCase(membership)) return approvalRefusedCard(record.ref, FOR_LEADS);
    return this.deps.cards.approval(record, membership.school, { forApprover: mayDecide(membership.roles, record) });
  }

  /** `said` hears one line for the decider's chat when this call made the decision (not when it was already made). */
  async decide(membership: Membership, actor: Actor, caseId: string, request: DecisionRequest, said?: (line: string) => void): Promise<AdaptiveCard | undefined> {
    const { cases, cards, logger } = this.deps;
    const school = membership.school;
    for (let attempt = 0; attempt < DECISION_TRIES; attempt++) {
      if (attempt > 0) await this.pauseBeforeTry(attempt);
      // The case is looked up in the caller's own school's partition: another school's case is simply not found.
      // Read together, not one after another: the DSL is waiting on the card. The audit sequence is
      // only needed if this becomes a decision; it costs one listing of keys.
      const [loaded, notifications, seq] = await Promise.all([cases.getWithEtag(school.id, caseId), cases.notifications(school.id, caseId), cases.nextAuditSeq(school.id, caseId)]);
      if (!loaded) return undefined;
      const { record, etag } = loaded;
      const awaiting = notifications.filter((n): n is ExternalNotification & { etag: string } => n.channel === 'email' && n.status === 'awaitingApproval');
      const outcome = decide(record, awaiting, request, actor, membership.roles, this.deps.clock());

      // Read between another approver's decision and its notifications: look again.
      if (!outcome.ok && outcome.problem === 'nothingToApprove' && record.approval.required && attempt < 4) continue;
      if (!outcome.ok) {
        switch (outcome.problem) {
          case 'notApprover':
            logger.warn({ event: 'approvalRefused', school: school.id, caseId }, 'a non-approver pressed an approval button');
            if (!mayReadCase(membership)) return approvalRefusedCard(record.ref, ONLY_APPROVERS);
            return cards.approval(record, school, { forApprover: false, notifications, banner: ONLY_APPROVERS });
          case 'alreadyDecided': {
            const d = outcome.decision;
            return cards.approval(record, school, { forApprover: false, notifications, banner: `Already ${OUTCOME_WORD[d.outcome]} by ${d.by.name} at ${formatLondonDateTime(new Date(d.at))}.` });
          }
          case 'reasonRequired':
            return cards.approval(record, school, { forApprover: true, notifications, error: 'Please give a reason (a few words at least): decisions and their reasons are recorded.' });
          case 'unknownStep':
            return cards.approval(record, school, { forApprover: true, notifications, error: 'That choice no longer matches this case. Please choose again.' });
          case 'nothingToApprove':
            return cards.approval(record, school, { forApprover: false, notifications, banner: 'Nothing in this case is waiting for approval.' });
          case 'dutiesCannotBeDeclined':
            return cards.approval(record, school, {
              forApprover: true,
              notifications,
              error: 'These notifications are required by law once a suspension is decided, so they cannot be declined. To change what they say, choose Amend and add a note.',
            });
        }
      }

      const decision = outcome.decision;
      const decided: CaseRecord = { ...record, approval: { ...record.approval, decision } };
      const release = awaiting.filter((n) => decision.sendNotificationIds.includes(n.id)).map(({ etag: _e, ...n }) => n);
      const withhold = awaiting.filter((n) => !decision.sendNotificationIds.includes(n.id)).map(({ etag: _e, ...n }) => n);
      const entry: AuditEntry = {
        caseId,
        seq,
        at: decision.at,
        actor,
        action: decision.outcome,
        detail: { send: release.length, withheld: withhold.length, ...(decision.reason ? { reason: decision.reason } : {}), ...(decision.note ? { noteForEmails: true } : {}) },
      };
      const withheldSteps = new Set(withhold.flatMap((n) => n.stepIds));
      const notNeeded = withheldSteps.size ? (await cases.actions(school.id, caseId)).filter((a) => a.status === 'open' && withheldSteps.has(a.stepId)) : [];
      // The answering card shows the notifications as the decision writes them, so it is built
      // (the pupil and the approvers' chats are read for it) while the decision is written, not
      // after; it is used only if the write succeeds.
      const released = new Set(release.map((n) => n.id));
      const now = notifications.map(({ etag: _e, ...n }) => (n.channel === 'email' && n.status === 'awaitingApproval' ? { ...n, status: released.has(n.id) ? ('pending' as const) : ('notSent' as const) } : n));
      const card = cards.approval(decided, school, { forApprover: false, notifications: now });
      card.catch(() => undefined); // awaited below on success; on a conflict it is not needed
      try {
        await cases.recordDecision(decided, etag, entry, release, withhold, notNeeded);
      } catch (err) {
        if (err instanceof DecisionConflictError || err instanceof AuditSequenceTakenError) continue;
        throw err;
      }
      logger.info({ event: 'approvalDecided', school: school.id, caseId, outcome: decision.outcome, send: release.length, withheld: withhold.length }, 'approval decided');
      const answer = await card;
      this.deps.background.run('afterDecision', () => this.afterDecision(decided, answer));
      said?.(decisionLine(decided.ref, decision.outcome, release.length, withhold.length));
      return answer;
    }
    throw new Error(`could not record a decision on case ${caseId} after ${DECISION_TRIES} tries`);
  }

  /**
   * Another writer took the case's next audit number (or decided first) between the read and the
   * write. Right after a Send, the deadline job and the staff cards append a case's entries one
   * after another; trying again at once met the next of them each time, five times in a row under
   * load, and the DSL's Approve failed. A short pause, longer each time and spread at random, lets
   * them pass.
   */
  private pauseBeforeTry(attempt: number): Promise<void> {
    const ms = backoffMs(attempt, DECISION_BACKOFF, Math.random);
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  }

  /** Slow work after the invoke has been answered: send, and update every approver's copy of the card. */
  private async afterDecision(record: CaseRecord, card: AdaptiveCard): Promise<void> {
    this.deps.outbox.kick();
    for (const copy of await this.deps.cases.approvalCards(record.schoolId, record.id)) {
      const ref = conversationRefSchema.safeParse(JSON.parse(copy.conversationRef));
      if (!ref.success) continue;
      try {
        await this.deps.sender.update(ref.data, copy.activityId, cardReply(card));
      } catch (err) {
        this.deps.logger.warn({ event: 'approvalCardUpdateFailed', caseId: record.id, err: errorSummary(err) }, 'could not update an approver\'s copy of the card');
      }
    }
  }
}
