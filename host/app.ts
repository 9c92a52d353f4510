import { watchEventLoopStalls } from '../telemetry/eventLoopStalls';
import { Config, StorageTarget } from './config';
import { appIdentityCredential, botAuthSettings, certificateFor, graphCredential, LoadedCertificate, storageOptions } from './credentials';
import { registerDropSourceFor, RegisterSourceError } from '../services/registerPickup';
import { createAdapter } from '../bot/adapter';
import { messageEndpoint } from '../bot/messageEndpoint';
import { ChannelTokenVerifier } from '../bot/channelToken';
import { composeBot } from './composition';
import { Logger } from '../telemetry/logger';
import path from 'node:path';
import { EmlMailer } from '../delivery/mail/emlMailer';
import { GraphMailer } from '../delivery/mail/graphMailer';
import { Mailer } from '../delivery/mail/mailer';
import { DEFAULT_RETRY } from '../delivery/outboxSender';
import { Periodic } from '../jobs/periodic';
import { AdapterProactiveSender } from '../delivery/proactive';
import { RateLimitedSender } from '../delivery/rateLimitedSender';
import { BotServer, createBotServer } from './server';
import { seedDemoSchoolIfEmpty } from '../demo/seed';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { AdapterTeamRoster } from '../delivery/teamRoster';
import { GraphGroupMembers } from '../delivery/graphGroup';
import { TableStore, TABLES } from '../storage/tableStore';
import { tabRoutes } from '../tab/server/composeTab';
import { registerUpload } from '../tab/server/registerUpload';
import { RefusalLog, SettingsRefusals } from '../services/refusalLog';
import { AppMetrics } from '../telemetry/metrics';
import { clockFrom } from './clock';
import { warmUp } from '../services/warmUp';

