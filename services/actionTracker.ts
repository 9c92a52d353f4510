import { AdaptiveCard } from '../cards/adaptiveCard';
import { deadlineCard } from '../cards/deadlineCard';
import { TrackedAction } from '../policy/actions';
import { Actor } from '../policy/caseRecord';
import { formatDate, IsoDate } from '../policy/dates';
import { ROLE_LABEL } from '../policy/roles';
import { RECIPIENT_LABEL } from '../policy/routing/step';
import { CaseRepository } from '../storage/caseRepository';
import { statusOf } from '../storage/tableStore';
import { Membership } from './schoolDirectory';

const LEADS = new Set(['DSL', 'deputyDSL', 'DT', 'headteacher']);

/**
 * Who owns a step, as a deadline card says it. The card can reach any member of staff (a refused
 * "Mark done" answers with it), and the DT's full title ("for looked-after and previously
 * looked-after children") would tell a class teacher why the child is in the cohort.
 */
function ownerLabel(owner: TrackedAction['owner']): string {
  if (owner === 'teacher') return 'A member of staff';
  if (owner === 'DT') return RECIPIENT_LABEL.DT;
  return ROLE_LABEL[owner];
}

export function actionCard(a: TrackedAction, state: 'dueTomorrow' | 'dueToday' | 'overdue' | 'done'): AdaptiveCard {
  return deadlineCard({
    caseId: a.caseId,
    stepId: a.stepId,
    ref: a.ref,
    label: a.label,
    ownerLabel: ownerLabel(a.owner),
    deadline: formatDate(a.deadline as IsoDate),
    state,
    statutory: a.statutory,
    ...(a.doneByName ? { doneBy: a.doneByName } : {}),
  });
}

/** Marking a tracked action done: its owner, or a lead (DSL, deputy, DT, headteacher). */
export class ActionTracker {
  constructor(private readonly deps: { cases: CaseRepository; clock: () => Date }) {}

  async complete(membership: Membership, actor: Actor, caseId: string, stepId: string): Promise<AdaptiveCard | undefined> {
    const { cases } = this.deps;
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await cases.getAction(membership.school.id, caseId, stepId);
      if (!found) return undefined;
      const { action, etag } = found;
      if (action.status !== 'open') return actionCard(action, 'done');
      const allowed = membership.roles.includes(action.owner) || membership.roles.some((r) => LEADS.has(r));
      if (!allowed) return actionCard(action, 'dueToday');
      try {
        await cases.completeAction(membership.school.id, action, etag, actor.name, {
          caseId,
          seq: await cases.nextAuditSeq(membership.school.id, caseId),
          at: this.deps.clock().toISOString(),
          actor,
          action: 'actionDone',
          detail: { step: stepId },
        });
        return actionCard({ ...action, status: 'done', doneByName: actor.name }, 'done');
      } catch (err) {
        const status = statusOf(err);
        if (status !== 412 && status !== 409) throw err;
      }
    }
    throw new Error(`could not mark ${caseId}/${stepId} done after 5 tries`);
  }
}
