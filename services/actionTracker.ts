import { AdaptiveCard } from '../cards/adaptiveCard';
import { deadlineCard } from '../cards/deadlineCard';
import { TrackedAction } from '../policy/actions';
import { ActionOutcome, actionOwnerLabel, actionOwners, assignableStaff, mayChangeAction } from '../policy/actionOwnership';
import { Actor, AuditEntry, CaseRecord } from '../policy/caseRecord';
import { formatDate, IsoDate, londonDate } from '../policy/dates';
import { newStarterLabel } from '../policy/newStarter';
import { cohortFlags, Pupil } from '../policy/pupil';
import { SchoolProfile } from '../policy/schoolProfile';
import { CaseRepository } from '../storage/caseRepository';
import { statusOf } from '../storage/tableStore';
import { Membership } from './schoolDirectory';

/**
 * A tracked action's card. `owner` is who does it in the words the dashboard uses too
 * (policy/actionOwnership.ts); the card can reach any member of staff (a refused "Mark done"
 * answers with it), so it names people and short role names only, never why the child qualifies.
 */
export function actionCard(a: TrackedAction, state: 'dueTomorrow' | 'dueToday' | 'overdue' | 'done', owner: string): AdaptiveCard {
  return deadlineCard({
    caseId: a.caseId,
    stepId: a.stepId,
    ref: a.ref,
    label: a.label,
    ownerLabel: owner,
    deadline: formatDate(a.deadline as IsoDate),
    state,
    statutory: a.statutory,
    ...(a.doneByName ? { doneBy: a.doneByName } : {}),
  });
}

/** The card for an action of a case, its owner named as everywhere else. */
export function actionCardFor(profile: Pick<SchoolProfile, 'staff'>, record: Pick<CaseRecord, 'raisedBy'>, a: TrackedAction, state: Parameters<typeof actionCard>[1]): AdaptiveCard {
  return actionCard(a, state, actionOwnerLabel(profile, a, record.raisedBy));
}

/** What a person does to an open action: close it (with how it ended, and a note), or give it to someone else. */
export type ActionChange = { kind: 'close'; outcome: ActionOutcome; note?: string } | { kind: 'reassign'; to: string };

export type ActionChangeResult =
  | { result: 'changed'; action: TrackedAction; record: CaseRecord }
  /** Given to the person who owns it already: nothing written. */
  | { result: 'unchanged'; action: TrackedAction; record: CaseRecord }
  | { result: 'alreadyClosed'; action: TrackedAction; record: CaseRecord }
  | { result: 'refused'; action: TrackedAction; record: CaseRecord }
  /** Given to someone the school's profile names in no role. */
  | { result: 'notAssignable'; action: TrackedAction; record: CaseRecord }
  | { result: 'notFound' };

/** How the tracker finds a child's statuses (the DT may change the actions of children in care and previously in care). */
export interface PupilLookup {
  get(schoolId: string, pupilId: string): Promise<Pupil | undefined>;
}

/** The child an action is about, as far as who may see and change it goes. */
export interface ActionChild {
  /** On the register; null for a new starter not on it yet. */
  pupil: Pupil | null;
  /** The register's statuses, or a new starter's as reported when the admission was raised. */
  statuses: Pupil['statuses'];
  /** A new starter not on the register yet, in words. */
  label?: string;
}

/**
 * Whose action it is: the child on the register (the action's own pupil, or the case's once a new
 * starter is matched), or a new starter as reported. Undefined for a child no longer on the register.
 */
export async function actionChild(pupils: PupilLookup | undefined, schoolId: string, action: Pick<TrackedAction, 'pupilId'>, record: Pick<CaseRecord, 'subject'>): Promise<ActionChild | undefined> {
  const pupilId = action.pupilId ?? (record.subject.kind === 'onRegister' ? record.subject.pupilId : undefined);
  if (pupilId) {
    const pupil = pupils ? await pupils.get(schoolId, pupilId) : undefined;
    return pupil ? { pupil, statuses: pupil.statuses } : undefined;
  }
  if (record.subject.kind === 'newStarter') return { pupil: null, statuses: record.subject.statuses, label: newStarterLabel(record.subject) };
  return { pupil: null, statuses: [] };
}

