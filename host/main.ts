import { loadConfigOrExit } from './config';
import { createLogger } from '../telemetry/logger';
import { startApp } from './app';
import { errorSummary } from '../telemetry/errors';
import { keepHeapCompact } from './heap';

/**
 * The bot process. `npm start` runs it behind the local launcher (which provides Azurite);
 * in production the host provides AZURE_TABLES_CONNECTION_STRING.
 */
async function main(): Promise<void> {
  keepHeapCompact();
  const config = loadConfigOrExit(process.env);
  // Locally the bot writes emails about children under the data folder: its owner's only.
  if (config.mode === 'local') process.umask(0o077);
  const logger = createLogger(config.logLevel);
  if (!config.storageConnectionString) {
    process.stderr.write(
      'Configuration error: AZURE_TABLES_CONNECTION_STRING is not set. Run "npm start" for the local set-up with its own Azurite, or set it.\n',
    );
    process.exit(2);
  }
  const app = await startApp(config, logger, config.storageConnectionString);
  logger.info({ event: 'listening', mode: config.mode, host: app.address.host, port: app.address.port }, 'bot listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'finishing in-flight turns');
    await app.stop();
    logger.info({ event: 'stopped' }, 'bot stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`The bot could not start: ${errorSummary(err).message}\n`);
  process.exit(1);
});
