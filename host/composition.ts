import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TableStateStorage } from '../storage/tableStateStorage';
import { TABLES, TableStore } from '../storage/tableStore';
import { ActionTracker } from '../services/actionTracker';
import { NewStarterMatcher } from '../services/newStarterMatcher';
import { ApprovalService } from '../services/approvalService';
import { BackgroundWork, DEFAULT_BACKGROUND, OUTBOX_GIVES_WAY_MS, RequestGauge } from '../services/backgroundWork';
import { CaseService } from '../services/caseService';
import { ApprovalReminders } from '../jobs/approvalReminders';
import { DeadlineReminders } from '../jobs/deadlineReminders';
import { PepReminders } from '../jobs/pepReminders';
import { WeeklyDigest } from '../jobs/weeklyDigest';
import { AuditVerification } from '../jobs/auditVerification';
import { RetentionSweep } from '../jobs/retentionSweep';
import { RetentionJob } from '../services/retention';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { RetentionStore } from '../storage/retentionStore';
import { DigestService } from '../services/digestService';
import { AttendanceHistoryRepository } from '../storage/attendanceHistoryRepository';
import { OutboxSender, RetryPolicy } from '../delivery/outboxSender';
import { Logger } from '../telemetry/logger';
import { AppMetrics } from '../telemetry/metrics';
import { Mailer } from '../delivery/mail/mailer';
import { OptimisticConversationState } from '../bot/optimisticState';
import { ProactiveSender } from '../delivery/proactive';
import { PupilDirectory } from '../services/pupilDirectory';
import { SchoolDirectory } from '../services/schoolDirectory';
import { StaffCards } from '../services/staffCards';
import { SocialWorkerBot } from '../bot/teamsBot';
import { SettingsHandlers } from '../bot/settingsHandlers';
import { SchoolSettings } from '../services/schoolSettings';
import { SchoolSetup } from '../services/schoolSetup';
import { StaffRoster } from '../services/staffRoster';
import { StaffRepository } from '../storage/staffRepository';
import { TrustRepository } from '../storage/trustRepository';
import { TeamRoster } from '../delivery/teamRoster';
import { GraphGroupMembers } from '../delivery/graphGroup';
import { virtualSchoolAsk } from '../jobs/virtualSchoolAsk';
import { RosterSync } from '../jobs/rosterSync';
import { TermDatesWarning } from '../jobs/termDatesWarning';
import { RegisterPickupJob } from '../jobs/registerPickup';
import { RegisterDropSource, registerDropSourceFor, RegisterPickup } from '../services/registerPickup';
import { RegisterImporter } from '../services/registerImporter';
import { RegisterSource } from '../policy/schoolProfile';

export interface BotOptions {
  demo: boolean;
  allowedTenantIds: readonly string[];
  mailer: Mailer;
  clock?: () => Date;
  retry?: RetryPolicy;
  random?: () => number;
  instanceId?: string;
  /** Where the dashboard tab is served, for links from the digest. */
  tabUrl?: string;
  /** The operator's metrics; made here when not given (tests that do not look at them). */
  metrics?: AppMetrics;
  /** Reads a Teams team's members (the staff team's roster); absent, staff come from the profile only. */
  roster?: TeamRoster;
  /** Reads an Entra ID staff group's members with Microsoft Graph (production only). */
  groups?: GraphGroupMembers;
  /** How long profiles and rosters are cached per instance (a minute unless set). */
  profileCacheMs?: number;
  /** Where a school's scheduled register exports are read from (a folder, a blob container). */
  registerSources?: (source: RegisterSource) => RegisterDropSource;
}

