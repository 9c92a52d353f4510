import type { AccessToken, TokenCredential } from '@azure/core-auth';

/** A stand-in for the app's identity: hands out one token and records the scopes asked for. */
export class FakeCredential implements TokenCredential {
  readonly scopes: string[] = [];
  /** Set to make the next requests fail as an unreachable identity endpoint would. */
  failWith: Error | undefined;

  constructor(private readonly token = 'stub-token') {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    if (this.failWith) throw this.failWith;
    return { token: this.token, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}