export interface App {
  server: BotServer;
  store: TableStore;
  /** Writes the counts of repeated refusals now, rather than when their windows close (also done on stop). */
  flushAudit(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires configuration, storage, the bot and the HTTP server together, then listens. */
export async function startApp(config: Config, logger: Logger, storage: StorageTarget): Promise<App & { address: { host: string; port: number } }> {
  const certificate = certificateFor(config);
  if (certificate && certificate.validTo.getTime() - Date.now() < CERTIFICATE_WARNING_MS) {
    logger.warn({ event: 'certificateExpiring', validTo: certificate.validTo.toISOString() }, 'the bot certificate expires within 30 days: rotate it (docs/OPERATIONS.md)');
  }
  const metrics = new AppMetrics();
  const store = new TableStore({ ...storageOptions(storage, config.tablePrefix), onCall: (call) => metrics.storageCall(call.method, call.status, call.durationMs) });
  await store.ensureTables();
  if (config.loadDemoSchool) {
    const seeded = await seedDemoSchoolIfEmpty(new SchoolRepository(store.client(TABLES.schools)), new PupilRepository(store.client(TABLES.pupils)), config.demoPolicy);
    if (seeded) logger.info({ event: 'demoSeeded', school: seeded }, 'loaded the synthetic demo school into an empty store');
  }
  const adapter = createAdapter(botAuthSettings(config, certificate), logger);
  // A staff group is read with Graph as the app's own identity (production only).
  const graph = config.mode === 'production' ? graphCredential(config, certificate) : undefined;
  // Built once, so its token is cached across passes: the identity reads the MIS's drop container.
  const blobCredential = config.mode === 'production' ? appIdentityCredential(config) : undefined;
  const groupReader = graph ? new GraphGroupMembers({ credential: graph, graphBaseUrl: config.graphBaseUrl }) : undefined;
  const sender = new RateLimitedSender(new AdapterProactiveSender(adapter, config.auth.appId, config.allowedServiceUrls));
  const clock = config.clockStart ? clockFrom(config.clockStart) : () => new Date();
  if (config.clockStart) logger.warn({ event: 'clockSet', startsAt: config.clockStart.toISOString() }, 'the bot\'s clock was set by CLOCK_START (local mode only)');
  const parts = composeBot(store, logger, sender, {
    demo: config.mode === 'local',
    clock,
    allowedTenantIds: config.allowedTenantIds,
    mailer: mailerFor(config, certificate),
    retry: { ...DEFAULT_RETRY, leaseMs: config.outboxLeaseMs },
    tabUrl: config.publicBaseUrl ? `${config.publicBaseUrl.replace(/\/$/, '')}/tab/` : undefined,
    metrics,
    profileCacheMs: config.profileCacheMs,
    roster: new AdapterTeamRoster(adapter, config.auth.appId, config.allowedServiceUrls),
    ...(groupReader ? { groups: groupReader } : {}),
    registerSources: (source) => {
      // In production a folder source must be inside REGISTER_DROP_ROOT: a profile must not name any folder the server can read.
      if (source.kind === 'folder' && config.mode === 'production' && !config.registerDropRoot) throw new RegisterSourceError('a folder register source needs REGISTER_DROP_ROOT set on the server');
      return registerDropSourceFor(source, { ...(blobCredential ? { blobCredential } : {}), ...(config.registerDropRoot ? { folderRoot: config.registerDropRoot } : {}) });
    },
  });
  const { bot } = parts;
  const { recordAudit } = parts;
  const refusals = new RefusalLog(recordAudit, clock);
  const settingsRefusals = new SettingsRefusals(recordAudit, clock);
  const flushRefusals = async () => {
    await refusals.flush();
    await settingsRefusals.flush();
  };
  const { importer } = parts;
  const server = createBotServer({
    config,
    messages: messageEndpoint({
      adapter,
      logic: (context) => bot.run(context),
      allowedServiceUrls: config.allowedServiceUrls,
      invokeBusyAfterMs: config.invokeBusyAfterMs,
      logger,
      ...(config.mode === 'production' ? { tokens: new ChannelTokenVerifier({ metadataUrl: config.botOpenIdMetadataUrl, issuer: config.botTokenIssuer, appId: config.auth.appId }) } : {}),
    }),
    requests: parts.requests,
    checkStorage: () => store.ping(),
    digest: async (schoolId, dryRun) => {
      const school = (await parts.directory.all()).find((s) => s.id === schoolId);
      if (!school) return undefined;
      if (dryRun) return { card: (await parts.digests.build(school, clock())).card };
      return await parts.digests.post(school, clock());
    },
    logger,
    routes: tabRoutes(config, { ...parts, recordAudit, refusals, settingsRefusals, upload: registerUpload(importer) }, logger, clock),
  });
  // Before listening: no request can reach the instance before then, so the first ones find it warm.
  await warmUp({ schools: () => parts.directory.all(), roster: (id) => parts.directory.warmRoster(id), register: (id) => parts.pupils.all(id) }, logger);
  const address = await server.listen();
  // A held thread delays every answer in flight at once: logged, so a burst of slow answers can be told from slow storage.
  const stalls = watchEventLoopStalls((stall) => logger.warn({ event: 'eventLoopStalled', ms: Math.round(stall.ms) }, 'the thread was held; every request in flight waited'), { overMs: 250 });
  parts.outbox.start(config.outboxIntervalMs);
  const jobs = [
    new Periodic('approvalReminders', () => parts.reminders.runOnce(), logger, metrics),
    new Periodic('deadlineReminders', (signal) => parts.deadlines.runOnce(signal), logger, metrics),
    new Periodic('pepReminders', (signal) => parts.pepReminders.runOnce(signal), logger, metrics),
    new Periodic('weeklyDigest', () => parts.weeklyDigest.runOnce(), logger, metrics),
    new Periodic('auditVerify', () => parts.auditVerification.runOnce(), logger, metrics),
    new Periodic('retention', () => parts.retentionSweep.runOnce(), logger, metrics),
    new Periodic('rosterSync', () => parts.rosterSync.runOnce(), logger, metrics),
    new Periodic('termDates', () => parts.termDatesWarning.runOnce(), logger, metrics),
    new Periodic('registerPickup', () => parts.registerPickup.runOnce(), logger, metrics),
  ];
  for (const job of jobs) job.start(config.reminderIntervalMs);
  return {
    server,
    store,
    address,
    flushAudit: flushRefusals,
    stop: async () => {
      const began = performance.now();
      const phase = (name: string, msg: string, more: { queued?: number } = {}) => logger.info({ event: 'stopPhase', phase: name, ...more, ms: Math.round(performance.now() - began) }, msg);
      await server.stop();
      phase('requestsFinished', 'no request in flight');
      await flushRefusals().catch(() => undefined);
      const dropped = parts.background.dropQueued();
      if (dropped > 0) logger.info({ event: 'backgroundDropped', dropped }, 'work after answers not yet started is left to the outbox');
      phase('backgroundWaited', 'waiting for work after answers', { queued: parts.background.queued });
      await parts.background.settled();
      phase('backgroundSettled', 'work after answers finished');
      await Promise.all([parts.outbox.stop(), ...jobs.map((j) => j.stop())]);
      stalls.stop();
    },
  };
}

/** Local mode writes emails as .eml files; production sends them with Microsoft Graph as the bot's own identity. */
function mailerFor(config: Config, certificate: LoadedCertificate | undefined): Mailer {
  const credential = config.mode === 'local' ? undefined : graphCredential(config, certificate);
  if (!credential) return new EmlMailer(path.join(config.dataDir, 'emails'));
  return new GraphMailer({ credential, graphBaseUrl: config.graphBaseUrl });
}

/** A certificate this close to expiry is logged at every start, so an alert on warnings catches it. */
const CERTIFICATE_WARNING_MS = 30 * 24 * 3600 * 1000;
