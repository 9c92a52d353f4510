import { benchClockStart } from '../bench/benchClock';
import { startApp } from '../host/app';
import { clockFrom } from '../host/clock';
import { ConfigError, loadConfig } from '../host/config';
import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { createLogger } from '../telemetry/logger';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * CLOCK_START (local mode only) sets the bot's clock, so the benchmark measures a school day's
 * morning whenever it is run: left to the real clock, its reminder jobs did nothing before the
 * school day opened and reminded every concern after, and the same run measured different loads.
 */
describe('CLOCK_START: the bot\'s clock set for a measured run', () => {
  it('is taken in local mode, refused in production, and a malformed one is named', () => {
    expect(loadConfig({}).clockStart).toBeUndefined();
    expect(loadConfig({ CLOCK_START: '2027-02-03T10:00:00Z' }).clockStart?.toISOString()).toBe('2027-02-03T10:00:00.000Z');
    const production = {
      MicrosoftAppId: 'app-id',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant-id',
      MicrosoftAppPassword: 'not-a-real-secret',
      AZURE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    };
    expect(loadConfig(production).clockStart).toBeUndefined();
    expect(() => loadConfig({ ...production, CLOCK_START: '2027-02-03T10:00:00Z' })).toThrow(/^CLOCK_START: a clock set to another time is for local mode only$/);
    expect(() => loadConfig({ CLOCK_START: 'next Wednesday' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLOCK_START: 'next Wednesday' })).toThrow(/^CLOCK_START: must be a date and time with its offset/);
  });

  it('starts the clock at that time and lets it run on in real time', () => {
    let now = Date.parse('2026-11-30T23:47:00Z');
    const clock = clockFrom(new Date('2027-02-03T10:00:00Z'), () => now);
    expect(clock().toISOString()).toBe('2027-02-03T10:00:00.000Z');
    now += 90_000;
    expect(clock().toISOString()).toBe('2027-02-03T10:01:30.000Z');
  });

  it("the bench's clock is 10:00 in London on the demo school's next school day", () => {
    const at = (iso: string) => benchClockStart(new Date(iso)).toISOString();
    expect(at('2026-12-01T00:30:00Z')).toBe('2026-12-01T10:00:00.000Z'); // a Tuesday in term, before school
    expect(at('2026-12-01T19:00:00Z')).toBe('2026-12-01T10:00:00.000Z'); // the same day, after school
    expect(at('2026-12-05T12:00:00Z')).toBe('2026-12-07T10:00:00.000Z'); // a Saturday: the Monday
    expect(at('2026-10-27T09:00:00Z')).toBe('2026-11-02T10:00:00.000Z'); // half term: the Monday after
    expect(at('2026-12-21T09:00:00Z')).toBe('2027-01-05T10:00:00.000Z'); // Christmas, then an INSET day on 4 January
    expect(at('2026-07-01T20:00:00Z')).toBe('2026-07-01T09:00:00.000Z'); // summer time: 10:00 BST
  });

  describe('the running bot', () => {
    const key = 'clock-start-test-key-0123456789';
    let app: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => {
      const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', TABLE_PREFIX: uniquePrefix(), BOT_MODE: 'local', DIGEST_API_KEY: key, CLOCK_START: '2027-02-03T10:00:00Z' });
      app = await startApp(config, createLogger('silent'), { kind: 'connectionString', connectionString: azuriteConnectionString() });
    });
    afterAll(async () => {
      await app.stop();
    });

    it("works by it: the demo school's digest is for the week of that date, not this one", async () => {
      const res = await fetch(`http://127.0.0.1:${app.address.port}/api/digest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ school: DEMO_SCHOOL_ID, dryRun: true }),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('week of Mon 1 Feb 2027');
    });
  });
});
