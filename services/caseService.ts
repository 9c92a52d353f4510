import { CaseBlockedError, CaseNotSavedError, CaseRequest, FormServices, RaisedCase } from './formServices';
import { SchoolCalendar } from '../policy/calendar';
import { newCaseId, newCaseRef } from '../policy/caseIds';
import { AuditEntry, CaseRecord, externalNotifications, staffNotifications } from '../policy/caseRecord';
import { trackedActions } from '../policy/actions';
import { CaseAnswers } from '../policy/cases';
import { formatDate, isoDate, IsoDate, londonDate } from '../policy/dates';
import { DatePurpose, questionableDate } from '../policy/dateChecks';
import { latestPep, pepStatus } from '../policy/pep';
import { PepRepository } from '../storage/pepRepository';
import { cohortFlags, Pupil } from '../policy/pupil';
import { RoutedChild, routedNewStarter } from '../policy/newStarter';
import { routingPlan } from '../policy/routingPlan';
import { RoutingPlan } from '../policy/routing/step';
import { SchoolProfile, StaffMember, virtualSchoolFor } from '../policy/schoolProfile';
import { suspensionHistory } from '../policy/suspensionHistory';
import { CaseRepository, RefCollisionError } from '../storage/caseRepository';
import { isStorageUnavailable } from '../storage/tableStore';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { PupilDirectory } from './pupilDirectory';
import { SchoolDirectory } from './schoolDirectory';
import { BackgroundWork } from './backgroundWork';
import { OutboxSender, SavedCase } from '../delivery/outboxSender';
import { windowEnd } from '../policy/schoolHours';

/**
 * A Send hands what it saved to its staff cards only while fewer than this many pieces of work
 * after answers wait. Behind a burst the queued work would hold every case's record and
 * notifications, and an outbox pass could not help with cards handed over: in the one full bench
 * run where every Send handed over, the trust's bot peaked at 306 MB (259–272 MB before) and its
 * DSLs made 39 approvals in the minute (93–104 before).
 */
export const HAND_OVER_WHILE_QUEUED_BELOW = 32;

export interface CaseServiceDeps {
  directory: SchoolDirectory;
  pupils: PupilDirectory;
  cases: CaseRepository;
  outbox: OutboxSender;
  peps: PepRepository;
  /** Where the staff cards of a new case are sent from, after the teacher has their receipt. */
  background: BackgroundWork;
  logger: Logger;
  clock: () => Date;
  /**
   * A child in care is placed by an authority whose Virtual School the school has no contact for:
   * the DSL is asked for it (after the teacher has their receipt).
   */
  askForContact?: (school: SchoolProfile, localAuthority: string, caseRef: string) => Promise<void>;
}

interface Prepared {
  profile: SchoolProfile;
  pupil: Pupil | null;
  /** What the plan was routed on: the pupil, or a new starter's reported status. */
  child: RoutedChild | null;
  answers: CaseAnswers;
  plan: RoutingPlan;
  now: Date;
}

/**
 * Raising a case: the plan is worked out from the register and the school's profile exactly as the
 * confirmation showed it, then the case, its audit entries and its notifications are saved in one
 * transaction.
 */
export class CaseService implements FormServices {
  constructor(private readonly deps: CaseServiceDeps) {}

  now(): Date {
    return this.deps.clock();
  }

  async questionableDate(schoolId: string, date: IsoDate, purpose: DatePurpose): Promise<string | undefined> {
    const profile = await this.deps.directory.school(schoolId);
    return questionableDate(new SchoolCalendar(profile.calendar), londonDate(this.deps.clock()), date, purpose);
  }

  searchPupils(schoolId: string, query: string, limit: number) {
    return this.deps.pupils.search(schoolId, query, limit);
  }

  getPupil(schoolId: string, pupilId: string) {
    return this.deps.pupils.get(schoolId, pupilId);
  }

  suggestPupils(schoolId: string, typed: string, limit: number) {
    return this.deps.pupils.suggest(schoolId, typed, limit);
  }

  pupilsMentioned(schoolId: string, sentence: string, limit: number) {
    return this.deps.pupils.mentionedIn(schoolId, sentence, limit);
  }

  async schoolStaff(schoolId: string): Promise<readonly StaffMember[]> {
    return (await this.deps.directory.school(schoolId)).staff;
  }

  async previewPlan(request: CaseRequest): Promise<RoutingPlan> {
    return (await this.prepare(request)).plan;
  }

