import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../host/config';

const BOT_ENTRY = path.join(__dirname, '..', 'dist', 'host', 'main.js');

describe('configuration', () => {
  it('defaults to local mode on loopback when no Microsoft app id is set', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('local');
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3978);
    expect(config.auth.appId).toBe('');
    expect(config.loadDemoSchool).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
  });

  it('refuses production mode without credentials, naming every missing setting', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app-id' })).toThrow(ConfigError);
    try {
      loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppType: 'SingleTenant' });
    } catch (err) {
      expect((err as Error).message).toBe(
        'production mode refuses to start without: MicrosoftAppTenantId, MicrosoftAppPassword, AZURE_TABLES_CONNECTION_STRING',
      );
    }
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MicrosoftAppId, MicrosoftAppType, MicrosoftAppTenantId, MicrosoftAppPassword/);
  });

  it('starts production mode when everything is set, listening on all interfaces and trusting only Teams service URLs', () => {
    const config = loadConfig({
      MicrosoftAppId: 'app-id',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant-id',
      MicrosoftAppPassword: 'not-a-real-secret',
      AZURE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    expect(config.mode).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(config.allowedServiceUrls).toEqual(['https://smba.trafficmanager.net/']);
    expect(config.loadDemoSchool).toBe(false);
  });

  it('gives a one-line error naming the variable for a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: must be a whole number \(got "eighty"\)$/);
    expect(() => loadConfig({ MicrosoftAppType: 'Everyone' })).toThrow(/^MicrosoftAppType: /);
    expect(() => loadConfig({ ALLOWED_SERVICE_URLS: 'not a url' })).toThrow(/^ALLOWED_SERVICE_URLS: /);
  });

  it('will not expose unauthenticated local mode beyond loopback', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST: local mode has no authentication/);
  });

  it('the demo school cannot be switched on in production', () => {
    expect(() =>
      loadConfig({
        BOT_MODE: 'production',
        MicrosoftAppId: 'a',
        MicrosoftAppType: 'MultiTenant',
        MicrosoftAppTenantId: 't',
        MicrosoftAppPassword: 'p',
        AZURE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        LOAD_DEMO_SCHOOL: 'true',
      }),
    ).toThrow(/LOAD_DEMO_SCHOOL/);
  });

  it('the bot process refuses to start in production mode without credentials, with a clear message and no stack trace', () => {
    const run = spawnSync(process.execPath, [BOT_ENTRY], {
      env: { PATH: process.env.PATH, MicrosoftAppId: '11111111-2222-3333-4444-555555555555' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'Configuration error: production mode refuses to start without: MicrosoftAppType, MicrosoftAppTenantId, MicrosoftAppPassword, AZURE_TABLES_CONNECTION_STRING',
    );
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
