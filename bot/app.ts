import { TurnContext } from 'botbuilder';
import { Config } from './config';
import { createAdapter } from './adapter';
import { composeBot } from './composition';
import { Logger } from './logger';
import path from 'node:path';
import { EmlMailer } from './mail/emlMailer';
import { GraphMailer } from './mail/graphMailer';
import { Mailer } from './mail/mailer';
import { DEFAULT_RETRY } from './jobs/outboxSender';
import { Periodic } from './jobs/periodic';
import { AdapterProactiveSender } from './proactive';
import { RateLimitedSender } from './rateLimitedSender';
import { BotServer, createBotServer } from './server';
import { seedDemoSchoolIfEmpty } from './demo/seed';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { TableStore, TABLES } from '../storage/tableStore';
import { tabRoutes } from '../tab/server/composeTab';
import { registerUpload } from '../tab/server/registerUpload';
import { RegisterImporter } from './registerImporter';

export interface App {
  server: BotServer;
  store: TableStore;
  stop(): Promise<void>;
}

/** Wires configuration, storage, the bot and the HTTP server together, then listens. */
export async function startApp(config: Config, logger: Logger, connectionString: string): Promise<App & { address: { host: string; port: number } }> {
  const store = new TableStore({ connectionString, tablePrefix: config.tablePrefix });
  await store.ensureTables();
  if (config.loadDemoSchool) {
    const seeded = await seedDemoSchoolIfEmpty(new SchoolRepository(store.client(TABLES.schools)), new PupilRepository(store.client(TABLES.pupils)));
    if (seeded) logger.info({ event: 'demoSeeded', school: seeded }, 'loaded the synthetic demo school into an empty store');
  }
  const adapter = createAdapter(config, logger);
  const sender = new RateLimitedSender(new AdapterProactiveSender(adapter, config.auth.appId, config.allowedServiceUrls));
  const parts = composeBot(store, logger, sender, {
    demo: config.mode === 'local',
    allowedTenantIds: config.allowedTenantIds,
    mailer: mailerFor(config),
    retry: { ...DEFAULT_RETRY, leaseMs: config.outboxLeaseMs },
    tabUrl: config.publicBaseUrl ? `${config.publicBaseUrl.replace(/\/$/, '')}/tab/` : undefined,
  });
  const { bot } = parts;
  const recordAudit = new RecordAuditRepository(store.client(TABLES.cases), parts.cases.chain);
  const importer = new RegisterImporter({ pupils: parts.pupilRepo, audit: recordAudit, schools: parts.schools, directory: parts.pupils, clock: () => new Date() });
  const server = createBotServer({
    config,
    adapter,
    logic: (context: TurnContext) => bot.run(context),
    checkStorage: () => store.ping(),
    digest: async (schoolId, dryRun) => {
      const school = (await parts.directory.all()).find((s) => s.id === schoolId);
      if (!school) return undefined;
      if (dryRun) return { card: (await parts.digests.build(school, new Date())).card };
      return { posted: await parts.digests.post(school, new Date()) };
    },
    logger,
    routes: tabRoutes(config, { ...parts, recordAudit, upload: registerUpload(importer) }, logger),
  });
  const address = await server.listen();
  parts.outbox.start(config.outboxIntervalMs);
  const jobs = [
    new Periodic('approvalReminders', () => parts.reminders.runOnce(), logger),
    new Periodic('deadlineReminders', () => parts.deadlines.runOnce(), logger),
    new Periodic('pepReminders', () => parts.pepReminders.runOnce(), logger),
    new Periodic('weeklyDigest', () => parts.weeklyDigest.runOnce(), logger),
  ];
  for (const job of jobs) job.start(config.reminderIntervalMs);
  return {
    server,
    store,
    address,
    stop: async () => {
      await server.stop();
      await parts.background.settled();
      await Promise.all([parts.outbox.stop(), ...jobs.map((j) => j.stop())]);
    },
  };
}

/** Local mode writes emails as .eml files; production sends them with Microsoft Graph as the bot's app registration. */
function mailerFor(config: Config): Mailer {
  if (config.mode === 'local') return new EmlMailer(path.join(config.dataDir, 'emails'));
  return new GraphMailer({
    tenantId: config.auth.tenantId,
    clientId: config.auth.appId,
    clientSecret: config.auth.appPassword,
    graphBaseUrl: config.graphBaseUrl,
    authorityHost: config.authorityHost,
  });
}
