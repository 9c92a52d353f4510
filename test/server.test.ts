import http from 'node:http';
import { IDLE_CONNECTION_MS } from '../host/server';
import { startInProcessAzurite } from '../scripts/azurite';
import { ConnectorStub, describeSent } from './support/connectorStub';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';

describe('HTTP server', () => {
  let connector: ConnectorStub;
  let app: TestApp;

  beforeAll(async () => {
    connector = new ConnectorStub();
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, MAX_BODY_BYTES: '65536' });
  });
  afterAll(async () => {
    await app.stop();
    await connector.stop();
  });

  const noStack = (body: string) => {
    expect(body).not.toMatch(/\n\s+at\s/);
    expect(body).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
  };

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('refuses {} with 400 and a plain message', async () => {
    const res = await postActivity(app.url, {});
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'Expected a Bot Framework activity with type, channelId, serviceUrl and conversation.id.' });
    noStack(res.body);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await postActivity(app.url, '{"type": "message", oops');
    expect(res.status).toBe(400);
    noStack(res.body);
  });

  it('refuses a body of the wrong content type with a 4xx', async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    noStack(await res.text());
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, text: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    noStack(res.body);
  });

  it('refuses wrongly typed fields with 400 rather than a 500', async () => {
    const res = await postActivity(app.url, { ...teamsMessage({ serviceUrl: connector.url }), type: 5, conversation: 'nope' });
    expect(res.status).toBe(400);
    noStack(res.body);
  });

  it('refuses an activity whose serviceUrl is not allow-listed, and sends nothing there', async () => {
    const before = connector.sent.length;
    const res = await postActivity(app.url, teamsMessage({ serviceUrl: 'https://attacker.example.org/', text: 'hello' }));
    expect(res.status).toBe(403);
    expect(connector.sent.length).toBe(before);
  });

  it('keeps an idle connection open for minutes, not Node’s 5 seconds, and says so, so a burst after a lull needs no new connections', async () => {
    // A busy Node process lets in one new connection per turn of its event loop, so a burst that has
    // to reconnect waits seconds; one that finds its connections still open does not.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ port: number; keepAlive: string | undefined }>((resolve, reject) => {
        http
          .get(`${app.url}/healthz`, { agent }, (res) => {
            // Read before the end, when the socket goes back to the agent.
            const port = res.socket.localPort ?? 0;
            res.resume();
            res.on('end', () => resolve({ port, keepAlive: res.headers['keep-alive']?.toString() }));
          })
          .on('error', reject);
      });
    try {
      const first = await get();
      expect(first.keepAlive).toBe(`timeout=${IDLE_CONNECTION_MS / 1000}`);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const second = await get();
      // The same client port: the same connection, still open after a lull longer than Node's default.
      expect(second.port).toBe(first.port);
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it('keeps serving after all of that: a greeting gets the welcome card', async () => {
    const before = connector.sent.length;
    const res = await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId: 'after-bad-input', text: 'hello' }));
    expect(res.status).toBe(200);
    await connector.waitFor(before + 1);
    expect(describeSent(connector.sent.slice(before))).toEqual(['card: Children with a social worker: Oakfield Primary (demo)']);
  });
});

describe('readiness when storage is unreachable', () => {
  it('answers 503 from /readyz once storage stops answering, while /healthz stays 200', async () => {
    const azurite = await startInProcessAzurite();
    const app = await startTestApp({}, azurite.connectionString);
    try {
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await azurite.stop();
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'storage unreachable' });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});

describe('tenants', () => {
  it('refuses a message from a tenant with no school in the store, and saves nothing for it', async () => {
    const connector = new ConnectorStub();
    await connector.start();
    const app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url });
    try {
      const res = await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, tenantId: 'some-other-tenant', text: 'hello' }));
      expect(res.status).toBe(200);
      await connector.waitFor(1);
      expect(describeSent(connector.sent)).toEqual(["text: This app is not set up for your organisation. Please speak to your school's IT team."]);
      const rows = [];
      for await (const row of app.store.client('botstate').listEntities()) rows.push(row);
      for await (const row of app.store.client('convrefs').listEntities()) rows.push(row);
      expect(rows).toEqual([]);
    } finally {
      await app.stop();
      await connector.stop();
    }
  });
});
