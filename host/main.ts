import { ConfigError, loadConfigOrExit } from './config';
import { createLogger } from '../telemetry/logger';
import { startApp } from './app';
import { errorSummary } from '../telemetry/errors';
import { keepHeapCompact } from './heap';
import { startAzureMonitor } from '../telemetry/azureMonitor';

/**
 * The bot process. `npm start` runs it behind the local launcher (which provides Azurite);
 * in production the host names the storage account (AZURE_TABLES_ENDPOINT, reached with the managed identity).
 */
async function main(): Promise<void> {
  keepHeapCompact();
  const config = loadConfigOrExit(process.env);
  // Locally the bot writes emails about children under the data folder: its owner's only.
  if (config.mode === 'local') process.umask(0o077);
  const logger = createLogger(config.logLevel);
  // Before anything else is made, so the app's meters and tracers come from its providers.
  const telemetry = startAzureMonitor(config.appInsightsConnectionString);
  if (!config.storage) {
    process.stderr.write(
      'Configuration error: no storage is set (AZURE_TABLES_ENDPOINT or AZURE_TABLES_CONNECTION_STRING). Run "npm start" for the local set-up with its own Azurite, or set one.\n',
    );
    process.exit(2);
  }
  const app = await startApp(config, logger, config.storage);
  logger.info({ event: 'listening', mode: config.mode, host: app.address.host, port: app.address.port }, 'bot listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'finishing in-flight turns');
    await app.stop();
    await telemetry.shutdown().catch(() => undefined);
    logger.info({ event: 'stopped' }, 'bot stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // A setting that only proves wrong once read (a certificate file) is a configuration error too.
  if (err instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`The bot could not start: ${errorSummary(err).message}\n`);
  process.exit(1);
});
