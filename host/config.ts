import path from 'node:path';
import { z } from 'zod';
import { POLICY_PROFILE_IDS, PolicyProfileId } from '../policy/profiles';

/**
 * All settings come from the environment, are parsed once at start-up and frozen. Two modes:
 * - `local`: no Microsoft app id; anonymous Bot Framework auth (botbuilder then skips token
 *   validation entirely), so the server listens on loopback only.
 * - `production`: refuses to start unless the app id, app type, tenant id, one credential and one
 *   storage account are set. The credential is the Azure managed identity (no secret at all), a
 *   certificate file, or, still accepted, a client secret; storage is an endpoint reached with the
 *   managed identity or, for Azurite and older set-ups, a connection string with the account key.
 */
export type Mode = 'local' | 'production';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalInt = (min: number, max: number) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .optional(),
  );

const listOf = (item: z.ZodType<string, string>) =>
  optionalText.pipe(
    z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
      .pipe(z.array(item)),
  );

const keysUrl = z
  .url({ protocol: /^https?$/ })
  .refine((u) => !URL.canParse(u) || u.startsWith('https:') || isLoopback(new URL(u).hostname.replace(/^\[|\]$/g, '')), 'must be https (http only on loopback)');

/** botbuilder's MicrosoftAppType values: UserAssignedMSI is the Azure Bot's own managed identity. */
export const APP_TYPES = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const;
export type AppType = (typeof APP_TYPES)[number];

const envSchema = z.object({
  BOT_MODE: optionalText.pipe(z.enum(['local', 'production']).optional()),
  NODE_ENV: optionalText,
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: optionalText.pipe(z.enum(APP_TYPES).optional()),
  MicrosoftAppTenantId: optionalText,
  MicrosoftAppCertificatePath: optionalText,
  TAB_APP_ID: optionalText.pipe(z.uuid('must be the client id (a GUID) of the tab\'s Entra app registration').optional()),
  AZURE_CLIENT_ID: optionalText.pipe(z.uuid('must be a managed identity\'s client id (a GUID)').optional()),
  AZURE_TABLES_ENDPOINT: optionalText.pipe(
    z
      .url({ protocol: /^https$/, error: 'must be an https URL, such as https://<account>.table.core.windows.net' })
      .optional(),
  ),
  PORT: optionalInt(0, 65535),
  HOST: optionalText.pipe(z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).optional()),
  AZURE_TABLES_CONNECTION_STRING: optionalText,
  TABLE_PREFIX: optionalText.pipe(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,20}$/, 'letters and digits, starting with a letter').optional()),
  DATA_DIR: optionalText,
  REGISTER_DROP_ROOT: optionalText,
  CLOCK_START: optionalText.pipe(z.iso.datetime({ offset: true, error: 'must be a date and time with its offset, such as 2026-12-01T10:00:00Z' }).optional()),
  LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  MAX_BODY_BYTES: optionalInt(1024, 4 * 1024 * 1024),
  ALLOWED_SERVICE_URLS: listOf(z.url({ protocol: /^https?$/ })),
  ALLOWED_TENANT_IDS: listOf(z.string().min(1).max(64)),
  LOAD_DEMO_SCHOOL: optionalText.pipe(z.enum(['true', 'false']).optional()),
  DEMO_POLICY: optionalText.pipe(z.enum(POLICY_PROFILE_IDS, { error: `must be one of ${POLICY_PROFILE_IDS.join(', ')}` }).optional()),
  SHUTDOWN_GRACE_MS: optionalInt(0, 120_000),
  OUTBOX_INTERVAL_MS: optionalInt(200, 3_600_000),
  REMINDER_INTERVAL_MS: optionalInt(200, 3_600_000),
  OUTBOX_LEASE_MS: optionalInt(500, 3_600_000),
  PROFILE_CACHE_MS: optionalInt(200, 600_000),
  MAX_CONCURRENT_MESSAGES: optionalInt(1, 10_000),
  INVOKE_BUSY_AFTER_MS: optionalInt(1, 60_000),
  INVOKE_RESERVE: optionalInt(0, 10_000),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
  GRAPH_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  AUTHORITY_HOST: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DIGEST_API_KEY: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  PUBLIC_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  // Keys that admit people to the tab and activities to the bot: plain http only where no network lies in between.
  TAB_JWKS_URL: optionalText.pipe(keysUrl.optional()),
  BOT_OPENID_METADATA_URL: optionalText.pipe(keysUrl.optional()),
  BOT_TOKEN_ISSUER: optionalText.pipe(z.string().max(512, 'must be at most 512 characters').optional()),
});

