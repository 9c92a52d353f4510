import { Server } from 'restify';
import { Logger } from '../../telemetry/logger';
import { SchoolDirectory } from '../../services/schoolDirectory';
import { DevelopmentSignIn } from './developmentSignIn';
import { EntraTokenValidator } from './entraTokenValidator';
import { TabApi, TabApiDeps } from './tabApi';
import { TabAssets } from './tabAssets';
import { TabAuthenticator, TabMode } from './tabIdentity';
import { RegisterUpload, registerTabRoutes } from './tabRoutes';

/** What the tab needs of the composed bot: the API's own dependencies, and the register upload. */
export type TabParts = Omit<TabApiDeps, 'logger' | 'clock'> & { upload?: RegisterUpload };

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

/**
 * The dashboard tab's routes. Production accepts only Entra ID SSO tokens; local mode accepts only
 * the development sign-in, whose routes and key do not exist in production.
 */
export function tabRoutes(config: TabSettings, parts: TabParts, logger: Logger, clock: () => Date = () => new Date()): (server: Server) => void {
  const api = new TabApi({ ...parts, logger, clock });
  let auth: TabAuthenticator;
  let development: { signIn: DevelopmentSignIn; directory: SchoolDirectory } | undefined;
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
    development = { signIn, directory: parts.directory };
  }
  return (server) =>
    registerTabRoutes(server, { api, auth, assets: new TabAssets(), logger, development, upload: parts.upload, maxUploadBytes: MAX_UPLOAD_BYTES });
}
