import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AppCredentials, ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { exportJWK, exportSPKI, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import { DEMO_STAFF, demoSchool } from '../demo/demoSchool';
import { screenChannelToken } from '../bot/adapter';
import { ConfigError, loadConfig } from '../host/config';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { ConnectorStub } from './support/connectorStub';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * Inbound Bot Framework authentication in production mode. A loopback OpenID metadata server stands
 * in for login.botframework.com and publishes two keys: one endorsed for Teams and one for other
 * channels only. Tokens are built as the Bot Connector builds them; every refusal sits next to an
 * accepted token built the same way, so a refusal cannot pass merely because the helpers produce
 * broken tokens. A refusal must be a bare 401, with no reply to the connector and nothing stored.
 */

const APP_ID = '6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const APP_TENANT = 'c0ffee00-1234-4abc-9def-0123456789ab';
const OTHER_APP_ID = 'd4c3b2a1-9f8e-4d7c-8b6a-5f4e3d2c1b0a';
const TEAMS_KID = 'bf-teams-key';
const OTHER_CHANNELS_KID = 'bf-webchat-key';
/** Published keys that endorse no channel: one without the field, one with an empty list. */
const NO_ENDORSEMENTS_KID = 'bf-no-endorsements';
const EMPTY_ENDORSEMENTS_KID = 'bf-empty-endorsements';
/** The public cloud's issuer: the setting must replace it, not add to it. */
const PUBLIC_CLOUD_ISSUER = 'https://api.botframework.com';
/** The Bot Framework tenant's Entra ID issuer, which botbuilder takes for the Emulator's. */
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
const UNAUTHORISED = { error: 'Unauthorized.' };

const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

let metadata: Server;
let metadataBase: string;
let issuer: string;
const metadataRequests: string[] = [];
let teamsKey: KeyLike;
let otherChannelsKey: KeyLike;
let unendorsedKey: KeyLike;
let attackerKey: KeyLike;
let teamsPublicPem: string;

let connector: ConnectorStub;
let app: TestApp;
let consoleErrors: jest.SpyInstance;

/** Claims as the Bot Connector issues them for an activity to this bot. */
function channelClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return { serviceurl: connector.url, nbf: now - 60, exp: now + 3600, iss: issuer, aud: APP_ID, ...overrides };
}

