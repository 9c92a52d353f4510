import pino from 'pino';
import { startApp } from '../../host/app';
import { loadConfig } from '../../host/config';
import { ConnectorStub } from './connectorStub';
import { azuriteConnectionString, uniquePrefix } from './store';

export type TestApp = Awaited<ReturnType<typeof startApp>> & { url: string; prefix: string };

/** The whole bot (storage, adapter, server) in this process, on a random loopback port, with its own tables. */
export async function startTestApp(env: Record<string, string> = {}, connectionString = azuriteConnectionString()): Promise<TestApp> {
  const prefix = env.TABLE_PREFIX ?? uniquePrefix();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TABLE_PREFIX: prefix, ...env });
  const app = await startApp(config, pino({ level: 'silent' }), { kind: 'connectionString', connectionString });
  return { ...app, url: `http://127.0.0.1:${app.address.port}`, prefix };
}

/**
 * The whole bot and a loopback connector it may reply to, started before a suite's tests and
 * stopped after them. `app` is there once the suite's `beforeAll` hooks have run.
 */
export function appWithConnector(env: Record<string, string> = {}): { readonly app: TestApp; readonly connector: ConnectorStub } {
  const connector = new ConnectorStub();
  let app: TestApp | undefined;
  beforeAll(async () => {
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, ...env });
  });
  afterAll(async () => {
    await app?.stop();
    await connector.stop();
  });
  return {
    get app(): TestApp {
      if (!app) throw new Error('the app starts in beforeAll');
      return app;
    },
    connector,
  };
}
