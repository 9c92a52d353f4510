import { hasDuties } from '../policy/approval';
import { SchoolCalendar } from '../policy/calendar';
import { StaffNotification } from '../policy/caseRecord';
import { windowEnd } from '../policy/schoolHours';
import { SchoolProfile, StaffMember } from '../policy/schoolProfile';
import { statusOf } from '../storage/tableStore';
import { CaseJobDeps } from './jobDeps';

/**
 * An approval not acted on within the school's window is sent to the DSL again; if still waiting
 * after another window, it goes to the deputy DSL (with the buttons) and the headteacher (to know,
 * or with the buttons where the law requires the notifications: then after the first window).
 * Each move is one transaction on the approval's index row, so with several instances running
 * exactly one of them acts.
 */
export class ApprovalReminders {
  constructor(
    private readonly deps: CaseJobDeps,
  ) {}

  async runOnce(): Promise<number> {
    let acted = 0;
    for (const school of await this.deps.schools()) {
      for (const pending of await this.deps.cases.pendingApprovals(school.id)) {
        if (pending.stage >= 2 || Date.parse(pending.dueAt) > this.deps.clock().getTime()) continue;
        if (await this.advance(school, pending)) acted++;
      }
    }
    if (acted > 0) this.deps.outbox.kick();
    return acted;
  }

  private async advance(school: SchoolProfile, pending: { caseId: string; stage: number; etag: string }): Promise<boolean> {
    const { cases, logger } = this.deps;
    const record = await cases.get(school.id, pending.caseId);
    if (!record || record.approval.decision) return false;
    const now = this.deps.clock();
    // Notifications the law requires are the headteacher's duty: not approved within the window, they
    // go to the headteacher (who may approve them) at once, not after a second window.
    const escalate = pending.stage === 1 || hasDuties(record);
    const nextStage = escalate ? 2 : pending.stage + 1;
    const to = escalate
      ? school.staff.filter((s) => s.roles.includes('deputyDSL') || s.roles.includes('headteacher'))
      : school.staff.filter((s) => s.roles.includes('DSL'));
    const stamp = now.getTime().toString(36);
    const notifications: StaffNotification[] = to.map((member: StaffMember, i) => ({
      id: `${record.id}.r${pending.stage}${stamp}${i}`,
      caseId: record.id,
      channel: 'teams',
      to: { aadObjectId: member.aadObjectId, name: member.name, roles: member.roles },
      view: 'lead',
      kind: 'approval',
      reminder: escalate ? 'escalation' : 'reminder',
      stepIds: record.plan.steps.filter((s) => s.needsApprovalBy).map((s) => s.id),
      status: 'pending',
    }));
    const window = school.approvalWindows[record.caseType];
    const nextDue = windowEnd(now, window, new SchoolCalendar(school.calendar), school.schoolDay).toISOString();
    for (let attempt = 0; attempt < 5; attempt++) {
      const seq = await cases.nextAuditSeq(school.id, record.id);
      try {
        await cases.remind(school.id, record.id, pending.etag, nextStage, nextDue, notifications, {
          caseId: record.id,
          seq,
          at: now.toISOString(),
          actor: { system: true },
          action: escalate ? 'escalated' : 'reminded',
          detail: { to: to.map((m) => m.roles.filter((r) => r !== 'teacher').join('+')).join(','), recipients: to.length, stage: nextStage },
        });
        logger.info({ event: escalate ? 'approvalEscalated' : 'approvalReminded', school: school.id, caseId: record.id, recipients: to.length }, 'approval not yet decided');
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return false; // another instance moved it on
        if (status !== 409) throw err; // 409: the audit sequence was taken; try the next one
      }
    }
    return false;
  }
}