function signed(claims: JWTPayload, key: KeyLike = teamsKey, kid = TEAMS_KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

function serveMetadata(keys: unknown[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    metadataRequests.push(`${req.method} ${req.url}`);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/v1/.well-known/openidconfiguration') {
      return json({
        issuer,
        authorization_endpoint: `${metadataBase}/v1/auth`,
        jwks_uri: `${metadataBase}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.method === 'GET' && req.url === '/v1/.well-known/keys') return json({ keys });
    res.writeHead(404);
    res.end();
  };
}

const botStateRows = () => countRows(TABLES.botState);
const conversationRefRows = () => countRows(TABLES.conversationRefs);
async function countRows(table: (typeof TABLES)[keyof typeof TABLES]): Promise<number> {
  let n = 0;
  for await (const _row of app.store.client(table).listEntities()) n++;
  return n;
}

let conversationCounter = 0;
async function send(authorization: string | undefined, options: { channelId?: string; serviceUrl?: string } = {}) {
  const conversationId = `auth-conv-${++conversationCounter}`;
  const activity = {
    ...teamsMessage({ serviceUrl: options.serviceUrl ?? connector.url, conversationId, aadObjectId: DEMO_STAFF.teacher.aadObjectId, text: 'hello' }),
    ...(options.channelId ? { channelId: options.channelId } : {}),
  };
  const res = await postActivity(app.url, activity, authorization === undefined ? {} : { authorization });
  return { ...res, conversationId };
}

beforeAll(async () => {
  // botframework-connector writes refusals to console.error itself (with the key in PEM); kept off the test output.
  consoleErrors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

  const teams = await generateKeyPair('RS256', { extractable: true });
  const others = await generateKeyPair('RS256', { extractable: true });
  const unendorsed = await generateKeyPair('RS256', { extractable: true });
  teamsKey = teams.privateKey;
  otherChannelsKey = others.privateKey;
  unendorsedKey = unendorsed.privateKey;
  teamsPublicPem = await exportSPKI(teams.publicKey);
  attackerKey = (await generateKeyPair('RS256')).privateKey;
  const keys = [
    { ...(await exportJWK(teams.publicKey)), kid: TEAMS_KID, kty: 'RSA', use: 'sig', endorsements: ['msteams'] },
    { ...(await exportJWK(others.publicKey)), kid: OTHER_CHANNELS_KID, kty: 'RSA', use: 'sig', endorsements: ['webchat', 'directline'] },
    { ...(await exportJWK(unendorsed.publicKey)), kid: NO_ENDORSEMENTS_KID, kty: 'RSA', use: 'sig' },
    { ...(await exportJWK(unendorsed.publicKey)), kid: EMPTY_ENDORSEMENTS_KID, kty: 'RSA', use: 'sig', endorsements: [] },
  ];

  metadata = createServer(serveMetadata(keys));
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  metadataBase = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
  issuer = `${metadataBase}/issuer`;

  connector = new ConnectorStub();
  await connector.start();

  // The school is stored before the app starts, so its directory never caches an empty list.
  const prefix = uniquePrefix();
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
  await store.ensureTables();
  await new SchoolRepository(store.client(TABLES.schools)).save(loadSchoolProfile(demoSchool));

  // MSAL will not fetch the bot's own outbound token from an http authority and would look the
  // authority up at login.microsoftonline.com, so the token is put in botbuilder's cache (key: app
  // id + scope), as if fetched already; the connector stub does not check it.
  // The cache is private in botframework-connector's typings; bracket access is TypeScript's way in.
  AppCredentials['cache'].set(`${APP_ID}https://api.botframework.com-cache`, { accessToken: 'outbound-token-not-checked', expiresOn: new Date(Date.now() + 3_600_000) });

  app = await startTestApp({
    BOT_MODE: 'production',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'test-secret-not-real',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: APP_TENANT,
    AZURE_TABLES_CONNECTION_STRING: 'set-by-test',
    LOAD_DEMO_SCHOOL: 'false',
    TABLE_PREFIX: prefix,
    ALLOWED_SERVICE_URLS: connector.url,
    BOT_OPENID_METADATA_URL: `${metadataBase}/v1/.well-known/openidconfiguration`,
    BOT_TOKEN_ISSUER: issuer,
  });
});

afterAll(async () => {
  await app?.stop();
  await connector?.stop();
  await new Promise<void>((resolve) => {
    metadata.close(() => resolve());
    metadata.closeAllConnections();
  });
  consoleErrors.mockRestore();
});

describe('inbound Bot Framework tokens in production mode', () => {
  it('accepts a token from the channel: 200, a reply at the connector, and the conversation stored', async () => {
    const before = connector.sent.length;
    const res = await send(`Bearer ${await signed(channelClaims())}`);
    expect(res.status).toBe(200);
    await connector.waitFor(before + 1);
    expect(connector.sent.slice(before).map((s) => s.conversationId)).toContain(res.conversationId);
    expect(await botStateRows()).toBeGreaterThan(0);
    expect(new Set(metadataRequests)).toEqual(new Set(['GET /v1/.well-known/openidconfiguration', 'GET /v1/.well-known/keys']));
  });

  it.each([
    ['expired 2 minutes ago (within the 5-minute clock skew)', () => ({ iat: nowSeconds() - 3720, nbf: nowSeconds() - 3720, exp: nowSeconds() - 120 })],
    ['valid from 2 minutes from now (within the skew)', () => ({ nbf: nowSeconds() + 120 })],
  ])('accepts a token %s', async (_what, overrides) => {
    const before = connector.sent.length;
    const res = await send(`Bearer ${await signed(channelClaims(overrides()))}`);
    expect(res.status).toBe(200);
    await connector.waitFor(before + 1);
    expect(connector.sent.slice(before).map((s) => s.conversationId)).toContain(res.conversationId);
  });

  describe('refuses with a bare 401, sends nothing and stores nothing', () => {
    let sentBefore: number;
    let receivedBefore: number;
    let stateRowsBefore: number;
    let refRowsBefore: number;
    const refusedConversations: string[] = [];

    beforeAll(async () => {
      sentBefore = connector.sent.length;
      receivedBefore = connector.received.length;
      stateRowsBefore = await botStateRows();
      refRowsBefore = await conversationRefRows();
    });

    const refuses = async (authorization: string | undefined, options: { channelId?: string; serviceUrl?: string } = {}) => {
      const res = await send(authorization, options);
      refusedConversations.push(res.conversationId);
      expect({ status: res.status, body: JSON.parse(res.body) as unknown }).toEqual({ status: 401, body: UNAUTHORISED });
      expect(res.body).not.toMatch(/\n\s+at\s|node_modules|\.[jt]s:\d+/);
    };

    it('no Authorization header, an empty one, another scheme, or garbage', async () => {
      const valid = await signed(channelClaims());
      await refuses(undefined);
      await refuses('');
      await refuses('Bearer ');
      await refuses(`Basic ${valid}`);
      await refuses(valid);
      await refuses(`Bearer ${valid} extra`);
      await refuses('Bearer not-a-token');
      await refuses('Bearer a.b.c');
    });

    it('a bad signature: an unpublished key, with the Teams key’s kid or its own, or a payload changed after signing', async () => {
      await refuses(`Bearer ${await signed(channelClaims(), attackerKey)}`);
      await refuses(`Bearer ${await signed(channelClaims(), attackerKey, 'attacker-kid')}`);
      const [header, , signature] = (await signed(channelClaims({ aud: OTHER_APP_ID }))).split('.');
      await refuses(`Bearer ${header}.${b64url(channelClaims())}.${signature}`);
    });

    it('the wrong audience (another bot, the Bot Framework itself, none)', async () => {
      await refuses(`Bearer ${await signed(channelClaims({ aud: OTHER_APP_ID }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ aud: PUBLIC_CLOUD_ISSUER }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ aud: undefined }))}`);
    });

    it('the wrong issuer, including the public cloud’s once another is configured, or none', async () => {
      await refuses(`Bearer ${await signed(channelClaims({ iss: PUBLIC_CLOUD_ISSUER }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ iss: 'https://evil.example/issuer' }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ iss: undefined }))}`);
    });

    it('expired 10 minutes ago (past the 5-minute skew), or not valid for another 10 minutes', async () => {
      const now = nowSeconds();
      await refuses(`Bearer ${await signed(channelClaims({ iat: now - 4200, nbf: now - 4200, exp: now - 600 }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ nbf: now + 600, exp: now + 4200 }))}`);
    });

    it('no expiry at all (botbuilder alone would accept it for ever)', async () => {
      await refuses(`Bearer ${await signed(channelClaims({ exp: undefined }))}`);
    });

    it('alg none, or RS256 with the signature stripped', async () => {
      const payload = b64url(channelClaims());
      await refuses(`Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`);
      await refuses(`Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: TEAMS_KID })}.${payload}.`);
      await refuses(`Bearer ${b64url({ alg: 'RS256', typ: 'JWT', kid: TEAMS_KID })}.${payload}.`);
    });

    it('HS256, keyed with the published key’s bytes or with any secret (algorithm confusion)', async () => {
      for (const secret of [new TextEncoder().encode(teamsPublicPem), new TextEncoder().encode('any-shared-secret-at-all-32-bytes!')]) {
        await refuses(`Bearer ${await new SignJWT(channelClaims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: TEAMS_KID }).sign(secret)}`);
      }
    });

    it('a serviceurl claim that is not the activity’s serviceUrl (another one, a trailing slash, none)', async () => {
      await refuses(`Bearer ${await signed(channelClaims({ serviceurl: 'https://smba.trafficmanager.net/emea/' }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ serviceurl: `${connector.url}/` }))}`);
      await refuses(`Bearer ${await signed(channelClaims({ serviceurl: undefined }))}`);
    });

    it('a key whose endorsements do not include the activity’s channel', async () => {
      // Signed by the Bot Framework's key for Web Chat and Direct Line, presented as a Teams activity.
      await refuses(`Bearer ${await signed(channelClaims(), otherChannelsKey, OTHER_CHANNELS_KID)}`);
      // (The Teams key for an activity that names another channel: refused with 403 before botbuilder, below.)
    });

    it('another channel with the key endorsed for it (Web Chat), or a Teams activity signed by it', async () => {
      await refuses(`Bearer ${await signed(channelClaims(), otherChannelsKey, OTHER_CHANNELS_KID)}`, { channelId: 'webchat' });
      await refuses(`Bearer ${await signed(channelClaims(), otherChannelsKey, OTHER_CHANNELS_KID)}`, { channelId: 'directline' });
    });

    it('a published key that endorses no channel at all (no endorsements, or an empty list)', async () => {
      await refuses(`Bearer ${await signed(channelClaims(), unendorsedKey, NO_ENDORSEMENTS_KID)}`);
      await refuses(`Bearer ${await signed(channelClaims(), unendorsedKey, EMPTY_ENDORSEMENTS_KID)}`);
    });

    it('a crit header naming an extension the bot does not understand (RFC 7515 §4.1.11)', async () => {
      const token = await new SignJWT(channelClaims()).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: TEAMS_KID, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true }).sign(teamsKey, { crit: { 'urn:example:must-understand': true } });
      await refuses(`Bearer ${token}`);
    });

    it('a token shaped as the Emulator’s or a skill’s, even signed with the channel’s own key', async () => {
      // The bot's own outbound token looks like this (Entra ID issued, appid = this bot): anyone who
      // saw one must not be able to replay it inbound.
      await refuses(`Bearer ${await signed({ ...channelClaims({ iss: EMULATOR_ISSUER, aud: PUBLIC_CLOUD_ISSUER, serviceurl: undefined }), ver: '1.0', appid: APP_ID })}`);
      await refuses(`Bearer ${await signed({ ...channelClaims({ iss: `https://login.microsoftonline.com/${APP_TENANT}/v2.0`, serviceurl: undefined }), ver: '2.0', azp: APP_ID, tid: APP_TENANT })}`);
      // A skill (another bot calling this one).
      await refuses(`Bearer ${await signed({ ...channelClaims({ iss: EMULATOR_ISSUER, serviceurl: undefined }), ver: '1.0', appid: OTHER_APP_ID })}`);
    });

    it('unverified tokens cannot grow botframework-connector’s shared list of Emulator issuers', async () => {
      // Left alone, botbuilder adds four issuers to that list for each new tid claim, signed or not.
      const issuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
      const before = Array.isArray(issuers) ? issuers.length : 0;
      for (let i = 0; i < 50; i++) {
        const forged = `${b64url({ alg: 'RS256', typ: 'JWT', kid: TEAMS_KID })}.${b64url({ ...channelClaims(), tid: randomUUID() })}.${'A'.repeat(342)}`;
        await refuses(`Bearer ${forged}`);
      }
      expect(Array.isArray(issuers) ? issuers.length : 0).toBe(before);
    });

    it('and not one of those turns reached the bot: no reply, no conversation state, no conversation reference', async () => {
      await settle();
      expect(connector.sent.length).toBe(sentBefore);
      expect(connector.received.length).toBe(receivedBefore);
      const reached = connector.received.filter((r) => refusedConversations.includes(r.conversationId));
      expect(reached).toEqual([]);
      expect(await botStateRows()).toBe(stateRowsBefore);
      expect(await conversationRefRows()).toBe(refRowsBefore);
      // The metadata and keys are fetched once by the bot's own check and once by botbuilder's for the
      // whole run: an unknown kid does not make either fetch again.
      expect(metadataRequests.filter((r) => r.endsWith('openidconfiguration')).length).toBeLessThanOrEqual(2);
      expect(metadataRequests.filter((r) => r.endsWith('/keys')).length).toBeLessThanOrEqual(2);
    });
  });

  it('refuses, with 403 and before botbuilder, a validly signed activity whose channel is not Teams (blank, another case, another channel)', async () => {
    const before = connector.received.length;
    for (const channelId of [' ', 'MSTEAMS', 'msteams ', 'webchat']) {
      const res = await send(`Bearer ${await signed(channelClaims())}`, { channelId });
      expect({ channelId, status: res.status, body: JSON.parse(res.body) as unknown }).toEqual({ channelId, status: 403, body: { error: 'This bot serves Microsoft Teams only.' } });
    }
    await settle();
    expect(connector.received.length).toBe(before);
  });

  it('refuses a body sent without a token before reading it', async () => {
    const target = new URL(app.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: target.hostname, port: target.port, method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
      // 10 KB of a declared 200 KB: the answer must not wait for the rest.
      req.write('{"type":"message","text":"' + 'x'.repeat(10 * 1024));
    });
    expect(status).toBe(401);
  });

  it('still accepts a valid token after all of that', async () => {
    const before = connector.sent.length;
    const res = await send(`Bearer ${await signed(channelClaims())}`);
    expect(res.status).toBe(200);
    await connector.waitFor(before + 1);
    expect(connector.sent.slice(before).map((s) => s.conversationId)).toContain(res.conversationId);
  });
});

describe('the screen in front of botbuilder', () => {
  // It reads claims without checking the signature, so it may only refuse: everything else in the
  // refusals above (signature, audience, expiry, serviceurl, endorsement) is botbuilder's to check.
  it('lets a well-formed channel token through to botbuilder, whatever its signature, audience or serviceurl', async () => {
    const forged = await signed(channelClaims({ aud: OTHER_APP_ID, serviceurl: 'https://evil.example/', exp: nowSeconds() - 86_400 }), attackerKey);
    expect(screenChannelToken(`Bearer ${forged}`, issuer)).toBeUndefined();
    expect(screenChannelToken(`Bearer ${await signed(channelClaims())}`, issuer)).toBeUndefined();
  });

  it('refuses other issuers, a missing expiry, algorithms other than RS256/384/512, and anything not a bearer JWT', async () => {
    expect(screenChannelToken(`Bearer ${await signed(channelClaims({ iss: EMULATOR_ISSUER }))}`, issuer)).toBe('issuer is not the channel');
    expect(screenChannelToken(`Bearer ${await signed(channelClaims({ exp: undefined }))}`, issuer)).toBe('no issuer or expiry');
    expect(screenChannelToken(`Bearer ${b64url({ alg: 'none' })}.${b64url(channelClaims())}.`, issuer)).toBe('signing algorithm not allowed');
    expect(screenChannelToken(`Bearer ${b64url({ alg: 'ES256' })}.${b64url(channelClaims())}.c2ln`, issuer)).toBe('signing algorithm not allowed');
    for (const header of ['', 'Bearer', 'bearer a.b.c', 'Bearer a.b', `Bearer ${'x'.repeat(20)}`]) {
      expect(screenChannelToken(header, issuer)).toBeDefined();
    }
  });
});

describe('settings for another cloud’s Bot Framework endpoints', () => {
  const production = {
    MicrosoftAppId: APP_ID,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: APP_TENANT,
    MicrosoftAppPassword: 'test-secret-not-real',
    AZURE_TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  };

  it('default to the public cloud', () => {
    const config = loadConfig(production);
    expect(config.botOpenIdMetadataUrl).toBe('https://login.botframework.com/v1/.well-known/openidconfiguration');
    expect(config.botTokenIssuer).toBe('https://api.botframework.com');
  });

  it('take another https metadata address and issuer', () => {
    const config = loadConfig({
      ...production,
      BOT_OPENID_METADATA_URL: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      BOT_TOKEN_ISSUER: 'https://api.botframework.us',
    });
    expect(config.botOpenIdMetadataUrl).toBe('https://login.botframework.azure.us/v1/.well-known/openidconfiguration');
    expect(config.botTokenIssuer).toBe('https://api.botframework.us');
  });

  it('refuse plain http for the signing keys except on loopback, with a one-line error', () => {
    expect(() => loadConfig({ ...production, BOT_OPENID_METADATA_URL: 'http://keys.example.org/v1/.well-known/openidconfiguration' })).toThrow(
      /^BOT_OPENID_METADATA_URL: must be https \(http only on loopback\) \(got "http:\/\/keys\.example\.org\/v1\/\.well-known\/openidconfiguration"\)$/,
    );
    expect(() => loadConfig({ ...production, BOT_OPENID_METADATA_URL: 'not a url' })).toThrow(ConfigError);
    // The tab's SSO keys are held to the same rule.
    expect(() => loadConfig({ ...production, TAB_JWKS_URL: 'http://keys.example.org/keys' })).toThrow(/^TAB_JWKS_URL: must be https \(http only on loopback\)/);
    expect(loadConfig({ ...production, TAB_JWKS_URL: 'http://127.0.0.1:9/keys' }).tabJwksUrl).toBe('http://127.0.0.1:9/keys');
    expect(() => loadConfig({ ...production, BOT_OPENID_METADATA_URL: 'ftp://127.0.0.1/keys' })).toThrow(/^BOT_OPENID_METADATA_URL: /);
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:9000']) {
      expect(loadConfig({ ...production, BOT_OPENID_METADATA_URL: `http://${host}/meta` }).botOpenIdMetadataUrl).toBe(`http://${host}/meta`);
    }
  });
});
