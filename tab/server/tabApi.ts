import { Logger } from '../../telemetry/logger';
import { ActionTracker } from '../../services/actionTracker';
import { DigestService } from '../../services/digestService';
import { PupilDirectory } from '../../services/pupilDirectory';
import { RefusalLog } from '../../services/refusalLog';
import { Membership, SchoolDirectory } from '../../services/schoolDirectory';
import { SchoolSettings } from '../../services/schoolSettings';
import { ConversationRefRepository } from '../../storage/conversationRefRepository';
import { TrustRepository } from '../../storage/trustRepository';
import { SchoolCalendar } from '../../policy/calendar';
import { IsoDate, londonDate } from '../../policy/dates';
import { latestPep, pepStatus } from '../../policy/pep';
import { pepWords } from '../../policy/pepWords';
import { CohortFlags, cohortFlags, fullName, Pupil } from '../../policy/pupil';
import { ROLE_LABEL } from '../../policy/roles';
import { statusLabels } from '../../policy/routing/common';
import { coveredBy } from '../../policy/scope';
import { schoolPolicy, SchoolProfile } from '../../policy/schoolProfile';
import { mayOpenRecord, mayUse, TabView, tabViews } from '../../policy/tabAccess';
import { CaseRepository, OpenItem } from '../../storage/caseRepository';
import { PepRepository } from '../../storage/pepRepository';
import { RecordAuditRepository } from '../../storage/recordAuditRepository';
import { ACCESS_TEXT, buildChronology, CaseHistory } from './chronology';
import { chronologyPdf } from './chronologyPdf';
import { digestForViewer, seesChildren } from './digestForViewer';
import { digestChannelStatus } from './digestStatus';
import { actionRow, assignablePeople, TabActions } from './tabActions';
import { Caller, isResponse, NOT_STAFF, TabCallers } from './tabCaller';
import { TabIdentity } from './tabIdentity';

export interface TabResponse {
  status: number;
  body: unknown;
  /** A file to download instead of JSON (the chronology's PDF). */
  file?: { contentType: string; name: string; bytes: Buffer };
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
  /** The Actions view and its changes, through the bot's own action service. */
  private readonly actionWork: TabActions;

  constructor(private readonly deps: TabApiDeps) {
    this.callers = new TabCallers({ directory: deps.directory, ...(deps.trusts ? { trusts: deps.trusts } : {}), logger: deps.logger });
    const tracker = new ActionTracker({ cases: deps.cases, clock: deps.clock, pupils: deps.pupils });
    this.actionWork = new TabActions({ cases: deps.cases, pupils: deps.pupils, refusals: deps.refusals, tracker, logger: deps.logger }, this);
  }

  /** Closes an action: how it ended, and a note. */
  closeAction(identity: TabIdentity, body: unknown, schoolId?: string): Promise<TabResponse> {
    return this.actionWork.close(identity, body, schoolId);
  }

