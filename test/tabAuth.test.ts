import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import pino from 'pino';
import { demoSchool } from '../demo/demoSchool';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { SchoolRepository } from '../storage/schoolRepository';
import { TableStore, TABLES } from '../storage/tableStore';
import { EntraTokenValidator } from '../tab/server/entraTokenValidator';
import { startTestApp, TestApp } from './support/app';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * The dashboard tab's Teams SSO tokens, as Entra ID would issue them, signed with a key served from
 * a loopback JWKS endpoint. Every refusal sits next to an accepted token built the same way, so a
 * refusal cannot pass merely because the helpers produce broken tokens.
 */

const APP_ID = '3f0c9a52-7d41-4b6e-9c2a-1e8d5b7f6a10';
const SCHOOL_TENANT = 'a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const OTHER_TENANT = 'f9e8d7c6-b5a4-4938-8271-605f4e3d2c1b';
const AUTHORITY = 'https://login.microsoftonline.com';
const PUBLIC_BASE_URL = 'https://swbot.example.org';
const KID = 'test-signing-key-1';

const v2Issuer = (tid: string) => `${AUTHORITY}/${tid}/v2.0`;
const v1Issuer = (tid: string) => `https://sts.windows.net/${tid}/`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The Agents Playground's ids have 13 digits in their last group, so no Entra ID token can carry
 * them; the same synthetic school is given GUID-shaped ids here, as a real school's would be.
 */
const entraShaped = (playgroundId: string) => `${playgroundId.slice(0, 24)}${playgroundId.slice(-12)}`;
const productionSchool = {
  ...demoSchool,
  tenantId: SCHOOL_TENANT,
  staff: demoSchool.staff.map((m) => ({ ...m, aadObjectId: entraShaped(m.aadObjectId) })),
};
const dt = productionSchool.staff.find((m) => m.name === 'Adele Vance')!;

let jwks: Server;
let jwksUrl: string;
let jwksRequests = 0;
let signingKey: KeyLike;
let publicKeyPem: string;
let attackerKey: KeyLike;

/** Claims as Entra ID's v2.0 endpoint issues them for the tab, for the school's DT. */
function entraClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return {
    aud: APP_ID,
    iss: v2Issuer(SCHOOL_TENANT),
    tid: SCHOOL_TENANT,
    oid: dt.aadObjectId,
    name: 'Adele Vance',
    preferred_username: 'adele.vance@oakfield.example.org',
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    ...overrides,
  };
}

/** Signs as Entra ID would (RS256, the served key's kid) unless told to sign as someone else. */
function signed(claims: JWTPayload, key: KeyLike = signingKey, kid = KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicKeyPem = await exportSPKI(pair.publicKey);
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  // The attacker's key pair is never served: tokens it signs must not verify.
  attackerKey = (await generateKeyPair('RS256')).privateKey;

  jwks = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/keys') {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    jwks.close(() => resolve());
    // jose's fetches are kept alive; close() alone would wait for them to time out.
    jwks.closeAllConnections();
  });
});

