import http from 'node:http';
import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { GraphMailer } from '../delivery/mail/graphMailer';
import { FakeCredential } from './support/fakeCredential';
import { cardText, createHarness, Harness, MONDAY_9AM } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';

interface Call {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback Microsoft Graph sendMail, answering from a script. */
class GraphStub {
  readonly calls: Call[] = [];
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      this.calls.push({ path: req.url ?? '', headers: req.headers, body });
      const next = this.script.shift() ?? { status: 202 };
      if (next.retryAfter) res.setHeader('retry-after', next.retryAfter);
      res.statusCode = next.status;
      res.end(next.status >= 400 ? JSON.stringify({ error: { code: 'Throttled', message: 'try later' } }) : '');
    });
  });
  constructor(private readonly script: Array<{ status: number; retryAfter?: string }>) {}
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
  sendMailCalls(): Call[] {
    return this.calls.filter((c) => c.path.endsWith('/sendMail'));
  }
}

const RETRY = { baseMs: 1000, maxMs: 60_000, maxAttempts: 8, leaseMs: 60_000, notInstalledRetryMs: 3_600_000 };

async function setUp(script: Array<{ status: number; retryAfter?: string }>, retry = RETRY) {
  const stub = new GraphStub(script);
  const url = await stub.start();
  let now = MONDAY_9AM.getTime();
  const clock = { set: (ms: number) => (now = ms), at: () => now };
  const credential = new FakeCredential();
  const mailer = new GraphMailer({ credential, graphBaseUrl: url, now: () => now });
  const h = await createHarness({ mailer, clock: () => new Date(now), retry, policy: 'holyFamily' });
  await h.install('dsl');
  // Isla: a child who had a social worker; under Holy Family's policy one email goes to the Virtual School.
  const caseId = await raiseSuspensionRisk(h, 'demo-p09');
  await act(h, 'approveCase', { caseId }, 'dsl');
  await h.parts.background.settled();
  return { stub, h, caseId, clock, credential };
}

async function trail(h: Harness, caseId: string) {
  return (await h.parts.cases.auditTrail('oakfield-demo', caseId)).filter((e) => e.action.startsWith('deliver'));
}

