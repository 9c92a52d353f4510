import http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';

/**
 * A loopback stand-in for login.botframework.com: OpenID metadata and one signing key endorsed for
 * Teams, and tokens signed as the Bot Connector signs them for an activity to the bot.
 */
export class ChannelIssuer {
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private key: KeyLike | undefined;
  private keys: unknown[] = [];

  async start(): Promise<void> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.key = pair.privateKey;
    this.keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'teams-key', kty: 'RSA', use: 'sig', endorsements: ['msteams'] }];
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** BOT_OPENID_METADATA_URL and BOT_TOKEN_ISSUER for the bot under test. */
  get settings(): { BOT_OPENID_METADATA_URL: string; BOT_TOKEN_ISSUER: string } {
    return { BOT_OPENID_METADATA_URL: `${this.base}/v1/.well-known/openidconfiguration`, BOT_TOKEN_ISSUER: `${this.base}/issuer` };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** `Bearer <token>` for an activity to the bot `appId` from the connector at `serviceUrl`. */
  async authorization(appId: string, serviceUrl: string): Promise<string> {
    if (!this.key) throw new Error('start() first');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ serviceurl: serviceUrl })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'teams-key' })
      .setIssuer(this.settings.BOT_TOKEN_ISSUER)
      .setAudience(appId)
      .setNotBefore(now - 60)
      .setExpirationTime(now + 3600)
      .sign(this.key);
    return `Bearer ${token}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return json({ issuer: this.settings.BOT_TOKEN_ISSUER, jwks_uri: `${this.base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.url === '/v1/.well-known/keys') return json({ keys: this.keys });
    res.writeHead(404);
    res.end();
  }
}