describe('EntraTokenValidator', () => {
  let validator: EntraTokenValidator;
  const bearer = (token: string) => `Bearer ${token}`;

  beforeAll(() => {
    validator = new EntraTokenValidator({
      appId: APP_ID,
      publicBaseUrl: PUBLIC_BASE_URL,
      jwksUrl,
      authorityHost: AUTHORITY,
      allowedTenants: async () => new Set([SCHOOL_TENANT]),
      logger: pino({ level: 'silent' }),
    });
  });

  it('accepts a v2.0 token for this app from an allowed tenant, with keys fetched from the JWKS endpoint', async () => {
    const identity = await validator.authenticate(bearer(await signed(entraClaims())));
    expect(identity).toEqual({ tenantId: SCHOOL_TENANT, aadObjectId: dt.aadObjectId, displayName: 'Adele Vance', via: 'entra' });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it('accepts a v1.0 token (audience api://{host}/{appId}, issuer sts.windows.net)', async () => {
    const token = await signed(entraClaims({ aud: `api://swbot.example.org/${APP_ID}`, iss: v1Issuer(SCHOOL_TENANT) }));
    expect(await validator.authenticate(bearer(token))).toMatchObject({ tenantId: SCHOOL_TENANT, aadObjectId: dt.aadObjectId });
  });

  it('accepts a token that expired within the five-minute clock skew', async () => {
    const now = nowSeconds();
    const token = await signed(entraClaims({ iat: now - 3720, nbf: now - 3720, exp: now - 120 }));
    expect(await validator.authenticate(bearer(token))).toMatchObject({ aadObjectId: dt.aadObjectId });
  });

  it('refuses a token for another audience', async () => {
    for (const aud of ['00000003-0000-0000-c000-000000000000', `api://${APP_ID}.evil.example`, `api://evil.example/${APP_ID}`]) {
      expect(await validator.authenticate(bearer(await signed(entraClaims({ aud }))))).toBeUndefined();
    }
  });

  it('refuses a token with two audiences, even when one of them is this app (Entra ID never issues one)', async () => {
    expect(await validator.authenticate(bearer(await signed(entraClaims({ aud: [APP_ID, '00000003-0000-0000-c000-000000000000'] }))))).toBeUndefined();
    expect(await validator.authenticate(bearer(await signed(entraClaims({ aud: [APP_ID] }))))).toBeUndefined();
  });

  it('refuses a properly signed token from a tenant that is not one of the schools’', async () => {
    const token = await signed(entraClaims({ tid: OTHER_TENANT, iss: v2Issuer(OTHER_TENANT) }));
    expect(await validator.authenticate(bearer(token))).toBeUndefined();
  });

  it('refuses a token whose issuer names a different tenant from its tid, or another authority', async () => {
    // Entra ID's keys are shared by every tenant, so a token from another tenant claiming the school's tid must fail.
    expect(await validator.authenticate(bearer(await signed(entraClaims({ iss: v2Issuer(OTHER_TENANT) }))))).toBeUndefined();
    expect(await validator.authenticate(bearer(await signed(entraClaims({ tid: SCHOOL_TENANT, iss: v1Issuer(OTHER_TENANT) }))))).toBeUndefined();
    expect(await validator.authenticate(bearer(await signed(entraClaims({ iss: `https://evil.example/${SCHOOL_TENANT}/v2.0` }))))).toBeUndefined();
    expect(await validator.authenticate(bearer(await signed(entraClaims({ iss: undefined }))))).toBeUndefined();
  });

  it('refuses a token expired beyond the clock skew', async () => {
    const now = nowSeconds();
    const token = await signed(entraClaims({ iat: now - 4200, nbf: now - 4200, exp: now - 600 }));
    expect(await validator.authenticate(bearer(token))).toBeUndefined();
  });

  it('refuses a token not yet valid', async () => {
    const now = nowSeconds();
    const token = await signed(entraClaims({ nbf: now + 3600, exp: now + 7200 }));
    expect(await validator.authenticate(bearer(token))).toBeUndefined();
  });

  it('refuses an unsigned token (alg none, or RS256 with the signature stripped)', async () => {
    const payload = b64url(entraClaims());
    expect(await validator.authenticate(bearer(`${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`))).toBeUndefined();
    expect(await validator.authenticate(bearer(`${b64url({ alg: 'none', typ: 'JWT', kid: KID })}.${payload}.`))).toBeUndefined();
    expect(await validator.authenticate(bearer(`${b64url({ alg: 'RS256', typ: 'JWT', kid: KID })}.${payload}.`))).toBeUndefined();
  });

  it('refuses HS256 tokens, whether keyed with the public key’s bytes or any other secret (algorithm confusion)', async () => {
    for (const secret of [new TextEncoder().encode(publicKeyPem), new TextEncoder().encode('any-shared-secret-at-all-32-bytes!')]) {
      const token = await new SignJWT(entraClaims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KID }).sign(secret);
      expect(await validator.authenticate(bearer(token))).toBeUndefined();
    }
  });

  it('refuses a token signed by a key that is not served, even with the served key’s kid', async () => {
    expect(await validator.authenticate(bearer(await signed(entraClaims(), attackerKey)))).toBeUndefined();
    expect(await validator.authenticate(bearer(await signed(entraClaims(), attackerKey, 'attacker-kid')))).toBeUndefined();
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signed(entraClaims())).split('.');
    const tampered = `${header}.${b64url(entraClaims({ oid: entraShaped(demoSchool.staff[1]!.aadObjectId) }))}.${signature}`;
    expect(await validator.authenticate(bearer(tampered))).toBeUndefined();
  });

  it('refuses a token without an oid, tid, exp or iat', async () => {
    // Without exp a stolen token would never lapse, so its absence is a refusal, not "no limit".
    for (const missing of ['oid', 'tid', 'exp', 'iat']) {
      expect(await validator.authenticate(bearer(await signed(entraClaims({ [missing]: undefined }))))).toBeUndefined();
    }
  });

  it('refuses a tid or oid that is not a GUID, even from a tenant on the allowed list', async () => {
    // A school stored with a non-Entra tenant id (as the Playground's) must not open the door to tokens naming it.
    const listsOddTenant = new EntraTokenValidator({
      appId: APP_ID,
      jwksUrl,
      authorityHost: AUTHORITY,
      allowedTenants: async () => new Set([SCHOOL_TENANT, 'contoso']),
      logger: pino({ level: 'silent' }),
    });
    expect(await listsOddTenant.authenticate(bearer(await signed(entraClaims())))).toMatchObject({ tenantId: SCHOOL_TENANT });
    expect(await listsOddTenant.authenticate(bearer(await signed(entraClaims({ tid: 'contoso', iss: v2Issuer('contoso') }))))).toBeUndefined();
    expect(await listsOddTenant.authenticate(bearer(await signed(entraClaims({ oid: 'adele' }))))).toBeUndefined();
  });

  it('refuses garbage, a header without the Bearer scheme, and an empty or missing header', async () => {
    const valid = await signed(entraClaims());
    for (const header of ['Bearer not-a-token', 'Bearer a.b.c', 'Bearer ..', `Bearer ${'x'.repeat(9000)}`, `Bearer ${valid} extra`, 'Bearer ']) {
      expect(await validator.authenticate(header)).toBeUndefined();
    }
    expect(await validator.authenticate(valid)).toBeUndefined();
    expect(await validator.authenticate(`Basic ${valid}`)).toBeUndefined();
    expect(await validator.authenticate('')).toBeUndefined();
    expect(await validator.authenticate(undefined)).toBeUndefined();
  });

  it('logs why a token was refused, never the token itself', async () => {
    const lines: string[] = [];
    const logging = new EntraTokenValidator({
      appId: APP_ID,
      jwksUrl,
      authorityHost: AUTHORITY,
      allowedTenants: async () => new Set([SCHOOL_TENANT]),
      logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
    });
    const token = await signed(entraClaims({ tid: OTHER_TENANT, iss: v2Issuer(OTHER_TENANT) }));
    expect(await logging.authenticate(bearer(token))).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'tabTokenRefused', reason: 'tenant' });
    expect(lines[0]).not.toContain(token.split('.')[1]!);
    expect(lines[0]).not.toContain(token.split('.')[2]!);
  });
});

