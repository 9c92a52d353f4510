import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { GraphMailer } from '../delivery/mail/graphMailer';
import { ConfigError, loadConfig } from '../host/config';
import { botAuthSettings, graphCredential, loadCertificate } from '../host/credentials';
import { IdentityEndpoint } from './support/identityEndpoint';
import { selfSignedCertificate } from './support/selfSignedCertificate';

/**
 * The app's own credentials, decided in one place (host/credentials.ts): the managed identity for
 * Microsoft Graph mail, proved against a loopback App Service identity endpoint; and the
 * certificate alternative to a client secret, read from a PEM file.
 */

const IDENTITY = '5c1f0a2e-7b3d-4e8f-9a6b-1d2c3e4f5a6b';
const TENANT = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'swbot-credentials-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('email through Microsoft Graph as the managed identity', () => {
  const identity = new IdentityEndpoint(TENANT, IDENTITY);
  const received: Array<{ path: string; authorization: string | undefined }> = [];
  const graph = http.createServer((req, res) => {
    received.push({ path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => {
      res.statusCode = 202;
      res.end();
    });
  });
  let graphUrl: string;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  beforeAll(async () => {
    await identity.start();
    await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
    graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
    // What App Service puts in the environment of an app with a managed identity.
    process.env.IDENTITY_ENDPOINT = identity.url;
    process.env.IDENTITY_HEADER = identity.header;
  });
  afterAll(async () => {
    process.env.IDENTITY_ENDPOINT = saved.endpoint;
    process.env.IDENTITY_HEADER = saved.header;
    await identity.stop();
    graph.closeAllConnections();
    await new Promise<void>((r) => graph.close(() => r()));
  });

  it('asks the identity endpoint for a Graph token as the user-assigned identity, and sends with it; no secret anywhere', async () => {
    const config = loadConfig({ MicrosoftAppId: IDENTITY, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT, AZURE_TABLES_ENDPOINT: 'https://trust.table.core.windows.net', GRAPH_BASE_URL: graphUrl });
    const credential = graphCredential(config, undefined)!;
    const mailer = new GraphMailer({ credential, graphBaseUrl: config.graphBaseUrl });
    const email = { from: 'safeguarding@oakfield.example.org', to: { name: 'Jo Marsh', address: 'jo.marsh@herts.example.org' }, subject: 'A notification (synthetic)', text: 'Synthetic test email.' };
    await mailer.send(email, 'key-1');
    await mailer.send(email, 'key-2');
    expect(received.map((r) => r.path)).toEqual(['/v1.0/users/safeguarding%40oakfield.example.org/sendMail', '/v1.0/users/safeguarding%40oakfield.example.org/sendMail']);
    const token = received[0]!.authorization!.replace(/^Bearer /, '');
    expect(decodeJwt(token)).toMatchObject({ aud: 'https://graph.microsoft.com', appid: IDENTITY });
    // One token for both emails: the credential keeps it until it nears expiry.
    expect(identity.requests).toEqual([{ resource: 'https://graph.microsoft.com', clientId: IDENTITY, headerOk: true }]);
    expect(botAuthSettings(config, undefined).auth).toEqual({ appId: IDENTITY, appType: 'UserAssignedMSI', tenantId: TENANT });
  });
});

describe('a certificate instead of a client secret', () => {
  const thumbprintByOpenssl = (file: string) =>
    spawnSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).stdout.trim().replace(/^.*=/, '').replace(/:/g, '');

  it('is read from one PEM file: key and certificate, with the thumbprint botbuilder signs its assertion with', () => {
    const files = selfSignedCertificate(path.join(work, 'good'), { commonName: 'swbot-synthetic' });
    const loaded = loadCertificate(files.combined);
    expect(loaded.thumbprint).toBe(thumbprintByOpenssl(files.cert));
    expect(loaded.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const config = loadConfig({ MicrosoftAppId: IDENTITY, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, MicrosoftAppCertificatePath: files.combined, AZURE_TABLES_ENDPOINT: 'https://trust.table.core.windows.net' });
    const auth = botAuthSettings(config, loaded).auth;
    expect(auth.certificate?.thumbprint).toBe(loaded.thumbprint);
    expect(auth.password).toBeUndefined();
  });

  it('refuses, in one line, a file without a key, a key of another certificate, and an expired certificate', () => {
    const a = selfSignedCertificate(path.join(work, 'a'));
    const b = selfSignedCertificate(path.join(work, 'b'));
    const certOnly = path.join(work, 'cert-only.pem');
    writeFileSync(certOnly, readFileSync(a.cert));
    expect(() => loadCertificate(certOnly)).toThrow(ConfigError);
    expect(() => loadCertificate(certOnly)).toThrow(/must hold an unencrypted private key and its certificate/);
    const mismatched = path.join(work, 'mismatched.pem');
    writeFileSync(mismatched, readFileSync(b.key, 'utf8') + readFileSync(a.cert, 'utf8'));
    expect(() => loadCertificate(mismatched)).toThrow(/does not belong to its certificate/);
    // A certificate made today for two days, checked as if it were a week from now.
    const weekAhead = new Date(Date.now() + 7 * 24 * 3600_000);
    expect(() => loadCertificate(a.combined, weekAhead)).toThrow(/^MicrosoftAppCertificatePath: the certificate in .* expired on \d{4}-\d{2}-\d{2}$/);
    expect(loadCertificate(a.combined).validTo.getTime()).toBeGreaterThan(Date.now());
  });
});