describe('emails through Microsoft Graph sendMail (loopback stub)', () => {
  it('429 with Retry-After, 429 without, 503, then 202: retried with backoff, delivered once, audit complete', async () => {
    const { stub, h, caseId, clock, credential } = await setUp([{ status: 429, retryAfter: '1' }, { status: 429 }, { status: 503 }, { status: 202 }]);
    try {
      const t0 = clock.at();
      expect((await h.parts.outbox.runOnce()).retrying).toBe(1);
      clock.set(t0 + 999); // Retry-After: 1 second is honoured, so nothing is due yet
      expect((await h.parts.outbox.runOnce()).retrying).toBe(0);
      clock.set(t0 + 1000);
      expect((await h.parts.outbox.runOnce()).retrying).toBe(1);
      clock.set(t0 + 1000 + 1499); // no Retry-After: backoff, 1.5 s here (2 s ceiling, jitter fixed at 0.5)
      expect((await h.parts.outbox.runOnce()).retrying).toBe(0);
      clock.set(t0 + 2500);
      expect((await h.parts.outbox.runOnce()).retrying).toBe(1);
      clock.set(t0 + 2500 + 3000); // the backoff doubles
      expect((await h.parts.outbox.runOnce()).delivered).toBe(1);
      clock.set(t0 + 60_000);
      expect(await h.parts.outbox.runOnce()).toMatchObject({ delivered: 0, retrying: 0 });

      const sends = stub.sendMailCalls();
      expect(sends).toHaveLength(4);
      expect(new Set(sends.map((c) => c.headers['client-request-id'])).size).toBe(1);
      expect(sends.every((c) => c.headers.authorization === 'Bearer stub-token')).toBe(true);
      expect(sends[0]!.path).toBe('/v1.0/users/safeguarding%40oakfield-demo.example.org/sendMail');
      // The MIME message, base64 (Graph's MIME format): the same Message-ID on every attempt.
      const messages = await Promise.all(sends.map((c) => simpleParser(Buffer.from(c.body, 'base64'))));
      expect(messages.map((m) => (Array.isArray(m.to) ? undefined : m.to?.value[0]?.address))).toEqual(Array(4).fill('virtualschool@herts-vs.example.org'));
      expect(new Set(messages.map((m) => m.messageId)).size).toBe(1);
      expect(new Set(credential.scopes)).toEqual(new Set(['https://graph.microsoft.com/.default']));

      const entries = await trail(h, caseId);
      expect(entries.map((e) => [e.action, e.detail.status ?? null, e.detail.retryInMs ?? null])).toEqual([
        ['deliveryRetry', 429, 1000],
        ['deliveryRetry', 429, 1500],
        ['deliveryRetry', 503, 3000],
        ['delivered', null, null],
      ]);
      expect(entries[3]!.detail.attempts).toBe(4);
    } finally {
      await stub.stop();
    }
  });

  it('a message that keeps failing is marked failed and the DSL is told; nothing is dropped', async () => {
    const { stub, h, caseId, clock } = await setUp(Array.from({ length: 10 }, () => ({ status: 503 })), { ...RETRY, maxAttempts: 3 });
    try {
      for (let i = 0; i < 5; i++) {
        await h.parts.outbox.runOnce();
        clock.set(clock.at() + 60_000);
      }
      expect(stub.sendMailCalls()).toHaveLength(3);
      const email = (await h.parts.cases.notifications('oakfield-demo', caseId)).find((n) => n.channel === 'email')!;
      expect(email.status).toBe('failed');
      expect(email.delivery?.lastError).toBe('Microsoft Graph sendMail answered 503');
      expect((await trail(h, caseId)).map((e) => e.action)).toEqual(['deliveryRetry', 'deliveryRetry', 'deliveryFailed']);
      const alert = h.sender.sent.find((s) => cardText(s.activity.attachments?.[0]?.content).startsWith('Not sent: SUS-'));
      expect(alert?.ref.aadObjectId).toBe('00000000-0000-0000-0000-0000000000021');
      expect(cardText(alert!.activity.attachments![0]!.content)).toContain('Microsoft Graph sendMail answered 503');
    } finally {
      await stub.stop();
    }
  });

  it('a permanent refusal (400) is not retried: failed at once and surfaced', async () => {
    const { stub, h, caseId } = await setUp([{ status: 400 }]);
    try {
      expect((await h.parts.outbox.runOnce()).failed).toBe(1);
      expect(stub.sendMailCalls()).toHaveLength(1);
      expect((await trail(h, caseId)).map((e) => e.action)).toEqual(['deliveryFailed']);
    } finally {
      await stub.stop();
    }
  });

  it('an identity endpoint that does not answer is a wait, not a failure: retried, then sent with the token', async () => {
    const { stub, h, caseId, clock, credential } = await setUp([{ status: 202 }]);
    try {
      credential.failWith = new Error('ManagedIdentityCredential: connect ECONNREFUSED 127.0.0.1:41741\n    at Socket.emit');
      expect((await h.parts.outbox.runOnce()).retrying).toBe(1);
      expect(stub.sendMailCalls()).toHaveLength(0);
      const email = (await h.parts.cases.notifications('oakfield-demo', caseId)).find((n) => n.channel === 'email')!;
      expect(email.delivery?.lastError).toBe('could not get a token for Microsoft Graph: ManagedIdentityCredential: connect ECONNREFUSED 127.0.0.1:41741');
      credential.failWith = undefined;
      clock.set(clock.at() + 60_000);
      expect((await h.parts.outbox.runOnce()).delivered).toBe(1);
      expect(stub.sendMailCalls().map((c) => c.headers.authorization)).toEqual(['Bearer stub-token']);
    } finally {
      await stub.stop();
    }
  });
});