/**
 * Closing and handing on tracked actions, for the bot's "Mark done" and the dashboard alike, so
 * both apply one rule (policy/actionOwnership.ts), write one audit entry with the change (the
 * action row and its entry in one transaction) and never overwrite a change they did not read
 * (the action row's ETag).
 */
export class ActionTracker {
  constructor(private readonly deps: { cases: CaseRepository; clock: () => Date; pupils?: PupilLookup }) {}

  /** The bot's "Mark done": the card to answer with (done, or as it was for someone who may not), undefined for no such action. */
  async complete(membership: Membership, actor: Actor, caseId: string, stepId: string): Promise<AdaptiveCard | undefined> {
    const out = await this.change(membership, actor, caseId, stepId, { kind: 'close', outcome: 'done' });
    if (out.result === 'notFound') return undefined;
    const open = out.action.status === 'open';
    return actionCardFor(membership.school, out.record, out.action, open ? 'dueToday' : 'done');
  }

  /** Whether this member of staff may close or hand on the action (the same rule the dashboard shows its buttons by). */
  async mayChange(membership: Membership, action: TrackedAction, record: Pick<CaseRecord, 'raisedBy' | 'subject'>): Promise<boolean> {
    const child = await actionChild(this.deps.pupils, membership.school.id, action, record);
    return mayChangeAction({ aadObjectId: membership.member.aadObjectId, roles: membership.roles }, action, {
      profile: membership.school,
      raisedBy: record.raisedBy,
      careExperienced: child ? cohortFlags(child, londonDate(this.deps.clock())).careExperienced : false,
    });
  }

  async change(membership: Membership, actor: Actor, caseId: string, stepId: string, change: ActionChange): Promise<ActionChangeResult> {
    const { cases } = this.deps;
    const schoolId = membership.school.id;
    const record = await cases.get(schoolId, caseId);
    if (!record) return { result: 'notFound' };
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await cases.getAction(schoolId, caseId, stepId);
      if (!found) return { result: 'notFound' };
      const { action, etag } = found;
      if (action.status !== 'open') return { result: 'alreadyClosed', action, record };
      if (!(await this.mayChange(membership, action, record))) return { result: 'refused', action, record };
      const at = this.deps.clock().toISOString();
      const entry = async (what: AuditEntry['action'], detail: AuditEntry['detail']): Promise<AuditEntry> => ({
        caseId,
        seq: await cases.nextAuditSeq(schoolId, caseId),
        at,
        actor,
        action: what,
        detail: { step: stepId, ...detail },
      });
      try {
        if (change.kind === 'close') {
          const closed: TrackedAction = { ...action, outcome: change.outcome, ...(change.note ? { doneNote: change.note } : {}) };
          // The note stays on the action row, for the lead roles' chronology: an audit entry holds ids and words of ours only.
          await cases.completeAction(schoolId, closed, etag, actor.name, await entry('actionDone', { outcome: change.outcome, withNote: Boolean(change.note) }));
          return { result: 'changed', action: { ...closed, status: 'done', closedBy: 'person', doneByName: actor.name, doneAt: at }, record };
        }
        const to = assignableStaff(membership.school).find((s) => s.aadObjectId === change.to);
        if (!to) return { result: 'notAssignable', action, record };
        const owners = actionOwners(membership.school, action, record.raisedBy);
        if (owners.length === 1 && owners[0] === to.aadObjectId) return { result: 'unchanged', action, record };
        const from = actionOwnerLabel(membership.school, action, record.raisedBy);
        // Reminders start again for the new owner (they were not the one reminded); an overdue action stays with the DSL told.
        const given: TrackedAction = { ...action, assigneeId: to.aadObjectId, assigneeName: to.name, stage: action.stage >= 3 ? 3 : 0 };
        await cases.updateAction(schoolId, given, etag, await entry('actionReassigned', { to: to.aadObjectId, toName: to.name, from }));
        return { result: 'changed', action: given, record };
      } catch (err) {
        const status = statusOf(err);
        if (status !== 412 && status !== 409) throw err;
      }
    }
    throw new Error(`could not change ${caseId}/${stepId} after 5 tries`);
  }
}
