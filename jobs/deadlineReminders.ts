import { REMINDER_STAGE } from '../policy/actions';
import { SchoolCalendar } from '../policy/calendar';
import { StaffNotification } from '../policy/caseRecord';
import { londonDate, londonMinutesOfDay } from '../policy/dates';
import { Role } from '../policy/roles';
import { SchoolProfile, StaffMember } from '../policy/schoolProfile';
import { statusOf } from '../storage/tableStore';
import { CaseJobDeps } from './jobDeps';

type State = keyof typeof REMINDER_STAGE;

/**
 * Tracked actions: the owner is reminded the school day before and on the day; once overdue the
 * DSL is told. The card that announced the case counts as the reminder of the day it was sent
 * (announcedStage in policy/actions.ts). Only in school hours on school days (a reminder at 3am
 * helps nobody). Each move is one transaction on the action row (ETag), so with several instances
 * exactly one acts.
 */
export class DeadlineReminders {
  constructor(
    private readonly deps: CaseJobDeps,
  ) {}

  /** `signal`: the instance is stopping; the pass ends after the action in hand (each is its own transaction). */
  async runOnce(signal?: AbortSignal): Promise<number> {
    let acted = 0;
    for (const school of await this.deps.schools()) {
      if (signal?.aborted) break;
      acted += await this.forSchool(school, signal);
    }
    if (acted > 0) this.deps.outbox.kick();
    return acted;
  }

  private async forSchool(school: SchoolProfile, signal?: AbortSignal): Promise<number> {
    const now = this.deps.clock();
    const today = londonDate(now);
    const calendar = new SchoolCalendar(school.calendar);
    const minutes = londonMinutesOfDay(now);
    const opens = Number(school.schoolDay.start.slice(0, 2)) * 60 + Number(school.schoolDay.start.slice(3));
    if (!calendar.isSchoolDay(today) || minutes < opens) return 0;
    const tomorrow = calendar.addSchoolDays(today, 1);
    let acted = 0;
    for (const item of await this.deps.cases.openActionsDueBy(school.id, tomorrow)) {
      if (signal?.aborted) break;
      const state: State = item.deadline < today ? 'overdue' : item.deadline === today ? 'dueToday' : 'dueTomorrow';
      // Already reminded at this stage, as the index says: no need to read the action (a pass a minute).
      if (item.stage !== undefined && item.stage >= REMINDER_STAGE[state]) continue;
      if (await this.advance(school, item.caseId, item.stepId, state)) acted++;
    }
    return acted;
  }

  private async advance(school: SchoolProfile, caseId: string, stepId: string, state: State): Promise<boolean> {
    const { cases } = this.deps;
    const found = await cases.getAction(school.id, caseId, stepId);
    if (!found || found.action.status !== 'open' || found.action.stage >= REMINDER_STAGE[state]) return false;
    const { action, etag } = found;
    const record = await cases.get(school.id, caseId);
    if (!record) return false;
    const given = action.assigneeId ? school.staff.filter((s) => s.aadObjectId === action.assigneeId) : [];
    const to = state === 'overdue' ? holders(school, 'DSL') : given.length > 0 ? given : action.owner === 'teacher' ? raiser(school, record.raisedBy.aadObjectId) : holders(school, action.owner);
    const now = this.deps.clock();
    const notifications: StaffNotification[] = to.map((m, i) => ({
      id: `${caseId}.d${REMINDER_STAGE[state]}${now.getTime().toString(36)}${i}${stepId.length}`,
      caseId,
      channel: 'teams',
      to: { aadObjectId: m.aadObjectId, name: m.name, roles: m.roles },
      view: 'staff',
      kind: 'deadline',
      about: stepId,
      deadlineState: state,
      stepIds: [stepId],
      status: 'pending',
    }));
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await cases.advanceAction(school.id, action, etag, REMINDER_STAGE[state], notifications, {
          caseId,
          seq: await cases.nextAuditSeq(school.id, caseId),
          at: now.toISOString(),
          actor: { system: true },
          action: state === 'overdue' ? 'overdue' : 'deadlineReminder',
          detail: { step: stepId, deadline: action.deadline, state, recipients: to.length },
        });
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return false;
        if (status !== 409) throw err;
      }
    }
    return false;
  }
}

/** Holders of a role; the DSL when nobody holds it (someone must). */
function holders(school: SchoolProfile, role: Role): StaffMember[] {
  const found = school.staff.filter((s) => s.roles.includes(role));
  return found.length > 0 ? found : school.staff.filter((s) => s.roles.includes('DSL'));
}

/** "A trusted adult" steps belong to whoever raised the concern. */
function raiser(school: SchoolProfile, aadObjectId: string): StaffMember[] {
  const member = school.staff.find((s) => s.aadObjectId === aadObjectId);
  return member ? [member] : holders(school, 'DSL');
}
