import { caseSummaryRows } from '../cards/caseSummary';
import { caseNotificationCard } from '../cards/planCards';
import { pupilLabel } from '../dialogs/questions/pupilQuestion';
import { cardReply } from '../dialogs/form/replies';
import { CaseRecord, StaffNotification } from '../policy/caseRecord';
import { formatLondonDateTime } from '../policy/dates';
import { RoutingPlan } from '../policy/routing/step';
import { leadView, staffView } from '../policy/views';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { statusOf } from '../storage/tableStore';
import { errorSummary } from './errors';
import { Logger } from './logger';
import { ProactiveSender } from './proactive';
import { PupilDirectory } from './pupilDirectory';
import { SchoolDirectory } from './schoolDirectory';

const TITLES: Record<CaseRecord['caseType'], string> = { attendance: 'Attendance concern', suspension: 'Worry about a suspension', admission: 'Child joining us' };

/**
 * Delivers a case's internal cards to the role holders who have the app installed. Someone who
 * has not installed it keeps a pending notification (the digest lists it) and a log line says so.
 */
export class StaffNotifier {
  constructor(
    private readonly deps: {
      cases: CaseRepository;
      directory: SchoolDirectory;
      pupils: PupilDirectory;
      conversationRefs: ConversationRefRepository;
      sender: ProactiveSender;
      logger: Logger;
      clock: () => Date;
    },
  ) {}

  async deliverPending(schoolId: string, caseId: string): Promise<void> {
    const { cases, logger } = this.deps;
    const record = await cases.get(schoolId, caseId);
    if (!record) return;
    const profile = await this.deps.directory.school(schoolId);
    const pupil = record.subject.kind === 'onRegister' ? await this.deps.pupils.get(schoolId, record.subject.pupilId) : undefined;
    const subject = pupil ? pupilLabel(pupil) : record.subject.kind === 'notOnRegister' ? `${record.subject.description} (not on the register)` : 'A child no longer on the register';
    const pending = (await cases.notifications(schoolId, caseId)).filter((n): n is StaffNotification & { etag: string } => n.channel === 'teams' && n.status === 'pending');
    const awaiting = record.plan.steps.filter((s) => s.needsApprovalBy).length;

    for (const n of pending) {
      const ref = await this.deps.conversationRefs.findPersonal(profile.tenantId, n.to.aadObjectId);
      if (!ref) {
        logger.info({ event: 'recipientNotInstalled', school: schoolId, caseId, notification: n.id, roles: n.to.roles }, 'role holder has not installed the app; notification stays pending');
        continue;
      }
      const card = caseNotificationCard({
        ref: record.ref,
        title: TITLES[record.caseType],
        subject,
        raisedBy: record.raisedBy.name,
        raisedAt: formatLondonDateTime(new Date(record.raisedAt)),
        summary: caseSummaryRows(record.answers),
        view: n.view === 'lead' ? leadView(record.plan) : staffView(onlySteps(record.plan, n.stepIds)),
        externalAwaitingApproval: n.view === 'lead' ? awaiting : 0,
      });
      try {
        await this.deps.sender.send(ref, cardReply(card));
      } catch (err) {
        logger.warn({ event: 'deliveryFailed', school: schoolId, caseId, notification: n.id, err: errorSummary(err) }, 'could not deliver a staff notification; it stays pending');
        continue;
      }
      await this.settle(schoolId, n);
    }
  }

  /** Records the delivery; a concurrent sender that got there first wins (ETag), and a clash on the audit sequence is retried. */
  private async settle(schoolId: string, n: StaffNotification & { etag: string }): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const seq = await this.deps.cases.nextAuditSeq(schoolId, n.caseId);
      try {
        await this.deps.cases.settleNotification(schoolId, n, 'delivered', {
          caseId: n.caseId,
          seq,
          at: this.deps.clock().toISOString(),
          actor: { system: true },
          action: 'notified',
          detail: { notification: n.id, to: n.to.aadObjectId, via: 'teams', view: n.view },
        });
        return;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return;
        if (status !== 409) throw err;
      }
    }
  }
}

function onlySteps(plan: RoutingPlan, ids: readonly string[]): RoutingPlan {
  const wanted = new Set(ids);
  return { ...plan, steps: plan.steps.filter((s) => wanted.has(s.id)) };
}
