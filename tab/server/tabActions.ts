import { z } from 'zod';
import { TrackedAction } from '../../policy/actions';
import { actionOwnerLabel, assignableStaff, mayChangeAction, OUTCOME_LABEL, outcomeNeedsNote } from '../../policy/actionOwnership';
import { SchoolCalendar } from '../../policy/calendar';
import { CaseRecord } from '../../policy/caseRecord';
import { IsoDate } from '../../policy/dates';
import { latestPep, pepStatus, PepState } from '../../policy/pep';
import { pepWords } from '../../policy/pepWords';
import { plainText } from '../../policy/plainText';
import { cohortFlags, fullName, Pupil } from '../../policy/pupil';
import { ROLE_LABEL } from '../../policy/roles';
import { mayOpenRecord } from '../../policy/tabAccess';
import { ActionChangeResult, ActionChild, actionChild, ActionTracker } from '../../services/actionTracker';
import { PupilDirectory } from '../../services/pupilDirectory';
import { RefusalLog } from '../../services/refusalLog';
import { Membership } from '../../services/schoolDirectory';
import { CaseRepository, OpenItem } from '../../storage/caseRepository';
import { Logger } from '../../telemetry/logger';
import type { TabResponse } from './tabApi';
import { TabIdentity } from './tabIdentity';

/** An open action as the dashboard lists it: who owns it in the words the cards use, and whether this viewer may change it. */
export interface ActionRow {
  caseId: string;
  stepId: string;
  ref: string;
  child: { id: string; name: string } | null;
  /** A new starter not on the register yet, in words (child is then null). */
  newStarter?: string;
  label: string;
  owner: string;
  deadline: IsoDate;
  overdue: boolean;
  statutory: boolean;
  mayChange: boolean;
}

export function actionRow(m: Membership, action: TrackedAction, record: Pick<CaseRecord, 'raisedBy'>, child: ActionChild | undefined, today: IsoDate): ActionRow {
  return {
    caseId: action.caseId,
    stepId: action.stepId,
    ref: action.ref,
    child: child?.pupil ? { id: child.pupil.id, name: fullName(child.pupil) } : null,
    ...(child?.label ? { newStarter: child.label } : {}),
    label: action.label,
    owner: actionOwnerLabel(m.school, action, record.raisedBy),
    deadline: action.deadline as IsoDate,
    overdue: action.deadline < today,
    statutory: action.statutory,
    mayChange: mayChangeAction({ aadObjectId: m.member.aadObjectId, roles: m.roles }, action, {
      profile: m.school,
      raisedBy: record.raisedBy,
      careExperienced: child ? cohortFlags(child, today).careExperienced : false,
    }),
  };
}

/** The people an action may be given to, for the "Give to" list (only when the viewer may change some action). */
export function assignablePeople(m: Membership): Array<{ aadObjectId: string; name: string; roles: string }> {
  return assignableStaff(m.school).map((p) => ({ aadObjectId: p.aadObjectId, name: p.name, roles: p.roles.map((r) => ROLE_LABEL[r]).join(', ') }));
}

