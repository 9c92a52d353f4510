import { TurnContext } from 'botbuilder';
import { Config } from './config';
import { createAdapter } from './adapter';
import { composeBot } from './composition';
import { Logger } from './logger';
import { AdapterProactiveSender } from './proactive';
import { BotServer, createBotServer } from './server';
import { seedDemoSchoolIfEmpty } from './demo/seed';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TableStore, TABLES } from '../storage/tableStore';

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
  const sender = new AdapterProactiveSender(adapter, config.auth.appId, config.allowedServiceUrls);
  const { bot } = composeBot(store, logger, sender, { demo: config.mode === 'local', allowedTenantIds: config.allowedTenantIds });
  const server = createBotServer({
    config,
    adapter,
    logic: (context: TurnContext) => bot.run(context),
    checkStorage: () => store.ping(),
    logger,
  });
  const address = await server.listen();
  return { server, store, address, stop: () => server.stop() };
}