  /** Gives an action to another member of staff with a role. */
  reassignAction(identity: TabIdentity, body: unknown, schoolId?: string): Promise<TabResponse> {
    return this.actionWork.reassign(identity, body, schoolId);
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
  async register(schoolId: string) {
    const [pupils, open, recordedPeps] = await Promise.all([
      this.deps.pupils.all(schoolId),
      this.deps.cases.openActionsDueBy(schoolId, '9999-12-31'),
      this.deps.peps.latestByPupil(schoolId),
    ]);
    return { pupils, open, recordedPeps };
  }

  /**
   * The cohort register: each child the caller may open, with status, attendance, open and overdue
   * actions, the next deadline and the PEP, for the view's search, filters and sorting.
   */
  async cohort(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const m = await this.allowed(identity, 'cohort', schoolId);
    if ('status' in m) return m;
    const today = this.today();
    const { pupils, open, recordedPeps } = await this.register(m.school.id);
    const calendar = new SchoolCalendar(m.school.calendar);
    const policy = schoolPolicy(m.school);
    const openByPupil = new Map<string, OpenItem[]>();
    // The open index is in deadline order, so each child's first item is their next deadline.
    for (const item of open) if (item.pupilId) openByPupil.set(item.pupilId, [...(openByPupil.get(item.pupilId) ?? []), item]);
    const children = pupils
      .map((p) => ({ p, flags: cohortFlags(p, today) }))
      .filter(({ p, flags }) => coveredBy(policy, flags) && mayOpenRecord(m.roles, p, today))
      .map(({ p, flags }) => {
        const items = openByPupil.get(p.id) ?? [];
        const next = items[0];
        const pep = flags.cla ? pepStatus(p, latestPep(p, recordedPeps.get(p.id)), calendar, today, m.school.thresholds.pepReminderSchoolDays) : undefined;
        return {
          id: p.id,
          name: fullName(p),
          familyName: p.familyName,
          yearGroup: p.yearGroup,
          statuses: this.labels(p, today, m.school),
          kinds: statusKinds(flags),
          attendancePercent: p.attendancePercent ?? null,
          openActions: items.length,
          overdueActions: items.filter((i) => i.deadline < today).length,
          ...(next ? { nextDeadline: { date: next.deadline, ref: next.ref, overdue: next.deadline < today, statutory: next.statutory } } : {}),
          ...(pep ? { pep: { state: pep.state, dueBy: pep.dueBy, words: pepWords(pep, today) } } : {}),
        };
      })
      .sort((a, b) => (a.nextDeadline?.date ?? '9999').localeCompare(b.nextDeadline?.date ?? '9999') || a.name.localeCompare(b.name));
    return { status: 200, body: { today, children } };
  }

  /** One child's chronology, newest first. The opening is recorded first: no record is shown without it. */
  async chronology(identity: TabIdentity, pupilId: string, schoolId?: string): Promise<TabResponse> {
    const opened = await this.open(identity, pupilId, schoolId, 'viewedChronology');
    if ('status' in opened) return opened;
    const record = await this.recordOf(opened.m, opened.pupil);
    return { status: 200, body: { ...record, people: record.openActions.some((a) => a.mayChange) ? assignablePeople(opened.m) : [] } };
  }

  /**
   * The chronology as a PDF for the child protection file (KCSIE: it goes to the next school's DSL
   * when a child moves). The same people may export it as may open the record, and the export is
   * written to the record's access log before the file is made.
   */
  async exportChronology(identity: TabIdentity, pupilId: string, schoolId?: string): Promise<TabResponse> {
    const opened = await this.open(identity, pupilId, schoolId, 'exportedChronology');
    if ('status' in opened) return opened;
    const { m, pupil } = opened;
    const record = await this.recordOf(m, pupil);
    const now = this.deps.clock();
    const bytes = await chronologyPdf({
      schoolName: m.school.name,
      synthetic: m.school.synthetic === true,
      exportedBy: m.member.name,
      exportedAt: now,
      child: { ...record.child, dateOfBirth: pupil.dateOfBirth ?? null },
      cases: record.cases,
      openActions: record.openActions,
      events: record.events,
      viewers: record.viewers,
    });
    this.deps.logger.info({ event: 'chronologyExported', school: m.school.id }, 'a chronology was exported as a PDF');
    // The register's id, not the child's name: a file name shows in download lists and synced folders.
    return { status: 200, body: null, file: { contentType: 'application/pdf', name: `chronology-${pupil.id}-${londonDate(now)}.pdf`, bytes } };
  }

  /**
   * Whether this person may open this child's record; if so, the opening (or export) is recorded
   * first. A refusal is recorded against the child too: the DSL can see who tried to look.
   */
  private async open(identity: TabIdentity, pupilId: string, schoolId: string | undefined, action: 'viewedChronology' | 'exportedChronology'): Promise<{ m: Membership; pupil: Pupil } | TabResponse> {
    const m = await this.membership(identity, schoolId);
    if ('status' in m) return m;
    const pupil = await this.deps.pupils.get(m.school.id, pupilId);
    if (!pupil) return { status: 404, body: { error: 'There is no child with that record on your school’s register.' } };
    const actor = { aadObjectId: m.member.aadObjectId, name: m.member.name };
    if (!mayUse(m.roles, 'chronology') || !mayOpenRecord(m.roles, pupil, this.today())) {
      // Repeats are counted into one entry, and a burst is answered 429 (services/refusalLog.ts).
      const recorded = await this.deps.refusals.refused(m.school.id, pupil.id, actor, action === 'exportedChronology' ? 'chronologyExport' : 'chronology');
      if (recorded === 'throttled') return { status: 429, body: { error: 'Too many requests: please wait a minute.' } };
      if (recorded === 'recorded') this.deps.logger.warn({ event: 'tabRecordRefused', school: m.school.id, pupil: pupil.id }, 'a record was refused: not this role’s to see');
      return { status: 403, body: { error: 'This child’s record is not yours to open: ask the DSL if you need to know.' } };
    }
    const view = action === 'exportedChronology' ? 'pdf' : 'chronology';
    await this.deps.recordAudit.recordAccess(m.school.id, pupil.id, { at: this.deps.clock().toISOString(), actor, action, detail: { view } });
    return { m, pupil };
  }

  /** Everything of one child's record the lead roles see: details, concerns, open actions, the chronology and who opened it. */
  private async recordOf(m: Membership, pupil: Pupil) {
    const today = this.today();
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
    const openActions = histories
      .flatMap((h) => h.actions.filter((a) => a.status === 'open').map((a) => actionRow(m, a, h.record, { pupil, statuses: pupil.statuses }, today)))
      .sort((a, b) => a.deadline.localeCompare(b.deadline));
    return {
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
      viewers: accessLog
        .filter((a) => a.action !== 'refused')
        .reverse()
        .map((a) => ({ name: a.actor.name, at: a.at, what: ACCESS_TEXT[a.action] ?? 'Opened this record' })),
    };
  }

  /** Open actions and PEPs, limited to the children the caller may open (tab/server/tabActions.ts). */
  async actions(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    return this.actionWork.list(identity, schoolId);
  }

  /**
   * The weekly digest's figures: numbers and reference codes only, as in the SLT channel. The people
   * who open the children's records see every count; small numbers are hidden ("fewer than 3") only
   * from those who may not (the senior leadership team). When the digest cannot be posted (no
   * channel chosen, or the app no longer in it), `notPosted` says why in plain words; otherwise null.
   */
  async digest(identity: TabIdentity, schoolId?: string): Promise<TabResponse> {
    const m = await this.allowed(identity, 'digest', schoolId);
    if ('status' in m) return m;
    const [{ digest }, channel] = await Promise.all([this.deps.digests.build(m.school, this.deps.clock(), { hideSmallNumbers: !seesChildren(m.roles) }), digestChannelStatus(m.school, this.deps.conversationRefs)]);
    const { figures, smallNumbersHidden } = digestForViewer(digest, m.roles);
    return { status: 200, body: { ...(figures as Record<string, unknown>), smallNumbersHidden, notPosted: channel.posting ? null : { reason: channel.reason, explanation: channel.explanation } } };
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

  today(): IsoDate {
    return londonDate(this.deps.clock());
  }
}

/** The cohort statuses a child has now, for the cohort view's status filter (the labels say more, for reading). */
export type StatusKind = 'inCare' | 'previouslyInCare' | 'socialWorkerNow' | 'socialWorkerPast' | 'kinship';

function statusKinds(flags: CohortFlags): StatusKind[] {
  const out: StatusKind[] = [];
  if (flags.cla) out.push('inCare');
  if (flags.cpla) out.push('previouslyInCare');
  if (flags.cwswCurrent) out.push('socialWorkerNow');
  if (flags.cwswPast) out.push('socialWorkerPast');
  if (flags.kinship) out.push('kinship');
  return out;
}
