import { TurnContext } from 'botbuilder';
import { Config } from './config';
import { createAdapter } from './adapter';
import { Logger } from './logger';
import { OptimisticConversationState } from './optimisticState';
import { SchoolDirectory } from './schoolDirectory';
import { BotServer, createBotServer } from './server';
import { SocialWorkerBot } from './teamsBot';
import { seedDemoSchoolIfEmpty } from './demo/seed';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TableStateStorage } from '../storage/tableStateStorage';
import { TableStore, TABLES } from '../storage/tableStore';

export interface App {
  server: BotServer;
  store: TableStore;
  stop(): Promise<void>;
}

/** Wires configuration, storage, the bot and the HTTP server together. No I/O happens before `start`. */
export async function startApp(config: Config, logger: Logger, connectionString: string): Promise<App & { address: { host: string; port: number } }> {
  const store = new TableStore({ connectionString, tablePrefix: config.tablePrefix });
  await store.ensureTables();
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupils = new PupilRepository(store.client(TABLES.pupils));
  if (config.loadDemoSchool) {
    const seeded = await seedDemoSchoolIfEmpty(schools, pupils);
    if (seeded) logger.info({ event: 'demoSeeded', school: seeded }, 'loaded the synthetic demo school into an empty store');
  }
  const conversationState = new OptimisticConversationState(new TableStateStorage(store.client(TABLES.botState)));
  const bot = new SocialWorkerBot({
    conversationState,
    conversationRefs: new ConversationRefRepository(store.client(TABLES.conversationRefs)),
    directory: new SchoolDirectory(schools),
    logger,
    demo: config.mode === 'local',
    allowedTenantIds: config.allowedTenantIds,
  });
  const adapter = createAdapter(config, logger);
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