/** Everything the bot is made of, wired on one table store. Used by the server and by tests alike. */
export function composeBot(store: TableStore, logger: Logger, sender: ProactiveSender, options: BotOptions) {
  const clock = options.clock ?? (() => new Date());
  const metrics = options.metrics ?? new AppMetrics();
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupilRepo = new PupilRepository(store.client(TABLES.pupils));
  const cases = new CaseRepository(store.client(TABLES.cases));
  const conversationRefs = new ConversationRefRepository(store.client(TABLES.conversationRefs));
  const staffRepo = new StaffRepository(store.client(TABLES.staff));
  const trusts = new TrustRepository(store.client(TABLES.schools));
  const directory = new SchoolDirectory(schools, options.profileCacheMs ?? 60_000, Date.now, { staff: staffRepo, trusts });
  const pupils = new PupilDirectory(pupilRepo);
  const cards = new StaffCards({ cases, pupils, conversationRefs });
  // Counted by the server around each request; the work after answers gives way while it is high.
  const requests = new RequestGauge();
  const outbox = new OutboxSender({
    cases,
    directory,
    conversationRefs,
    cards,
    sender,
    mailer: options.mailer,
    logger,
    clock,
    retry: options.retry,
    random: options.random,
    instanceId: options.instanceId,
    metrics,
    giveWay: () => requests.quieterThan(DEFAULT_BACKGROUND.busyAt, OUTBOX_GIVES_WAY_MS),
  });
  const peps = new PepRepository(store.client(TABLES.cases));
  const background = new BackgroundWork(logger, requests);
  const recordAudit = new RecordAuditRepository(store.client(TABLES.cases), cases.chain);
  const tell = async (tenantId: string, aadObjectId: string, text: string) => {
    const ref = await conversationRefs.findPersonal(tenantId, aadObjectId);
    if (!ref) return false;
    await sender.send(ref, { type: 'message', text });
    return true;
  };
  const importer = new RegisterImporter({ pupils: pupilRepo, audit: recordAudit, schools, directory: pupils, clock });
  const registerPickup = new RegisterPickupJob({
    schools: () => directory.all(),
    cases,
    conversationRefs,
    sender,
    logger,
    clock,
    instanceId: options.instanceId,
    tabUrl: options.tabUrl,
    pickup: new RegisterPickup({ importer, audit: recordAudit, logger, clock }),
    sourceFor: options.registerSources ?? ((s) => registerDropSourceFor(s, {})),
  });
  const setup = new SchoolSetup({ schools, staff: staffRepo, audit: recordAudit, trusts, clock, changed: () => directory.invalidate() });
  const settings = new SchoolSettings({ schools, audit: recordAudit, directory, trusts, clock, tell });
  const roster = new StaffRoster({ staff: staffRepo, conversationRefs, directory, roster: options.roster, groups: options.groups, logger, clock });
  const askForContact = virtualSchoolAsk({ cases, conversationRefs, sender, logger, clock });
  const services = new CaseService({ directory, pupils, cases, outbox, peps, background, logger, clock, askForContact });
  const pepReminders = new PepReminders({ schools: () => directory.all(), pupils, peps, conversationRefs, sender, logger, clock });
  const digests = new DigestService({ cases, pupils: pupilRepo, peps, attendanceHistory: new AttendanceHistoryRepository(store.client(TABLES.cases)), conversationRefs, directory, sender, logger, clock, tabUrl: options.tabUrl });
  const weeklyDigest = new WeeklyDigest({ cases, schools: () => directory.all(), digests, logger, clock, instanceId: options.instanceId, metrics });
  const approvals = new ApprovalService({ cases, cards, sender, outbox, background, logger, clock });
  const reminders = new ApprovalReminders({ cases, schools: () => directory.all(), outbox, logger, clock });
  const deadlines = new DeadlineReminders({ cases, schools: () => directory.all(), outbox, logger, clock });
  const auditVerification = new AuditVerification({ cases, chain: cases.chain, schools: () => directory.all(), conversationRefs, sender, logger, clock, instanceId: options.instanceId });
  const retention = new RetentionJob({
    store: new RetentionStore(store.client(TABLES.cases), store.client(TABLES.pupils)),
    pupils: pupilRepo,
    audit: recordAudit,
    clock,
  });
  const retentionSweep = new RetentionSweep({ cases, retention, schools: () => directory.all(), conversationRefs, sender, logger, clock, instanceId: options.instanceId });
  const rosterSync = new RosterSync({ cases, roster, schools: () => directory.all(), conversationRefs, sender, logger, clock, instanceId: options.instanceId });
  const termDatesWarning = new TermDatesWarning({ cases, schools: () => directory.all(), conversationRefs, sender, logger, clock, instanceId: options.instanceId });
  const conversationState = new OptimisticConversationState(new TableStateStorage(store.client(TABLES.botState)));
  const bot = new SocialWorkerBot({
    conversationState,
    conversationRefs,
    directory,
    services,
    cases,
    approvals,
    tracker: new ActionTracker({ cases, clock, pupils }),
    newStarters: new NewStarterMatcher({ cases, pupils, cards, clock, logger }),
    afterTurn: (work) => background.run('afterTurn', work),
    releaseWaitingFor: (tenantId, aad) => outbox.releaseWaitingFor(tenantId, aad),
    logger,
    demo: options.demo,
    allowedTenantIds: options.allowedTenantIds,
    settings: new SettingsHandlers({ directory, settings, roster, staff: staffRepo, logger, afterTurn: (work) => background.run('settings', work) }),
    roster,
  });
  return { metrics, requests, bot, services, cases, schools, pupilRepo, pupils, directory, conversationRefs, conversationState, outbox, approvals, reminders, deadlines, cards, background, peps, pepReminders, digests, weeklyDigest, auditVerification, retention, retentionSweep, staffRepo, trusts, settings, roster, recordAudit, rosterSync, termDatesWarning, importer, registerPickup, setup };
}