/**
 * How the bot proves who it is to Teams and Microsoft Graph. A managed identity has no secret to
 * leak or let expire; a certificate is read from a file at start-up; a client secret is accepted for
 * existing registrations (the README says why not to choose it).
 */
export type BotCredential =
  | { readonly kind: 'none' }
  | { readonly kind: 'managedIdentity'; readonly clientId: string }
  | { readonly kind: 'certificate'; readonly path: string }
  | { readonly kind: 'secret'; readonly password: string };

/** Where the tables are: Azurite and key-based accounts by connection string, Azure by endpoint and identity. */
export type StorageTarget =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  /** `clientId` undefined: the App Service's system-assigned identity. */
  | { readonly kind: 'endpoint'; readonly endpoint: string; readonly clientId: string | undefined };

export interface Config {
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  readonly auth: {
    readonly appId: string;
    readonly appType: AppType | '';
    readonly tenantId: string;
    readonly credential: BotCredential;
  };
  /** Undefined in local mode when `npm start` has not been given one: the embedded Azurite is used. */
  readonly storage: StorageTarget | undefined;
  /**
   * The Entra app the tab's single sign-on is for. A managed identity cannot expose an API, so with
   * one the tab has its own registration (infra/aad.manifest.json); otherwise it is the bot's.
   */
  readonly tabAppId: string;
  /** The managed identity the app uses for storage and mail, when it has one. */
  readonly managedIdentityClientId: string | undefined;
  readonly tablePrefix: string | undefined;
  readonly dataDir: string;
  /** Folder sources for scheduled register loads must be under this folder (required in production to use one). */
  readonly registerDropRoot: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly maxBodyBytes: number;
  /** botbuilder sends its token to whatever serviceUrl an activity names: only these are trusted. */
  readonly allowedServiceUrls: readonly string[];
  /** Empty means "the tenants of the schools in the store". */
  readonly allowedTenantIds: readonly string[];
  readonly loadDemoSchool: boolean;
  /** Local only: the policy profile the demo school runs under (`DEMO_POLICY=offord npm start`); The Leys' by default. */
  readonly demoPolicy: PolicyProfileId | undefined;
  /**
   * Local only: the bot's clock starts at this time and runs on from there. The benchmark sets a
   * school-day morning, so its reminder jobs run as they would in school hours whenever it is run.
   */
  readonly clockStart: Date | undefined;
  readonly shutdownGraceMs: number;
  /** How often each instance looks for notifications to send, and for approvals to chase. */
  readonly outboxIntervalMs: number;
  readonly reminderIntervalMs: number;
  /** How long one instance holds a notification it is sending before another may take it over. */
  readonly outboxLeaseMs: number;
  /** How long an instance keeps school profiles and staff rosters before reading them again: the most a change made elsewhere takes to reach it. */
  readonly profileCacheMs: number;
  /** Requests to /api/messages handled at once; beyond this they are answered 503 with Retry-After at once, not queued. */
  readonly maxConcurrentMessages: number;
  /** Of those, how many are kept for card buttons (Action.Execute): other requests are answered 503 once the rest are in use. */
  readonly invokeReserve: number;
  /** A card button not answered within this is told "busy, try again" (its work still finishes): Teams gives an invoke a few seconds. */
  readonly invokeBusyAfterMs: number;
  /** Microsoft Graph and Entra ID endpoints (overridable for national clouds and for tests). */
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  /** Application Insights, for traces and the operator's metrics; nothing is exported without it. */
  readonly appInsightsConnectionString: string | undefined;
  /** Bearer key for POST /api/digest; the endpoint is off without one. */
  readonly digestApiKey: string | undefined;
  /** Where this server is reachable from Teams (links to the tab). */
  readonly publicBaseUrl: string | undefined;
  /** Entra ID's signing keys for the tab's SSO tokens. */
  readonly tabJwksUrl: string;
  /**
   * Inbound Bot Framework tokens: where their signing keys are published and the issuer they must
   * name. Only other clouds (and tests) change them.
   */
  readonly botOpenIdMetadataUrl: string;
  readonly botTokenIssuer: string;
}

