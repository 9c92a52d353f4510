import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import { Logger } from '../../telemetry/logger';
import { bearerToken, TabAuthenticator, TabIdentity } from './tabIdentity';

export interface EntraTokenSettings {
  /** The Entra app registration the tab's SSO token is issued for (the bot's app id). */
  appId: string;
  /** Where the tab is served from; the Application ID URI is api://{host}/{appId}. */
  publicBaseUrl?: string;
  /** Entra ID's signing keys (overridable for national clouds and for tests). */
  jwksUrl: string;
  /** Login host, e.g. https://login.microsoftonline.com: v2.0 issuers are {authorityHost}/{tid}/v2.0. */
  authorityHost: string;
  /** The tenants whose staff may use the tab (those of the schools in the store). */
  allowedTenants: () => Promise<ReadonlySet<string>>;
  /** Allowed clock difference in seconds; Microsoft's libraries use 5 minutes. */
  clockToleranceSeconds?: number;
  logger: Logger;
}

/** The claims the tab relies on, checked after the signature is. */
const claimsSchema = z.object({
  tid: z.string().regex(/^[0-9a-f-]{36}$/i),
  oid: z.string().regex(/^[0-9a-f-]{36}$/i),
  iss: z.string(),
  name: z.string().max(200).optional(),
  preferred_username: z.string().max(200).optional(),
});

/**
 * Validates the SSO token Teams gives the tab (`authentication.getAuthToken`): signed by Entra ID
 * (RS256 only, keys from the JWKS endpoint), for this app (audience), not expired, issued by the
 * token's own tenant's issuer, and that tenant one of the schools'. Anything else is refused.
 */
export class EntraTokenValidator implements TabAuthenticator {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly audiences: string[];

  constructor(private readonly settings: EntraTokenSettings) {
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 12 * 60 * 60 * 1000 });
    const audiences = [settings.appId, `api://${settings.appId}`];
    if (settings.publicBaseUrl) audiences.push(`api://${new URL(settings.publicBaseUrl).host}/${settings.appId}`);
    this.audiences = audiences;
  }

  async authenticate(header: string | undefined): Promise<TabIdentity | undefined> {
    const token = bearerToken(header);
    if (!token) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        audience: this.audiences,
        clockTolerance: this.settings.clockToleranceSeconds ?? 300,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
      }));
    } catch (err) {
      this.refuse(err instanceof errors.JOSEError ? err.code : 'ERR_MALFORMED');
      return undefined;
    }
    // Entra ID issues one audience per token; a list (even one naming this app) is not its.
    if (Array.isArray(payload.aud)) return this.refuse('audience list');
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return this.refuse('claims');
    const { tid, oid, iss } = claims.data;
    const host = this.settings.authorityHost.replace(/\/$/, '');
    // Multi-tenant keys are shared by all tenants, so the issuer must name the token's own tenant.
    const issuers = [`${host}/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    if (!issuers.includes(iss)) return this.refuse('issuer');
    if (!(await this.settings.allowedTenants()).has(tid)) return this.refuse('tenant');
    return { tenantId: tid, aadObjectId: oid, displayName: claims.data.name ?? claims.data.preferred_username ?? 'Unknown', via: 'entra' };
  }

  private refuse(reason: string): undefined {
    // The reason only: a token is a credential and never goes into a log.
    this.settings.logger.warn({ event: 'tabTokenRefused', reason }, 'tab token refused');
    return undefined;
  }
}
