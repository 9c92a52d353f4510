import { TrackedAction } from './actions';
import { Actor } from './caseRecord';
import { Role } from './roles';
import { SchoolProfile } from './schoolProfile';
import { ownerLabel, ownersOfStep } from './stepOwners';

export type ActionOutcome = NonNullable<TrackedAction['outcome']>;

/** How each way of closing an action reads in the dashboard, the chronology and its PDF. */
export const OUTCOME_LABEL: Record<ActionOutcome, string> = {
  done: 'Done',
  followUp: 'Done, and more is needed',
  notNeeded: 'Not needed after all',
};

/** Closing an action as anything but plainly done needs a word of why (KCSIE: decisions and their reasons are recorded). */
export function outcomeNeedsNote(outcome: ActionOutcome): boolean {
  return outcome !== 'done';
}

type Owned = Pick<TrackedAction, 'owner' | 'assigneeId' | 'assigneeName'>;

/**
 * Who does a tracked action, in the one wording every card and the dashboard use: the person it was
 * given to, else the holders of its owning role as the teacher's confirmation names them
 * (policy/stepOwners.ts), so a reminder card and the dashboard never name different people.
 */
export function actionOwnerLabel(profile: Pick<SchoolProfile, 'staff'>, action: Owned, raisedBy: Actor): string {
  if (action.assigneeId && action.assigneeName) return action.assigneeName;
  return ownerLabel(profile, action.owner, raisedBy);
}

/** The people who own an action now: whoever it was given to, else its role's holders (whoever raised it for "any staff" steps). */
export function actionOwners(profile: Pick<SchoolProfile, 'staff'>, action: Owned, raisedBy: Actor): string[] {
  if (action.assigneeId) return [action.assigneeId];
  return ownersOfStep(profile, action.owner, raisedBy).map((o) => o.aadObjectId);
}

/** Every child's actions: the DSL, deputies and headteacher lead for the whole cohort (policy/tabAccess.ts). */
const WHOLE_COHORT: ReadonlySet<Role> = new Set(['DSL', 'deputyDSL', 'headteacher']);

/**
 * Who may close an action or give it to someone else: its owner (an owner away can hand it on); the
 * DSL, deputies and headteacher; the Designated Teacher for children in care and previously in care
 * (theirs by statute), and for steps the DT owns. A class teacher may close only what is theirs.
 */
export function mayChangeAction(
  person: { aadObjectId: string; roles: readonly Role[] },
  action: Owned,
  context: { profile: Pick<SchoolProfile, 'staff'>; raisedBy: Actor; careExperienced: boolean },
): boolean {
  if (person.roles.some((r) => WHOLE_COHORT.has(r))) return true;
  if (person.roles.includes('DT') && (context.careExperienced || action.owner === 'DT')) return true;
  return actionOwners(context.profile, action, context.raisedBy).includes(person.aadObjectId);
}

/** Who an action may be given to: the people the school's profile names in a role (not everyone on the staff team). */
export function assignableStaff(profile: Pick<SchoolProfile, 'staff'>): Array<{ aadObjectId: string; name: string; roles: Role[] }> {
  return profile.staff
    .filter((s) => s.roles.some((r) => r !== 'teacher'))
    .map((s) => ({ aadObjectId: s.aadObjectId, name: s.name, roles: s.roles.filter((r) => r !== 'teacher') }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}