/** Teams' public service URLs (Bot Framework docs: Teams uses smba.trafficmanager.net). */
const TEAMS_SERVICE_URLS = ['https://smba.trafficmanager.net/'];
const LOOPBACK_SERVICE_URLS = ['http://127.0.0.1', 'http://localhost'];

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const name = String(first.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${first.message} (got "${String(env[name] ?? '')}")`);
  }
  const e = parsed.data;
  const mode: Mode = e.BOT_MODE ?? (e.MicrosoftAppId || e.NODE_ENV === 'production' ? 'production' : 'local');

  const storage = storageTarget(e);
  const credential = mode === 'production' ? botCredential(e) : ({ kind: 'none' } as const);
  if (mode === 'production') {
    const missing = [
      ...(['MicrosoftAppId', 'MicrosoftAppType', 'MicrosoftAppTenantId'] as const).filter((k) => !e[k]),
      ...(credential === undefined ? ['a credential (MicrosoftAppType=UserAssignedMSI, MicrosoftAppCertificatePath or MicrosoftAppPassword)'] : []),
      ...(storage === undefined ? ['storage (AZURE_TABLES_ENDPOINT or AZURE_TABLES_CONNECTION_STRING)'] : []),
    ];
    if (missing.length > 0) {
      throw new ConfigError(`production mode refuses to start without: ${missing.join(', ')}`);
    }
    if (e.LOAD_DEMO_SCHOOL === 'true') {
      throw new ConfigError('LOAD_DEMO_SCHOOL: the synthetic demo school is for local mode only');
    }
    if (e.DEMO_POLICY) throw new ConfigError('DEMO_POLICY: the synthetic demo school is for local mode only');
    // Deadlines, reminders and the audit trail's times must be the real ones wherever real schools are.
    if (e.CLOCK_START) throw new ConfigError('CLOCK_START: a clock set to another time is for local mode only');
  }

  const maxConcurrentMessages = e.MAX_CONCURRENT_MESSAGES ?? 32;
  const config: Config = {
    mode,
    host: e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    port: e.PORT ?? 3978,
    auth:
      mode === 'production'
        ? { appId: e.MicrosoftAppId!, appType: e.MicrosoftAppType!, tenantId: e.MicrosoftAppTenantId!, credential: credential! }
        : { appId: '', appType: '', tenantId: '', credential: { kind: 'none' } },
    storage,
    managedIdentityClientId: managedIdentityClientId(e),
    tabAppId: e.TAB_APP_ID ?? e.MicrosoftAppId ?? '',
    tablePrefix: e.TABLE_PREFIX,
    dataDir: path.resolve(e.DATA_DIR ?? '.data'),
    registerDropRoot: e.REGISTER_DROP_ROOT ? path.resolve(e.REGISTER_DROP_ROOT) : undefined,
    logLevel: e.LOG_LEVEL ?? 'info',
    maxBodyBytes: e.MAX_BODY_BYTES ?? 256 * 1024,
    allowedServiceUrls: e.ALLOWED_SERVICE_URLS.length > 0 ? e.ALLOWED_SERVICE_URLS : mode === 'local' ? LOOPBACK_SERVICE_URLS : TEAMS_SERVICE_URLS,
    allowedTenantIds: e.ALLOWED_TENANT_IDS,
    loadDemoSchool: mode === 'local' && e.LOAD_DEMO_SCHOOL !== 'false',
    demoPolicy: e.DEMO_POLICY,
    clockStart: e.CLOCK_START ? new Date(e.CLOCK_START) : undefined,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS ?? 10_000,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS ?? 15_000,
    reminderIntervalMs: e.REMINDER_INTERVAL_MS ?? 60_000,
    outboxLeaseMs: e.OUTBOX_LEASE_MS ?? 120_000,
    profileCacheMs: e.PROFILE_CACHE_MS ?? 60_000,
    maxConcurrentMessages,
    invokeReserve: e.INVOKE_RESERVE ?? Math.floor(maxConcurrentMessages / 4),
    invokeBusyAfterMs: e.INVOKE_BUSY_AFTER_MS ?? 3_000,
    graphBaseUrl: e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com',
    authorityHost: e.AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
    appInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING,
    digestApiKey: e.DIGEST_API_KEY,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    tabJwksUrl: e.TAB_JWKS_URL ?? `${(e.AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/$/, '')}/common/discovery/v2.0/keys`,
    // botframework-connector's AuthenticationConstants for the public cloud.
    botOpenIdMetadataUrl: e.BOT_OPENID_METADATA_URL ?? 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    botTokenIssuer: e.BOT_TOKEN_ISSUER ?? 'https://api.botframework.com',
  };
  if (config.invokeReserve >= config.maxConcurrentMessages) {
    throw new ConfigError(`INVOKE_RESERVE: must be less than MAX_CONCURRENT_MESSAGES (${config.maxConcurrentMessages}), or no message could ever be admitted (got "${config.invokeReserve}")`);
  }
  if (mode === 'local' && !isLoopback(config.host)) {
    throw new ConfigError(`HOST: local mode has no authentication, so it listens on loopback only (got "${config.host}")`);
  }
  return Object.freeze({ ...config, auth: Object.freeze(config.auth) });
}

type Env = z.infer<typeof envSchema>;

/** With the bot's own managed identity, that identity is the app's everywhere: one identity, one client id. */
function managedIdentityClientId(e: Env): string | undefined {
  if (e.MicrosoftAppType !== 'UserAssignedMSI') return e.AZURE_CLIENT_ID;
  if (e.AZURE_CLIENT_ID && e.MicrosoftAppId && e.AZURE_CLIENT_ID.toLowerCase() !== e.MicrosoftAppId.toLowerCase()) {
    throw new ConfigError('AZURE_CLIENT_ID: with MicrosoftAppType=UserAssignedMSI the bot and the app use one identity, so it must equal MicrosoftAppId (or be left unset)');
  }
  return e.MicrosoftAppId;
}

function storageTarget(e: Env): StorageTarget | undefined {
  if (e.AZURE_TABLES_ENDPOINT && e.AZURE_TABLES_CONNECTION_STRING) {
    throw new ConfigError('AZURE_TABLES_ENDPOINT: set it or AZURE_TABLES_CONNECTION_STRING, not both (the endpoint, reached with the managed identity, needs no key)');
  }
  if (e.AZURE_TABLES_ENDPOINT) return { kind: 'endpoint', endpoint: e.AZURE_TABLES_ENDPOINT, clientId: managedIdentityClientId(e) };
  if (e.AZURE_TABLES_CONNECTION_STRING) return { kind: 'connectionString', connectionString: e.AZURE_TABLES_CONNECTION_STRING };
  return undefined;
}

/** Exactly one way for the bot to prove who it is; undefined when none is given. */
function botCredential(e: Env): BotCredential | undefined {
  const given = [e.MicrosoftAppPassword && 'MicrosoftAppPassword', e.MicrosoftAppCertificatePath && 'MicrosoftAppCertificatePath'].filter(Boolean);
  if (e.MicrosoftAppType === 'UserAssignedMSI') {
    if (given.length > 0) throw new ConfigError(`${given[0]}: with MicrosoftAppType=UserAssignedMSI the managed identity is the credential, so remove it`);
    return e.MicrosoftAppId ? { kind: 'managedIdentity', clientId: e.MicrosoftAppId } : undefined;
  }
  if (given.length > 1) throw new ConfigError('MicrosoftAppPassword: set it or MicrosoftAppCertificatePath, not both');
  if (e.MicrosoftAppCertificatePath) return { kind: 'certificate', path: path.resolve(e.MicrosoftAppCertificatePath) };
  if (e.MicrosoftAppPassword) return { kind: 'secret', password: e.MicrosoftAppPassword };
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** For entry points: the configuration, or a one-line message on stderr and exit code 2 (no stack trace). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
