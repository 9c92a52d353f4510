import { Server } from 'restify';
import { Logger } from '../../telemetry/logger';
import { SchoolDirectory } from '../../services/schoolDirectory';
import { SchoolSetup } from '../../services/schoolSetup';
import { SchoolRepository } from '../../storage/schoolRepository';
import { StaffRepository } from '../../storage/staffRepository';
import { TrustRepository } from '../../storage/trustRepository';
import { DevelopmentSignIn } from './developmentSignIn';
import { EntraTokenValidator } from './entraTokenValidator';
import { SettingsRefusals } from '../../services/refusalLog';
import { TabApi, TabApiDeps } from './tabApi';
import { TabAssets } from './tabAssets';
import { TabAuthenticator, TabMode } from './tabIdentity';
import { RegisterUpload, registerTabRoutes } from './tabRoutes';
import { MAX_SETTINGS_TEXT, TabSettingsApi } from './tabSettings';

/**
 * What the tab needs of the composed bot (host/composition.ts, composeBot's return value): the
 * API's own dependencies, the register upload, and for the Settings view the school set-up
 * service, the stored profiles, the staff rosters and the trusts.
 */
export type TabParts = Omit<TabApiDeps, 'logger' | 'clock'> & {
  upload?: RegisterUpload;
  setup: SchoolSetup;
  schools: SchoolRepository;
  staffRepo: StaffRepository;
  trusts: TrustRepository;
  /** Refused settings requests, counted per window; the host flushes it on stop so no count is lost. */
  settingsRefusals: SettingsRefusals;
};

/** The settings the tab reads (the process's configuration has them; see host/config.ts). */
export interface TabSettings {
  readonly mode: TabMode;
  /** The Entra app the tab's single sign-on tokens are issued for (its own registration with a managed-identity bot). */
  readonly tabAppId: string;
  readonly publicBaseUrl: string | undefined;
  readonly tabJwksUrl: string;
  readonly authorityHost: string;
  /** Empty means "the tenants of the schools in the store". */
  readonly allowedTenantIds: readonly string[];
}

/** A CSV of 5,000 pupils is well under this; JSON escaping adds a little. */
const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

/** A term-dates file or a profile (each at most MAX_SETTINGS_TEXT characters), JSON-escaped, with room to spare. */
const MAX_SETTINGS_BYTES = 4 * MAX_SETTINGS_TEXT;

/**
 * The dashboard tab's routes. Production accepts only Entra ID SSO tokens; local mode accepts only
 * the development sign-in, whose routes and key do not exist in production.
 */
export function tabRoutes(config: TabSettings, parts: TabParts, logger: Logger, clock: () => Date = () => new Date()): (server: Server) => void {
  const api = new TabApi({ ...parts, logger, clock });
  const settings = new TabSettingsApi({
    callers: api.callers,
    settings: parts.settings,
    setup: parts.setup,
    schools: parts.schools,
    staffRepo: parts.staffRepo,
    trusts: parts.trusts,
    conversationRefs: parts.conversationRefs,
    refusals: parts.settingsRefusals,
    logger,
  });
  let auth: TabAuthenticator;
  let development: { signIn: DevelopmentSignIn; directory: SchoolDirectory; trusts: TrustRepository } | undefined;
  if (config.mode === 'production') {
    auth = new EntraTokenValidator({
      appId: config.tabAppId,
      publicBaseUrl: config.publicBaseUrl,
      jwksUrl: config.tabJwksUrl,
      authorityHost: config.authorityHost,
      allowedTenants: async () => (config.allowedTenantIds.length > 0 ? new Set(config.allowedTenantIds) : parts.directory.tenants()),
      logger,
    });
  } else {
    const signIn = new DevelopmentSignIn(config.mode);
    auth = signIn;
    development = { signIn, directory: parts.directory, trusts: parts.trusts };
  }
  return (server) =>
    registerTabRoutes(server, { api, settings, auth, assets: new TabAssets(), logger, development, upload: parts.upload, maxUploadBytes: MAX_UPLOAD_BYTES, maxSettingsBytes: MAX_SETTINGS_BYTES });
}
