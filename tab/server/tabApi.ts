import { Logger } from '../../telemetry/logger';
import { DigestService } from '../../services/digestService';
import { PupilDirectory } from '../../services/pupilDirectory';
import { RefusalLog } from '../../services/refusalLog';
import { Membership, SchoolDirectory } from '../../services/schoolDirectory';
import { SchoolSettings } from '../../services/schoolSettings';
import { ConversationRefRepository } from '../../storage/conversationRefRepository';
import { TrustRepository } from '../../storage/trustRepository';
import { SchoolCalendar } from '../../policy/calendar';
import { IsoDate, londonDate } from '../../policy/dates';
import { latestPep, pepStatus, PepState } from '../../policy/pep';
import { cohortFlags, fullName, Pupil } from '../../policy/pupil';
import { ROLE_LABEL } from '../../policy/roles';
import { statusLabels } from '../../policy/routing/common';
import { coveredBy } from '../../policy/scope';
import { schoolPolicy, SchoolProfile } from '../../policy/schoolProfile';
import { mayOpenRecord, mayUse, TabView, tabViews } from '../../policy/tabAccess';
import { CaseRepository, OpenItem } from '../../storage/caseRepository';
import { PepRepository } from '../../storage/pepRepository';
import { RecordAuditRepository } from '../../storage/recordAuditRepository';
import { buildChronology, CaseHistory } from './chronology';
import { digestChannelStatus } from './digestStatus';
import { Caller, isResponse, NOT_STAFF, TabCallers } from './tabCaller';
import { TabIdentity } from './tabIdentity';

export interface TabResponse {
  status: number;
  body: unknown;
}

export interface TabApiDeps {
  directory: SchoolDirectory;
  pupils: PupilDirectory;
  cases: CaseRepository;
  peps: PepRepository;
  recordAudit: RecordAuditRepository;
  /** Refused attempts on a child's record: counted, not one audit entry each (services/refusalLog.ts). */
  refusals: RefusalLog;
  digests: DigestService;
  /** Who may change a school's settings (its DSL and headteacher, its trust's administrators). */
  settings: SchoolSettings;
  /** The trusts, whose administrators may choose any school of theirs. */
  trusts?: TrustRepository;
  /** Whether the app is still in the digest's channel (for the reason a digest is not posted). */
  conversationRefs?: ConversationRefRepository;
  logger: Logger;
  clock: () => Date;
}

const FOR_LEADS = 'This part of the dashboard is for the DSL, deputy DSLs, the Designated Teacher and the headteacher. To raise a concern about a child, message the bot.';

/**
 * What the dashboard tab may show each member of staff. Every answer starts from the staff list
 * (deny by default), every child is checked against need to know, and every opening of a child's
 * record is written to the audit trail before anything is shown.
 */
export class TabApi {
  readonly callers: TabCallers;

  constructor(private readonly deps: TabApiDeps) {
    this.callers = new TabCallers({ directory: deps.directory, ...(deps.trusts ? { trusts: deps.trusts } : {}), logger: deps.logger });
  }

  /**
   * Who the caller is, their schools (a school switcher when there are several), the school shown
   * and the views they have there. Settings is shown to whoever may change that school's settings.
   */
  async me(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const caller = await this.callers.resolve(identity, schoolId);
    if (isResponse(caller)) return caller;
    const chosen = caller.chosen;
    const roles = chosen?.membership?.roles ?? [];
    // Settings by the service's own rule (the DSL, the headteacher, the trust's administrators), which the routes apply too.
    const mayChange = caller.trusts.length > 0 || (chosen !== undefined && (await this.deps.settings.mayChange(chosen.school, identity.aadObjectId)));
    const views = [...tabViews(roles).filter((v) => v !== 'settings'), ...(mayChange ? (['settings'] as const) : [])];
    return {
      status: 200,
      body: {
        name: caller.name,
        school: chosen ? { id: chosen.school.id, name: chosen.school.name } : null,
        schools: caller.schools.map((c) => ({ id: c.school.id, name: c.school.name })),
        roles: [...roles.map((r) => ROLE_LABEL[r]), ...(chosen?.adminOf || (!chosen && caller.trusts.length > 0) ? ['Trust administrator'] : [])],
        views,
        trusts: caller.trusts.map((t) => ({ id: t.id, name: t.name })),
        signIn: identity.via,
      },
    };
  }

  /** The register, every open action and each child's latest recorded PEP: what the cohort and actions views are drawn from. */
  private async register(schoolId: string) {
    const [pupils, open, recordedPeps] = await Promise.all([
      this.deps.pupils.all(schoolId),
      this.deps.cases.openActionsDueBy(schoolId, '9999-12-31'),
      this.deps.peps.latestByPupil(schoolId),
    ]);
    return { pupils, open, recordedPeps };
  }