/** The whole app in production mode, its school stored first (so its directory never caches an empty list). */
async function productionTabApp(env: Record<string, string>): Promise<TestApp> {
  const prefix = uniquePrefix();
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
  await store.ensureTables();
  await new SchoolRepository(store.client(TABLES.schools)).save(loadSchoolProfile(productionSchool));
  return startTestApp({ BOT_MODE: 'production', MicrosoftAppId: APP_ID, MicrosoftAppTenantId: SCHOOL_TENANT, TABLE_PREFIX: prefix, TAB_JWKS_URL: jwksUrl, AUTHORITY_HOST: AUTHORITY, PUBLIC_BASE_URL, ...env });
}

describe('the tab with its own app registration (the bot is a managed identity)', () => {
  const TAB_APP_ID = '8b2d4f60-1a3c-4e5b-9d7f-0a2c4e6b8d1f';
  let app: TestApp;

  beforeAll(async () => {
    app = await productionTabApp({ MicrosoftAppType: 'UserAssignedMSI', TAB_APP_ID, AZURE_TABLES_ENDPOINT: 'https://set-by-test.table.core.windows.net' });
  });
  afterAll(async () => {
    await app.stop();
  });

  const status = async (token: string) => (await fetch(`${app.url}/api/tab/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('accepts tokens for the tab\'s registration and refuses tokens for the bot\'s identity', async () => {
    expect(await status(await signed(entraClaims({ aud: TAB_APP_ID })))).toBe(200);
    expect(await status(await signed(entraClaims({ aud: `api://swbot.example.org/${TAB_APP_ID}`, iss: v1Issuer(SCHOOL_TENANT) })))).toBe(200);
    expect(await status(await signed(entraClaims({ aud: APP_ID })))).toBe(401);
  });
});