const caseId = z.string().regex(/^[0-9TZ]{16}-[A-Z0-9]{6}$/);
const stepId = z.string().regex(/^[A-Za-z0-9._-]{1,120}$/);
/** A note typed in the dashboard: plain text (policy/plainText.ts), blank meaning none. */
const note = z.preprocess((v) => (typeof v === 'string' ? plainText(v).trim() || undefined : v), z.string().max(1000).optional());
const closeBody = z.strictObject({ caseId, stepId, outcome: z.enum(['done', 'followUp', 'notNeeded']), note });
const reassignBody = z.strictObject({ caseId, stepId, to: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

/** What the actions API needs of the tab's API: who the caller is there, and the register. */
export interface TabAccess {
  allowed(identity: TabIdentity, view: 'actions', schoolId?: string): Promise<Membership | TabResponse>;
  register(schoolId: string): Promise<{ pupils: Pupil[]; open: OpenItem[]; recordedPeps: Map<string, IsoDate> }>;
  today(): IsoDate;
}

export interface TabActionsDeps {
  cases: CaseRepository;
  pupils: PupilDirectory;
  refusals: RefusalLog;
  tracker: ActionTracker;
  logger: Logger;
}

/**
 * The Actions view: open actions and PEPs of the children the caller may open; closing an action
 * (how it ended, with a note) or giving it to someone else, through the same service as the bot's
 * "Mark done" (services/actionTracker.ts), so the rule, the audit entry and the ETag are the same.
 */
export class TabActions {
  constructor(
    private readonly deps: TabActionsDeps,
    private readonly access: TabAccess,
  ) {}

  /** Open actions and PEPs, limited to the children the caller may open. */
  async list(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const m = await this.access.allowed(identity, 'actions', schoolId);
    if ('status' in m) return m;
    const today = this.access.today();
    const { pupils, open, recordedPeps } = await this.access.register(m.school.id);
    const byId = new Map(pupils.map((p) => [p.id, p]));
    const register = { get: async (_school: string, id: string) => byId.get(id) };
    const records = new Map<string, Promise<CaseRecord | undefined>>();
    const actions: ActionRow[] = [];
    for (const item of open) {
      // A child on the register the caller may not open is skipped before anything of the case is read.
      const onRegister = item.pupilId ? byId.get(item.pupilId) : undefined;
      if (item.pupilId && (!onRegister || !mayOpenRecord(m.roles, onRegister, today))) continue;
      if (!records.has(item.caseId)) records.set(item.caseId, this.deps.cases.get(m.school.id, item.caseId));
      const record = await records.get(item.caseId);
      if (!record) continue;
      const child = await actionChild(register, m.school.id, item, record);
      if (!child || !mayOpenRecord(m.roles, child, today)) continue;
      const found = await this.deps.cases.getAction(m.school.id, item.caseId, item.stepId);
      if (!found || found.action.status !== 'open') continue;
      actions.push(actionRow(m, found.action, record, child, today));
    }
    const calendar = new SchoolCalendar(m.school.calendar);
    const peps: Array<{ child: { id: string; name: string }; state: PepState; dueBy: IsoDate; lastPep: IsoDate | null; words: string }> = [];
    for (const p of pupils) {
      if (!cohortFlags(p, today).cla || !mayOpenRecord(m.roles, p, today)) continue;
      const s = pepStatus(p, latestPep(p, recordedPeps.get(p.id)), calendar, today, m.school.thresholds.pepReminderSchoolDays);
      if (s) peps.push({ child: { id: p.id, name: fullName(p) }, state: s.state, dueBy: s.dueBy, lastPep: s.lastPep ?? null, words: pepWords(s, today) });
    }
    peps.sort((a, b) => a.dueBy.localeCompare(b.dueBy));
    return { status: 200, body: { today, actions, peps, people: actions.some((a) => a.mayChange) ? assignablePeople(m) : [] } };
  }

  /** Closes an open action: how it ended, and a note (required unless it was simply done). */
  async close(identity: TabIdentity, raw: unknown, schoolId?: string): Promise<TabResponse> {
    const m = await this.access.allowed(identity, 'actions', schoolId);
    if ('status' in m) return m;
    const body = closeBody.safeParse(raw);
    if (!body.success) return { status: 400, body: { error: 'Expected {"caseId", "stepId", "outcome": "done" | "followUp" | "notNeeded", "note"}: the note at most 1,000 characters.' } };
    const { outcome } = body.data;
    if (outcomeNeedsNote(outcome) && !body.data.note) return { status: 400, body: { error: `“${OUTCOME_LABEL[outcome]}” needs a note: say what was decided and why.` } };
    const seen = await this.visibleAction(m, body.data.caseId, body.data.stepId, 'closeAction');
    if ('status' in seen) return seen;
    const out = await this.deps.tracker.change(m, this.actor(m), body.data.caseId, body.data.stepId, { kind: 'close', outcome, ...(body.data.note ? { note: body.data.note } : {}) });
    return this.answer(m, out, 'closeAction', (a) => `${OUTCOME_LABEL[outcome]}: “${a.label}” (${a.ref}). It is in the concern’s chronology with your name.`);
  }

  /** Gives an open action to another member of staff named in the school's profile. */
  async reassign(identity: TabIdentity, raw: unknown, schoolId?: string): Promise<TabResponse> {
    const m = await this.access.allowed(identity, 'actions', schoolId);
    if ('status' in m) return m;
    const body = reassignBody.safeParse(raw);
    if (!body.success) return { status: 400, body: { error: 'Expected {"caseId", "stepId", "to": "<the person’s id>"}.' } };
    const seen = await this.visibleAction(m, body.data.caseId, body.data.stepId, 'reassignAction');
    if ('status' in seen) return seen;
    const out = await this.deps.tracker.change(m, this.actor(m), body.data.caseId, body.data.stepId, { kind: 'reassign', to: body.data.to });
    return this.answer(m, out, 'reassignAction', (a) => `“${a.label}” (${a.ref}) is now ${a.assigneeName ?? 'theirs'}’s. Reminders go to them from now on.`);
  }

  /**
   * The action asked about, if it is about a child this person may open. An action of a child they
   * may not open is refused like the child's record, and the attempt recorded against the child.
   */
  private async visibleAction(m: Membership, caseIdValue: string, stepIdValue: string, what: string): Promise<{ ok: true } | TabResponse> {
    const [found, record] = await Promise.all([this.deps.cases.getAction(m.school.id, caseIdValue, stepIdValue), this.deps.cases.get(m.school.id, caseIdValue)]);
    if (!found || !record) return { status: 404, body: { error: 'There is no such action: it may have been removed. Reload the list.' } };
    const child = await actionChild(this.deps.pupils, m.school.id, found.action, record);
    if (child && mayOpenRecord(m.roles, child, this.access.today())) return { ok: true };
    const pupilId = child?.pupil?.id ?? found.action.pupilId;
    if (pupilId) {
      const recorded = await this.deps.refusals.refused(m.school.id, pupilId, this.actor(m), what);
      if (recorded === 'throttled') return { status: 429, body: { error: 'Too many requests: please wait a minute.' } };
    }
    this.deps.logger.warn({ event: 'tabActionRefused', school: m.school.id, what }, 'an action was refused: not this role’s child');
    return { status: 403, body: { error: 'This action is about a child whose record is not yours to open: ask the DSL.' } };
  }

  private answer(m: Membership, out: ActionChangeResult, what: string, done: (a: TrackedAction) => string): TabResponse {
    switch (out.result) {
      case 'changed':
        this.deps.logger.info({ event: 'tabActionChanged', school: m.school.id, what }, 'an action was changed in the dashboard');
        return { status: 200, body: { summary: done(out.action) } };
      case 'unchanged':
        return { status: 200, body: { summary: 'It is already theirs: nothing was changed.' } };
      case 'alreadyClosed':
        return { status: 409, body: { error: `This action was already closed${out.action.doneByName ? ` by ${out.action.doneByName}` : ''}. Reload the list.` } };
      case 'refused':
        this.deps.logger.info({ event: 'tabActionRefused', school: m.school.id, what }, 'an action change was refused: not the owner or a lead');
        return { status: 403, body: { error: 'Only the person who owns this action, the DSL or a deputy, or the Designated Teacher for children in care, may change it.' } };
      case 'notAssignable':
        return { status: 400, body: { error: 'An action can be given only to someone the school’s profile names in a role.' } };
      case 'notFound':
        return { status: 404, body: { error: 'There is no such action: it may have been removed. Reload the list.' } };
    }
  }

  private actor(m: Membership) {
    return { aadObjectId: m.member.aadObjectId, name: m.member.name };
  }
}
