import pino from 'pino';
import { startApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { azuriteConnectionString, uniquePrefix } from './store';

export type TestApp = Awaited<ReturnType<typeof startApp>> & { url: string; prefix: string };

/** The whole bot (storage, adapter, server) in this process, on a random loopback port, with its own tables. */
export async function startTestApp(env: Record<string, string> = {}, connectionString = azuriteConnectionString()): Promise<TestApp> {
  const prefix = env.TABLE_PREFIX ?? uniquePrefix();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TABLE_PREFIX: prefix, ...env });
  const app = await startApp(config, pino({ level: 'silent' }), connectionString);
  return { ...app, url: `http://127.0.0.1:${app.address.port}`, prefix };
}
