import { ActivityHandler } from 'botbuilder';
import { createAdapter } from '../bot/adapter';
import { messageEndpoint } from '../bot/messageEndpoint';
import { loadConfigOrExit } from '../host/config';
import { botAuthSettings, storageOptions } from '../host/credentials';
import { createLogger } from '../telemetry/logger';
import { OptimisticConversationState } from '../bot/optimisticState';
import { createBotServer } from '../host/server';
import { TableStateStorage } from '../storage/tableStateStorage';
import { TABLES, TableStore } from '../storage/tableStore';

/**
 * The benchmark's baseline: a bare botbuilder echo bot on this product's own adapter, HTTP server,
 * envelope check and logger, so the only difference from the real bot is the bot's own work.
 *
 * With `ECHO_STATE=tables` it also keeps a turn count in conversation state, read and written each
 * turn through the product's own state storage in Azure Tables: the least any bot that remembers
 * where a conversation is can do per turn, so it shows what storage alone costs on this machine.
 */
class EchoBot extends ActivityHandler {
  constructor(state?: OptimisticConversationState) {
    super();
    const turns = state?.createProperty<number>('turns');
    this.onMessage(async (context, next) => {
      let counted = '';
      if (state && turns) {
        const n = (await turns.get(context, 0)) + 1;
        await turns.set(context, n);
        await state.saveChanges(context);
        counted = ` (turn ${n})`;
      }
      await context.sendActivity(`You said: ${context.activity.text ?? ''}${counted}`);
      await next();
    });
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger(config.logLevel);
  const store = process.env.ECHO_STATE === 'tables' && config.storage ? new TableStore(storageOptions(config.storage, config.tablePrefix)) : undefined;
  if (store) await store.ensureTables();
  const bot = new EchoBot(store ? new OptimisticConversationState(new TableStateStorage(store.client(TABLES.botState))) : undefined);
  const messages = messageEndpoint({ adapter: createAdapter(botAuthSettings(config, undefined), logger), logic: (context) => bot.run(context), allowedServiceUrls: config.allowedServiceUrls, logger });
  const server = createBotServer({ config, messages, checkStorage: async () => undefined, logger });
  const address = await server.listen();
  logger.info({ event: 'listening', port: address.port, state: store ? 'tables' : 'none' }, 'echo bot listening');
  process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
}

void main();