describe('the dashboard tab API in production mode', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await productionTabApp({ MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'test-secret-not-real', AZURE_TABLES_CONNECTION_STRING: 'set-by-test', LOAD_DEMO_SCHOOL: 'false', PUBLIC_BASE_URL });
  });
  afterAll(async () => {
    await app.stop();
  });

  const me = async (authorization?: string) => {
    const res = await fetch(`${app.url}/api/tab/me`, { headers: authorization === undefined ? {} : { authorization } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const SIGN_IN_AGAIN = { error: 'Please sign in again.' };

  it('accepts the DT’s Teams SSO token and names her from the staff list', async () => {
    const res = await me(`Bearer ${await signed(entraClaims({ name: 'A. Vance (Teams display name)' }))}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Adele Vance', school: { id: demoSchool.id }, signIn: 'entra' });
  });

  it('accepts a v1.0 token for the Application ID URI on the public host', async () => {
    const token = await signed(entraClaims({ aud: `api://swbot.example.org/${APP_ID}`, iss: v1Issuer(SCHOOL_TENANT) }));
    expect((await me(`Bearer ${token}`)).status).toBe(200);
  });

  it('answers 403, not 401, to someone signed in properly who is not on a staff list', async () => {
    const res = await me(`Bearer ${await signed(entraClaims({ oid: randomUUID(), name: 'Not Staff' }))}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/not on the staff list/);
  });

  it('answers 401 with nothing but "Please sign in again." to every refused token', async () => {
    const now = nowSeconds();
    const refused: Record<string, string | undefined> = {
      'wrong audience': `Bearer ${await signed(entraClaims({ aud: '00000003-0000-0000-c000-000000000000' }))}`,
      'wrong tenant': `Bearer ${await signed(entraClaims({ tid: OTHER_TENANT, iss: v2Issuer(OTHER_TENANT) }))}`,
      'issuer for another tenant': `Bearer ${await signed(entraClaims({ iss: v2Issuer(OTHER_TENANT) }))}`,
      expired: `Bearer ${await signed(entraClaims({ iat: now - 4200, nbf: now - 4200, exp: now - 600 }))}`,
      unsigned: `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(entraClaims())}.`,
      HS256: `Bearer ${await new SignJWT(entraClaims()).setProtectedHeader({ alg: 'HS256', kid: KID }).sign(new TextEncoder().encode(publicKeyPem))}`,
      'attacker’s key': `Bearer ${await signed(entraClaims(), attackerKey)}`,
      'no header': undefined,
      'empty header': '',
    };
    for (const [what, header] of Object.entries(refused)) {
      const res = await me(header);
      expect({ what, status: res.status, body: res.body }).toEqual({ what, status: 401, body: SIGN_IN_AGAIN });
    }
  });

  it('has no development sign-in', async () => {
    const res = await fetch(`${app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: dt.aadObjectId }) });
    expect(res.status).toBe(404);
    expect((await fetch(`${app.url}/api/tab/dev/staff`)).status).toBe(404);
  });
});
