import { z } from 'zod';
import { APP_NAME } from './appText';

/**
 * The app package's settings, from the environment. Every problem is collected and reported as
 * one line naming its variable, so whoever builds the package can fix them all in one go.
 */

// The manifest schema's own patterns, so a value accepted here is never rejected by the schema.
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const TEAMS_VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const MAX_URL_LENGTH = 2048;
const MAX_DEVELOPER_NAME = 32;
const MAX_SHORT_NAME = 30;

export const DEFAULT_DEVELOPER_NAME = 'School safeguarding team';

// Deployment files often hold `NAME=` for "not set".
const blankAsUnset = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function guid(what: string) {
  return z
    .string({ error: `is not set; set it to ${what}, a GUID` })
    .trim()
    .regex(GUID, { error: (iss) => `must be ${what}, a GUID such as 00000000-0000-0000-0000-000000000000 (got "${String(iss.input)}")` })
    // Entra shows application ids in lower case, and the SSO resource must match its Application ID URI exactly.
    .transform((v) => v.toLowerCase());
}

/** Why `value` is not a usable https address, or undefined if it is. */
function httpsUrlProblem(value: string): string | undefined {
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be a full address starting with https:// (got "${value}")`;
  }
  if (url.protocol !== 'https:') return `must start with https:// because Teams only loads secure pages (got "${value}")`;
  if (url.username || url.password) return 'must not contain a user name or password';
  return undefined;
}

const publicBaseUrl = z.string({ error: 'is not set; set it to the https:// address where Teams reaches the bot, such as https://swbot.example.org' }).trim().transform((value, ctx) => {
  const problem = httpsUrlProblem(value);
  const url = problem ? undefined : new URL(value);
  const extra = url && (url.pathname !== '/' || url.search || url.hash || value.endsWith('?') || value.endsWith('#'));
  if (problem || !url || extra) {
    ctx.addIssue({ code: 'custom', message: problem ?? `must be just the https:// address of the host, with no path, query or fragment, such as https://swbot.example.org (got "${value}")` });
    return z.NEVER;
  }
  return { origin: url.origin, host: url.host };
});

const optionalPageUrl = z.preprocess(
  blankAsUnset,
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      const problem = value === undefined ? undefined : httpsUrlProblem(value);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return value;
    }),
);

const packageEnvSchema = z
  .object({
    MicrosoftAppId: z.preprocess(blankAsUnset, guid("the bot's Microsoft Entra application (client) id")),
    TEAMS_APP_ID: z.preprocess(blankAsUnset, guid('the Teams app id').optional()),
    TAB_APP_ID: z.preprocess(blankAsUnset, guid("the tab's single sign-on Entra app id").optional()),
    PUBLIC_BASE_URL: z.preprocess(blankAsUnset, publicBaseUrl),
    APP_VERSION: z
      .string({ error: 'is not set; set it to the app version, such as 1.0.0' })
      .trim()
      .regex(TEAMS_VERSION, { error: (iss) => `must be three whole numbers, such as 1.0.0 (got "${String(iss.input)}")` }),
    APP_NAME_SUFFIX: z.preprocess(
      blankAsUnset,
      z
        .string()
        .max(MAX_SHORT_NAME - APP_NAME.short.length, `must be at most ${MAX_SHORT_NAME - APP_NAME.short.length} characters, so that "${APP_NAME.short}" plus the suffix fits Teams' ${MAX_SHORT_NAME}-character limit`)
        .optional(),
    ),
    DEVELOPER_NAME: z.preprocess(blankAsUnset, z.string().trim().max(MAX_DEVELOPER_NAME, `must be at most ${MAX_DEVELOPER_NAME} characters`).optional()),
    DEVELOPER_WEBSITE_URL: optionalPageUrl,
    PRIVACY_URL: optionalPageUrl,
    TERMS_URL: optionalPageUrl,
  })
  .transform((e) => ({
    teamsAppId: e.TEAMS_APP_ID ?? e.MicrosoftAppId,
    botAppId: e.MicrosoftAppId,
    /** The app registration the tab's SSO tokens are for: its own when the bot is a managed identity. */
    tabAppId: e.TAB_APP_ID ?? e.MicrosoftAppId,
    version: e.APP_VERSION,
    /** Where Teams reaches the server, as an origin: https://host[:port], no trailing slash. */
    publicBaseUrl: e.PUBLIC_BASE_URL.origin,
    /** The host (with its port, if any) for validDomains and the SSO resource: never a scheme or path. */
    host: e.PUBLIC_BASE_URL.host,
    nameSuffix: e.APP_NAME_SUFFIX ?? '',
    developer: {
      name: e.DEVELOPER_NAME ?? DEFAULT_DEVELOPER_NAME,
      // The server serves the dashboard tab at /tab/; the two policy pages sit beside it.
      websiteUrl: e.DEVELOPER_WEBSITE_URL ?? `${e.PUBLIC_BASE_URL.origin}/tab/`,
      privacyUrl: e.PRIVACY_URL ?? `${e.PUBLIC_BASE_URL.origin}/tab/privacy.html`,
      termsOfUseUrl: e.TERMS_URL ?? `${e.PUBLIC_BASE_URL.origin}/tab/terms.html`,
    },
  }));

export type PackageSettings = z.output<typeof packageEnvSchema>;

export type PackageSettingsResult = { ok: true; settings: PackageSettings } | { ok: false; problems: string[] };

/**
 * Reads the package settings from `env`. APP_VERSION defaults to `packageVersion` (package.json's
 * version). On failure, `problems` holds one line per variable, each starting with its name.
 */
export function packageSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, defaults: { packageVersion: string }): PackageSettingsResult {
  const versionFromPackageJson = blankAsUnset(env.APP_VERSION) === undefined;
  const parsed = packageEnvSchema.safeParse({ ...env, APP_VERSION: versionFromPackageJson ? defaults.packageVersion : env.APP_VERSION });
  if (parsed.success) return { ok: true, settings: parsed.data };

  const byVariable = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    const message = variable === 'APP_VERSION' && versionFromPackageJson ? `${issue.message}; it comes from package.json unless APP_VERSION is set` : issue.message;
    byVariable.set(variable, [...(byVariable.get(variable) ?? []), message]);
  }
  return { ok: false, problems: [...byVariable].map(([variable, messages]) => `${variable}: ${[...new Set(messages)].join('; ')}`) };
}