  /** The cohort register: each child the caller may open, with status and the next deadline. */
  async cohort(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const m = await this.allowed(identity, 'cohort', schoolId);
    if ('status' in m) return m;
    const today = this.today();
    const { pupils, open, recordedPeps } = await this.register(m.school.id);
    const calendar = new SchoolCalendar(m.school.calendar);
    const policy = schoolPolicy(m.school);
    const nextByPupil = new Map<string, OpenItem>();
    for (const item of open) {
      if (item.pupilId && !nextByPupil.has(item.pupilId)) nextByPupil.set(item.pupilId, item);
    }
    const children = pupils
      .filter((p) => coveredBy(policy, cohortFlags(p, today)) && mayOpenRecord(m.roles, p, today))
      .map((p) => {
        const next = nextByPupil.get(p.id);
        const pep = cohortFlags(p, today).cla ? pepStatus(p, latestPep(p, recordedPeps.get(p.id)), calendar, today, m.school.thresholds.pepReminderSchoolDays) : undefined;
        return {
          id: p.id,
          name: fullName(p),
          yearGroup: p.yearGroup,
          statuses: this.labels(p, today, m.school),
          ...(next ? { nextDeadline: { date: next.deadline, ref: next.ref, overdue: next.deadline < today, statutory: next.statutory } } : {}),
          ...(pep ? { pep: { state: pep.state, dueBy: pep.dueBy } } : {}),
        };
      })
      .sort((a, b) => (a.nextDeadline?.date ?? '9999') .localeCompare(b.nextDeadline?.date ?? '9999') || a.name.localeCompare(b.name));
    return { status: 200, body: { today, children } };
  }

  /** One child's chronology. The opening is recorded first: no record is shown without it. */
  async chronology(identity: TabIdentity, pupilId: string, schoolId?: string): Promise<TabResponse> {
    const m = await this.membership(identity, schoolId);
    if ('status' in m) return m;
    const pupil = await this.deps.pupils.get(m.school.id, pupilId);
    if (!pupil) return { status: 404, body: { error: 'There is no child with that record on your school’s register.' } };
    const today = this.today();
    const actor = { aadObjectId: m.member.aadObjectId, name: m.member.name };
    const at = this.deps.clock().toISOString();
    // A refusal is recorded against the child too: the DSL can see who tried to look.
    if (!mayUse(m.roles, 'chronology') || !mayOpenRecord(m.roles, pupil, today)) {
      // Repeats are counted into one entry, and a burst is answered 429 (services/refusalLog.ts).
      const recorded = await this.deps.refusals.refused(m.school.id, pupil.id, actor, 'chronology');
      if (recorded === 'throttled') return { status: 429, body: { error: 'Too many requests: please wait a minute.' } };
      if (recorded === 'recorded') this.deps.logger.warn({ event: 'tabRecordRefused', school: m.school.id, pupil: pupil.id }, 'a record was refused: not this role’s to see');
      return { status: 403, body: { error: 'This child’s record is not yours to open: ask the DSL if you need to know.' } };
    }
    await this.deps.recordAudit.recordAccess(m.school.id, pupil.id, { at, actor, action: 'viewedChronology', detail: { view: 'chronology' } });

    const summaries = await this.deps.cases.listForPupil(m.school.id, pupil.id);
    const histories: CaseHistory[] = [];
    for (const s of summaries) {
      const record = await this.deps.cases.get(m.school.id, s.caseId);
      if (!record) continue;
      const [audit, notifications, actions] = await Promise.all([
        this.deps.cases.auditTrail(m.school.id, s.caseId),
        this.deps.cases.notifications(m.school.id, s.caseId),
        this.deps.cases.actions(m.school.id, s.caseId),
      ]);
      histories.push({ record, audit, notifications, actions });
    }
    const [accessLog, pepDates] = await Promise.all([this.deps.recordAudit.accessLog(m.school.id, pupil.id), this.deps.peps.meetings(m.school.id, pupil.id)]);
    const { cases, events } = buildChronology(histories, accessLog, pepDates);
    const openActions = histories.flatMap((h) => h.actions.filter((a) => a.status === 'open').map((a) => ({ ref: a.ref, label: a.label, owner: ROLE_LABEL[a.owner], deadline: a.deadline, statutory: a.statutory, overdue: a.deadline < today })));
    return {
      status: 200,
      body: {
        child: {
          id: pupil.id,
          name: fullName(pupil),
          yearGroup: pupil.yearGroup,
          statuses: this.labels(pupil, today, m.school),
          keyAdult: pupil.keyAdult ?? null,
          socialWorker: pupil.socialWorker ? { name: pupil.socialWorker.name, organisation: pupil.socialWorker.organisation ?? null } : null,
          attendancePercent: pupil.attendancePercent ?? null,
        },
        cases,
        openActions,
        events,
        viewers: accessLog.filter((a) => a.action !== 'refused').map((a) => ({ name: a.actor.name, at: a.at })),
      },
    };
  }

