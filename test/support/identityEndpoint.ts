import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

export interface TokenRequest {
  resource: string;
  clientId: string | undefined;
  /** Whether the caller presented the header App Service gives only to its own processes. */
  headerOk: boolean;
}

/**
 * A loopback stand-in for App Service's managed identity endpoint (IDENTITY_ENDPOINT, protocol
 * 2019-08-01): a GET with the resource and the user-assigned identity's client id, authorised by the
 * X-IDENTITY-HEADER value App Service puts in the app's environment. It answers with an access token
 * shaped as Entra ID's: issuer sts.windows.net/<tenant>/, audience the resource, an hour's lifetime.
 */
export class IdentityEndpoint {
  readonly requests: TokenRequest[] = [];
  /** What the app must present; App Service makes a new one per start, and it is no one's secret to keep. */
  readonly header = randomBytes(16).toString('hex');
  private readonly signingKey = randomBytes(32);
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  constructor(
    private readonly tenantId: string,
    private readonly clientId: string,
  ) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** The value of IDENTITY_ENDPOINT. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A token as this endpoint issues them, for a resource (also used to call Azurite directly). */
  async token(resource: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: `https://sts.windows.net/${this.tenantId}/`,
      aud: resource,
      iat: now,
      nbf: now - 60,
      exp: now + 3600,
      oid: this.clientId,
      appid: this.clientId,
      tid: this.tenantId,
      ...overrides,
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(this.signingKey);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const resource = url.searchParams.get('resource') ?? '';
    const clientId = url.searchParams.get('client_id') ?? undefined;
    const headerOk = req.headers['x-identity-header'] === this.header;
    this.requests.push({ resource, clientId, headerOk });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || url.pathname !== '/msi/token' || url.searchParams.get('api-version') !== '2019-08-01') return json(404, { error: 'not_found' });
    if (!headerOk) return json(401, { error: 'invalid_request', error_description: 'X-IDENTITY-HEADER missing or wrong' });
    if (clientId !== undefined && clientId !== this.clientId) return json(400, { error: 'invalid_request', error_description: 'No managed identity with that client id is assigned to this app' });
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    json(200, { access_token: await this.token(resource), expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: this.clientId });
  }
}
