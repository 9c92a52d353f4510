import { startApp } from '../host/app';
import { loadConfig } from '../host/config';
import { createLogger } from '../telemetry/logger';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * The Agents Playground checks that the bot is up with `HEAD /api/messages` when it starts and
 * when its page loads. That probe is answered (204) rather than refused, so the bot's log carries no
 * 405 warning for it. Anything else sent to the endpoint that is not a POST is still refused and
 * logged.
 */
describe('HEAD /api/messages (the Playground checking the bot is up)', () => {
  const logged: Array<{ level: number; event?: string; status?: number }> = [];
  let app: Awaited<ReturnType<typeof startApp>>;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'debug', TABLE_PREFIX: uniquePrefix(), BOT_MODE: 'local' });
    const logger = createLogger('debug', { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
    app = await startApp(config, logger, { kind: 'connectionString', connectionString: azuriteConnectionString() });
    url = `http://127.0.0.1:${app.address.port}/api/messages`;
  });
  afterAll(async () => {
    await app.stop();
  });

  const warningsSince = (from: number) => logged.slice(from).filter((l) => l.level >= 40);

  it('is answered 204 with no body, and logs no warning', async () => {
    const before = logged.length;
    const res = await fetch(url, { method: 'HEAD' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(warningsSince(before)).toEqual([]);
  });

  it('leaves other methods refused and logged: a GET or OPTIONS is still a refused request', async () => {
    const before = logged.length;
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('HEAD, POST');
    expect((await fetch(url, { method: 'OPTIONS' })).status).toBe(405);
    expect(warningsSince(before).map((l) => [l.event, l.status])).toEqual([
      ['httpError', 405],
      ['httpError', 405],
    ]);
  });
});