  /** Open actions and PEPs, limited to the children the caller may open. */
  async actions(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const m = await this.allowed(identity, 'actions', schoolId);
    if ('status' in m) return m;
    const today = this.today();
    const { pupils, open, recordedPeps } = await this.register(m.school.id);
    const byId = new Map(pupils.map((p) => [p.id, p]));
    const visible = (pupilId: string | undefined): Pupil | undefined | false => {
      if (!pupilId) return mayOpenRecord(m.roles, { statuses: [] }, today) ? undefined : false;
      const p = byId.get(pupilId);
      return p && mayOpenRecord(m.roles, p, today) ? p : false;
    };
    const actions = [];
    for (const item of open) {
      const child = visible(item.pupilId);
      if (child === false) continue;
      const found = await this.deps.cases.getAction(m.school.id, item.caseId, item.stepId);
      if (!found || found.action.status !== 'open') continue;
      actions.push({
        ref: item.ref,
        child: child ? { id: child.id, name: fullName(child) } : null,
        label: found.action.label,
        owner: ROLE_LABEL[found.action.owner],
        deadline: item.deadline,
        overdue: item.deadline < today,
        statutory: item.statutory,
      });
    }
    const calendar = new SchoolCalendar(m.school.calendar);
    const peps: Array<{ child: { id: string; name: string }; state: PepState; dueBy: IsoDate; lastPep: IsoDate | null }> = [];
    for (const p of pupils) {
      if (!cohortFlags(p, today).cla || !mayOpenRecord(m.roles, p, today)) continue;
      const s = pepStatus(p, latestPep(p, recordedPeps.get(p.id)), calendar, today, m.school.thresholds.pepReminderSchoolDays);
      if (s) peps.push({ child: { id: p.id, name: fullName(p) }, state: s.state, dueBy: s.dueBy, lastPep: s.lastPep ?? null });
    }
    peps.sort((a, b) => a.dueBy.localeCompare(b.dueBy));
    return { status: 200, body: { today, actions, peps } };
  }

  /**
   * The weekly digest's figures: numbers and reference codes only, as in the SLT channel. When the
   * digest cannot be posted (no channel chosen, or the app no longer in it), `notPosted` says why
   * in plain words; otherwise it is null.
   */
  async digest(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const m = await this.allowed(identity, 'digest', schoolId);
    if ('status' in m) return m;
    const [{ digest }, channel] = await Promise.all([this.deps.digests.build(m.school, this.deps.clock()), digestChannelStatus(m.school, this.deps.conversationRefs)]);
    const figures = withoutSmallNumbers(digest) as Record<string, unknown>;
    return { status: 200, body: { ...figures, notPosted: channel.posting ? null : { reason: channel.reason, explanation: channel.explanation } } };
  }

  /** For routes that need the caller's school and a view (the register upload). */
  async allowed(identity: TabIdentity, view: TabView, schoolId?: string): Promise<Membership | TabResponse> {
    const m = await this.membership(identity, schoolId);
    if ('status' in m) return m;
    if (!mayUse(m.roles, view)) {
      this.deps.logger.info({ event: 'tabViewRefused', school: m.school.id, view }, 'tab view refused for this role');
      return { status: 403, body: { error: FOR_LEADS } };
    }
    return m;
  }

  /** The caller's place on the staff of the school asked for (or their first): a trust administrator who is not on it has none. */
  private async membership(identity: TabIdentity, schoolId?: string): Promise<Membership | TabResponse> {
    const caller: Caller | TabResponse = await this.callers.resolve(identity, schoolId);
    if (isResponse(caller)) return caller;
    const m = caller.chosen?.membership;
    if (!m) return caller.chosen ? { status: 403, body: { error: FOR_LEADS } } : NOT_STAFF;
    return m;
  }

  private labels(pupil: Pupil, today: IsoDate, school: SchoolProfile): string[] {
    return statusLabels({ pupil, flags: cohortFlags(pupil, today), policy: schoolPolicy(school) });
  }

  private today(): IsoDate {
    return londonDate(this.deps.clock());
  }
}

/**
 * The digest's counts carry their true value for the card's own arithmetic; a count shown as
 * "fewer than 3" must not carry it to the browser, where anyone could read it.
 */
export function withoutSmallNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSmallNumbers);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if ('suppressed' in value && 'display' in value && 'value' in value) {
    return { ...value, value: value.suppressed === true ? null : value.value };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutSmallNumbers(v)]));
}