  /**
   * Saves the case once per draft, whatever happens on the way. A write whose answer was lost (a
   * dropped connection, a timeout) may have been applied: the SDK's retry then meets 409, and the
   * row found by the draft id is this very case, so it counts as saved now, not "already sent".
   * When storage stays unreachable the draft is read back before the teacher is told it was not saved.
   */
  async raiseCase(request: CaseRequest): Promise<RaisedCase> {
    const tried = new Map<string, { plan: RoutingPlan; saved?: SavedCase }>();
    // Work after answers queued behind a burst: its cards go the usual way (a pass may help), and
    // nothing of the case is held in memory while they wait.
    const handOver = this.deps.background.queued < HAND_OVER_WHILE_QUEUED_BELOW;
    try {
      // A Send pressed again (or retried by Teams) is not looked for first: saving it again fails on
      // its draft row, and `create` answers with the case saved the first time.
      const prepared = await this.prepare(request);
      // The confirmation refuses it too; this is the last line: never saved as it stands.
      if (prepared.plan.blocked) throw new CaseBlockedError(prepared.plan.blocked.reason);
      for (let attempt = 0; attempt < 5; attempt++) {
        const record = this.record(request, prepared);
        const audit = this.audit(record, prepared);
        const all = [...staffNotifications(prepared.profile, record.id, prepared.plan, request.raisedBy), ...externalNotifications(record.id, prepared.plan)];
        // Those to send now are saved leased to this instance, which sends them straight after the answer.
        const notifications = handOver ? this.deps.outbox.leaseAtSave(request.schoolId, all) : all;
        // Its ETags come with the save's answer; without them (an answer lost) deliverSaved reads and claims as usual.
        const handed: SavedCase | undefined = handOver ? { record, notifications, etags: new Map(), nextAuditSeq: audit.length } : undefined;
        tried.set(record.id, { plan: prepared.plan, ...(handed ? { saved: handed } : {}) });
        try {
          const calendar = new SchoolCalendar(prepared.profile.calendar);
          const approvalDueAt = record.approval.required
            ? windowEnd(prepared.now, prepared.profile.approvalWindows[record.caseType], calendar, prepared.profile.schoolDay).toISOString()
            : undefined;
          const saved = await this.deps.cases.create(record, audit, notifications, approvalDueAt, trackedActions(record, calendar));
          if (!saved.created && saved.caseId !== record.id) return await this.alreadyRaised(request.schoolId, saved.caseId);
          this.deps.logger.info(
            { event: 'caseRaised', school: record.schoolId, caseId: record.id, caseType: record.caseType, steps: prepared.plan.steps.length, notifications: notifications.length, ...(saved.created ? {} : { answerLost: true }) },
            'case saved',
          );
          if (saved.created) this.askForMissingContact(prepared, record.ref);
          return { caseId: record.id, ref: record.ref, created: true, plan: prepared.plan, ...(handed ? { saved: { ...handed, etags: saved.notificationEtags ?? new Map() } } : {}) };
        } catch (err) {
          if (!(err instanceof RefCollisionError)) throw err;
        }
      }
    } catch (err) {
      if (!isStorageUnavailable(err)) throw err;
      return this.afterStorageFailure(request, tried, err);
    }
    throw new Error('could not find a free case reference after 5 tries');
  }

  private askForMissingContact(prepared: Prepared, ref: string): void {
    const la = prepared.child ? cohortFlags(prepared.child, londonDate(prepared.now)).cla?.placingAuthority : undefined;
    const ask = this.deps.askForContact;
    if (!la || !ask || virtualSchoolFor(prepared.profile, la)) return;
    this.deps.background.run('askForContact', () => ask(prepared.profile, la, ref));
  }

  /** Storage failed mid-save: the case is saved only if its draft row says so. */
  private async afterStorageFailure(request: CaseRequest, tried: ReadonlyMap<string, { plan: RoutingPlan; saved?: SavedCase }>, failure: unknown): Promise<RaisedCase> {
    const log = { school: request.schoolId, err: errorSummary(failure) };
    let found: { caseId: string; ref: string } | undefined;
    try {
      found = await this.deps.cases.findByDraft(request.schoolId, request.draftId);
      const ours = found ? tried.get(found.caseId) : undefined;
      if (found && ours) {
        this.deps.logger.info({ event: 'caseRaised', ...log, caseId: found.caseId, answerLost: true }, 'case saved (found by its draft after a storage error)');
        return { caseId: found.caseId, ref: found.ref, created: true, plan: ours.plan, ...(ours.saved ? { saved: ours.saved } : {}) };
      }
      if (found) return await this.alreadyRaised(request.schoolId, found.caseId);
    } catch (readErr) {
      if (!isStorageUnavailable(readErr)) throw readErr;
    }
    this.deps.logger.warn({ event: 'caseNotSaved', ...log, savedButUnread: found !== undefined }, 'case not saved: storage unavailable; the answers are kept in the dialog');
    throw new CaseNotSavedError(failure);
  }

