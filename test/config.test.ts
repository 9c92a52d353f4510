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
        'production mode refuses to start without: MicrosoftAppTenantId, a credential (MicrosoftAppType=UserAssignedMSI, MicrosoftAppCertificatePath or MicrosoftAppPassword), storage (AZURE_TABLES_ENDPOINT or AZURE_TABLES_CONNECTION_STRING)',
      );
    }
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MicrosoftAppId, MicrosoftAppType, MicrosoftAppTenantId, a credential/);
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

  it('keeps a quarter of the message capacity for card buttons by default, and refuses a reserve that leaves no room for messages', () => {
    expect(loadConfig({}).invokeReserve).toBe(8);
    expect(loadConfig({ MAX_CONCURRENT_MESSAGES: '3' }).invokeReserve).toBe(0);
    expect(loadConfig({ MAX_CONCURRENT_MESSAGES: '10', INVOKE_RESERVE: '9' }).invokeReserve).toBe(9);
    expect(() => loadConfig({ MAX_CONCURRENT_MESSAGES: '10', INVOKE_RESERVE: '10' })).toThrow(/^INVOKE_RESERVE: must be less than MAX_CONCURRENT_MESSAGES \(10\)/);
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
      'Configuration error: production mode refuses to start without: MicrosoftAppType, MicrosoftAppTenantId, a credential (MicrosoftAppType=UserAssignedMSI, MicrosoftAppCertificatePath or MicrosoftAppPassword), storage (AZURE_TABLES_ENDPOINT or AZURE_TABLES_CONNECTION_STRING)',
    );
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  describe('without secrets', () => {
    const IDENTITY = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const msi = { MicrosoftAppId: IDENTITY, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 'tenant-id', AZURE_TABLES_ENDPOINT: 'https://trustbot.table.core.windows.net' };

    it('runs on the managed identity alone: no password, no key, one identity for the bot, storage and mail', () => {
      const config = loadConfig(msi);
      expect(config.mode).toBe('production');
      expect(config.auth.credential).toEqual({ kind: 'managedIdentity', clientId: IDENTITY });
      expect(config.storage).toEqual({ kind: 'endpoint', endpoint: 'https://trustbot.table.core.windows.net', clientId: IDENTITY });
      expect(config.managedIdentityClientId).toBe(IDENTITY);
    });

    it('refuses a secret or certificate alongside the managed identity, and a second identity for storage', () => {
      expect(() => loadConfig({ ...msi, MicrosoftAppPassword: 'left-over' })).toThrow(/^MicrosoftAppPassword: with MicrosoftAppType=UserAssignedMSI the managed identity is the credential, so remove it$/);
      expect(() => loadConfig({ ...msi, MicrosoftAppCertificatePath: '/var/ssl/bot.pem' })).toThrow(/^MicrosoftAppCertificatePath: with MicrosoftAppType=UserAssignedMSI/);
      expect(() => loadConfig({ ...msi, AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555' })).toThrow(/^AZURE_CLIENT_ID: .* must equal MicrosoftAppId/);
      expect(loadConfig({ ...msi, AZURE_CLIENT_ID: IDENTITY.toUpperCase() }).managedIdentityClientId).toBe(IDENTITY);
    });

    it('takes a certificate file instead of a secret, and one of them only', () => {
      const base = { MicrosoftAppId: IDENTITY, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 't', AZURE_TABLES_ENDPOINT: 'https://trustbot.table.core.windows.net' };
      expect(loadConfig({ ...base, MicrosoftAppCertificatePath: '/var/ssl/bot.pem' }).auth.credential).toEqual({ kind: 'certificate', path: '/var/ssl/bot.pem' });
      expect(() => loadConfig({ ...base, MicrosoftAppCertificatePath: '/var/ssl/bot.pem', MicrosoftAppPassword: 'p' })).toThrow(/^MicrosoftAppPassword: set it or MicrosoftAppCertificatePath, not both$/);
    });

    it('storage is an https endpoint or a connection string, never both', () => {
      expect(() => loadConfig({ ...msi, AZURE_TABLES_ENDPOINT: 'http://trustbot.table.core.windows.net' })).toThrow(/^AZURE_TABLES_ENDPOINT: must be an https URL/);
      expect(() => loadConfig({ ...msi, AZURE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toThrow(/^AZURE_TABLES_ENDPOINT: set it or AZURE_TABLES_CONNECTION_STRING, not both/);
      expect(() => loadConfig({ ...msi, AZURE_CLIENT_ID: 'not-a-guid' })).toThrow(/^AZURE_CLIENT_ID: must be a managed identity's client id/);
    });

    it('the bot process names a certificate it cannot use, in one line, without starting', () => {
      const run = spawnSync(process.execPath, ['--disable-warning=DEP0111', BOT_ENTRY], {
        env: {
          PATH: process.env.PATH,
          MicrosoftAppId: IDENTITY,
          MicrosoftAppType: 'SingleTenant',
          MicrosoftAppTenantId: 'tenant-id',
          MicrosoftAppCertificatePath: '/nonexistent/bot.pem',
          AZURE_TABLES_ENDPOINT: 'https://trustbot.table.core.windows.net',
        },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe('Configuration error: MicrosoftAppCertificatePath: cannot read /nonexistent/bot.pem (ENOENT)');
    });
  });
});
