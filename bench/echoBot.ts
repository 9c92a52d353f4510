import { ActivityHandler } from 'botbuilder';
import { createAdapter } from '../bot/adapter';
import { loadConfigOrExit } from '../bot/config';
import { createLogger } from '../bot/logger';
import { createBotServer } from '../bot/server';

/**
 * The benchmark's baseline: a bare botbuilder echo bot on this product's own adapter, HTTP server,
 * envelope check and logger, so the only difference from the real bot is the bot's own work.
 */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger(config.logLevel);
  const bot = new EchoBot();
  const server = createBotServer({ config, adapter: createAdapter(config, logger), logic: (context) => bot.run(context), checkStorage: async () => undefined, logger });
  const address = await server.listen();
  logger.info({ event: 'listening', port: address.port }, 'echo bot listening');
  process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
}

void main();
