import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { bearerToken, TabAuthenticator, TabIdentity, TabMode } from './tabIdentity';

const ISSUER = 'local-development-sign-in';

const claimsSchema = z.object({ tid: z.string().min(1), oid: z.string().min(1), name: z.string().max(200) });

/**
 * Local mode only: the Agents Playground and a plain browser have no Teams single sign-on, so the
 * tab offers "sign in as" one of the demo school's staff. Tokens are signed with a key made fresh
 * by each process and never stored, so they cannot outlive it or be forged from outside.
 * It cannot be built in production mode: the constructor refuses.
 */
export class DevelopmentSignIn implements TabAuthenticator {
  private readonly key = randomBytes(32);

  constructor(mode: TabMode) {
    if (mode !== 'local') throw new Error('the development sign-in exists in local mode only');
  }

  async issue(tenantId: string, aadObjectId: string, name: string): Promise<string> {
    return new SignJWT({ tid: tenantId, oid: aadObjectId, name })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('8h')
      .sign(this.key);
  }

  async authenticate(header: string | undefined): Promise<TabIdentity | undefined> {
    const token = bearerToken(header);
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return undefined;
      return { tenantId: claims.data.tid, aadObjectId: claims.data.oid, displayName: claims.data.name, via: 'development' };
    } catch {
      return undefined;
    }
  }
}