  /**
   * Sends the saved case's staff cards straight after the turn rather than at the outbox's next
   * pass. The teacher does not wait for them (a card to each lead took most of the Send turn's
   * time), and a failure must not reach them as "nothing was sent": the cards are pending in the
   * outbox, which retries them.
   */
  async deliverStaffNotifications(schoolId: string, raised: RaisedCase): Promise<void> {
    const { caseId, saved } = raised;
    this.deps.background.run('staffCards', async () => {
      try {
        if (saved) await this.deps.outbox.deliverSaved(schoolId, saved);
        else await this.deps.outbox.deliverCase(schoolId, caseId);
      } catch (err) {
        this.deps.logger.warn({ event: 'staffCardsDeferred', school: schoolId, caseId, err: errorSummary(err) }, 'staff cards left to the outbox after an error');
      }
    }, { inOutbox: true });
  }

  async recordPep(schoolId: string, pupilId: string, date: string, by: { aadObjectId: string; name: string }, note?: string): Promise<string> {
    const now = this.deps.clock();
    await this.deps.peps.record(schoolId, pupilId, isoDate(date), by.name, now.toISOString(), note);
    this.deps.logger.info({ event: 'pepRecorded', school: schoolId, pupil: pupilId }, 'PEP meeting recorded');
    const profile = await this.deps.directory.school(schoolId);
    const pupil = await this.deps.pupils.get(schoolId, pupilId);
    const recorded = (await this.deps.peps.status(schoolId, pupilId))?.lastPep;
    const status = pupil ? pepStatus(pupil, latestPep(pupil, recorded), new SchoolCalendar(profile.calendar), londonDate(now), profile.thresholds.pepReminderSchoolDays) : undefined;
    return status?.state === 'ok' ? `The next one is due next term.` : status ? `The next PEP meeting is due by ${formatDate(status.dueBy)}.` : '';
  }

  private async alreadyRaised(schoolId: string, caseId: string): Promise<RaisedCase> {
    const record = await this.deps.cases.get(schoolId, caseId);
    if (!record) throw new Error(`case ${caseId} has a draft row but no case row`);
    return { caseId, ref: record.ref, created: false, plan: record.plan };
  }

  private async prepare(request: CaseRequest): Promise<Prepared> {
    const now = this.deps.clock();
    const today = londonDate(now);
    const profile = await this.deps.directory.school(request.schoolId);
    const pupil = request.subject.kind === 'onRegister' ? ((await this.deps.pupils.get(request.schoolId, request.subject.pupilId)) ?? null) : null;
    let answers = request.answers;
    if (answers.caseType === 'suspension' && pupil) {
      // The statutory totals come from the record, not from what someone remembers.
      const decided = await this.deps.cases.listForPupil(request.schoolId, pupil.id);
      const startingOn = answers.stage === 'decided' && answers.decision ? answers.decision.startDate : undefined;
      answers = { ...answers, history: suspensionHistory(decided, new SchoolCalendar(profile.calendar), today, startingOn) };
    }
    const child = pupil ?? (request.subject.kind === 'newStarter' ? routedNewStarter(request.subject) : null);
    const plan = routingPlan(answers.caseType, answers, child, profile, today);
    return { profile, pupil, child, answers, plan, now };
  }

  private record(request: CaseRequest, p: Prepared): CaseRecord {
    return {
      id: newCaseId(p.now),
      ref: newCaseRef(p.answers.caseType),
      schoolId: request.schoolId,
      caseType: p.answers.caseType,
      subject: request.subject,
      answers: p.answers,
      plan: p.plan,
      raisedBy: request.raisedBy,
      raisedAt: p.now.toISOString(),
      raisedOn: londonDate(p.now),
      status: 'open',
      draftId: request.draftId,
      approval: { required: p.plan.steps.some((s) => s.needsApprovalBy !== undefined) },
    };
  }

  private audit(record: CaseRecord, p: Prepared): AuditEntry[] {
    const at = record.raisedAt;
    return [
      {
        caseId: record.id,
        seq: 0,
        at,
        actor: record.raisedBy,
        action: 'raised',
        detail: { caseType: record.caseType, ref: record.ref, subject: record.subject.kind, ...(record.subject.kind === 'onRegister' ? { pupilId: record.subject.pupilId } : {}) },
      },
      {
        caseId: record.id,
        seq: 1,
        at,
        actor: { system: true },
        action: 'routed',
        detail: {
          policy: p.plan.policy.profile,
          inScope: p.plan.inScope,
          steps: p.plan.steps.length,
          stepIds: p.plan.steps.map((s) => s.id).join(','),
          awaitingApproval: p.plan.steps.filter((s) => s.needsApprovalBy).length,
        },
      },
    ];
  }
}
