import { request } from 'node:http';
import { DEMO_STAFF } from '../demo/demoSchool';
import { postActivity, teamsMessage } from './support/activities';
import { appWithConnector } from './support/app';

/**
 * What reaches the HTTP server before any bot or tab code runs (security round two): the Host
 * header in local mode (DNS rebinding), the content type (cross-site form posts), bodies sent
 * without a token (read before being refused), and nosniff on JSON.
 */

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with any Host header (fetch will not set one), optionally sending only part of a declared body. */
function raw(url: string, o: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string; declaredLength?: number }): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: o.method ?? 'GET',
        path: o.path,
        headers: {
          ...(o.host ? { host: o.host } : {}),
          ...(o.declaredLength !== undefined ? { 'content-length': String(o.declaredLength) } : {}),
          ...o.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server may close the connection after answering, while we are still sending.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
      reject(err);
    });
    if (o.body !== undefined) req.write(o.body);
    // A declared body we never finish sending: the answer must come without the rest of it.
    if (o.declaredLength === undefined) req.end();
  });
}

describe('the HTTP edge in local mode', () => {
  const suite = appWithConnector();

  const devToken = async (): Promise<string> => {
    const res = await fetch(`${suite.app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: DEMO_STAFF.dsl.aadObjectId }) });
    return ((await res.json()) as { token: string }).token;
  };

  it('answers only requests addressed to a loopback host: a rebound name gets 421 from every route', async () => {
    const port = new URL(suite.app.url).port;
    const token = await devToken();
    const rebound = 'rebind.attacker.example';
    const requests: Array<{ path: string; method?: string; headers?: Record<string, string>; body?: string }> = [
      { path: '/api/tab/dev/staff' },
      { path: '/api/tab/pupils/demo-p01', headers: { authorization: `Bearer ${token}` } },
      { path: '/api/messages', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage({ serviceUrl: suite.connector.url, text: 'hello' })) },
      { path: '/tab/' },
    ];
    for (const r of requests) {
      const res = await raw(suite.app.url, { ...r, host: `${rebound}:${port}` });
      expect({ path: r.path, status: res.status }).toEqual({ path: r.path, status: 421 });
      expect(res.body).not.toContain('Megan');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) {
      expect((await raw(suite.app.url, { path: '/api/tab/dev/staff', host })).status).toBe(200);
    }
  });

  it('takes only application/json on /api/messages and the tab API (415 otherwise), so a cross-site form post never runs a turn', async () => {
    const before = suite.connector.received.length;
    const form = new URLSearchParams({ type: 'message', channelId: 'msteams', serviceUrl: suite.connector.url, text: 'hello', 'conversation[id]': 'x', 'from[id]': 'y', 'recipient[id]': 'z' }).toString();
    const res = await raw(suite.app.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(res.status).toBe(415);
    for (const type of ['text/plain', 'multipart/form-data; boundary=x']) {
      expect((await raw(suite.app.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': type }, body: 'hello' })).status).toBe(415);
    }
    const token = await devToken();
    const upload = await raw(suite.app.url, { method: 'POST', path: '/api/tab/register', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` }, body: 'csv=x&dryRun=true' });
    expect(upload.status).toBe(415);
    expect(suite.connector.received.length).toBe(before);
    // JSON with a charset is JSON.
    const ok = await postActivity(suite.app.url, teamsMessage({ serviceUrl: suite.connector.url, text: 'hello' }), { 'content-type': 'application/json; charset=utf-8' });
    expect(ok.status).toBe(200);
  });

  it('marks every JSON answer nosniff', async () => {
    const requests: Array<{ path: string; method?: string; headers?: Record<string, string>; body?: string }> = [
      { path: '/healthz' },
      { path: '/readyz' },
      { path: '/api/tab/me' },
      { path: '/api/messages', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    ];
    for (const r of requests) {
      const res = await raw(suite.app.url, r);
      expect({ path: r.path, nosniff: res.headers['x-content-type-options'] }).toEqual({ path: r.path, nosniff: 'nosniff' });
    }
  });

  it('refuses a register upload without a token before reading its body', async () => {
    // 6 MB declared, 64 KB sent, the rest never: the 401 must come without waiting for it.
    const res = await raw(suite.app.url, { method: 'POST', path: '/api/tab/register', headers: { 'content-type': 'application/json' }, declaredLength: 6 * 1024 * 1024, body: `{"csv":"${'x'.repeat(64 * 1024)}` });
    expect(res.status).toBe(401);
  });
});
