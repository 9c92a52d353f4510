import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AddressObject, simpleParser } from 'mailparser';
import { EmlMailer } from '../delivery/mail/emlMailer';
import { GraphMailer } from '../delivery/mail/graphMailer';
import { OutgoingEmail } from '../policy/email';
import { FakeCredential } from './support/fakeCredential';

/**
 * The headers of every email, whichever way it leaves: a Date, a Message-ID that is the same on
 * every attempt for one notification (so a retry after a lost answer is the same message), and
 * display names quoted or encoded as RFC 5322 says, from names with commas, apostrophes and accents.
 * Both paths send the bytes nodemailer composes: Graph gets them as a MIME message.
 */

const names = {
  comma: 'Castell, Priya',
  apostrophe: "Siobhán O'Neill",
  accents: 'Zoë Brontë-Ærø',
  school: "St Mary's C of E Primary (demo)",
};
const email = (to: string, from = names.school): OutgoingEmail => ({
  from: 'safeguarding@stmarys.example.org',
  fromName: from,
  to: { name: to, address: 'priya.castell@essex-socialcare.example.org' },
  replyTo: { name: names.apostrophe, address: 'siobhan.oneill@stmarys.example.org' },
  subject: "St Mary's C of E Primary (demo): attendance concern – please reply by Tue 24 Nov 2026 – ref ATT-7K2QX",
  text: 'Dear Priya Castell,\n\nA made-up email about a made-up child: Zoë.\n',
});
const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => ({ name: v.name, address: v.address })));
const headerLines = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ').split('\r\n');

describe('the .eml writer (local mode)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'eml-headers-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const eml = async (key: string) => readFile(path.join(dir, `${key}.eml`), 'utf8');

  it.each(Object.entries(names))('a display name with %s reads back exactly, as one address', async (_kind, name) => {
    await new EmlMailer(dir).send(email(name, name), 'case-1.e0');
    const parsed = await simpleParser(await eml('case-1.e0'));
    expect(addresses(parsed.to)).toEqual([{ name, address: 'priya.castell@essex-socialcare.example.org' }]);
    expect(addresses(parsed.from)).toEqual([{ name, address: 'safeguarding@stmarys.example.org' }]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: names.apostrophe, address: 'siobhan.oneill@stmarys.example.org' }]);
  });

  it('writes names quoted where RFC 5322 needs it (a comma, parentheses) and encoded where it is not ASCII', async () => {
    await new EmlMailer(dir).send(email(names.comma), 'case-1.e0');
    const headers = headerLines(await eml('case-1.e0'));
    expect(headers).toContain('To: "Castell, Priya" <priya.castell@essex-socialcare.example.org>');
    expect(headers).toContain(`From: "St Mary's C of E Primary (demo)" <safeguarding@stmarys.example.org>`);
    // Unquoted, a comma would make two recipients ("Castell" and "Priya <…>").
    expect(headers.some((h) => h.startsWith('To: Castell,'))).toBe(false);
    await new EmlMailer(dir).send(email(names.accents), 'case-1.e1');
    expect(headerLines(await eml('case-1.e1'))).toContain('To: =?UTF-8?Q?Zo=C3=AB_Bront=C3=AB-=C3=86r=C3=B8?= <priya.castell@essex-socialcare.example.org>');
  });

  it("a line break in the school's name adds no header: the sender stays one line", async () => {
    await new EmlMailer(dir).send(email(names.comma, 'Oakfield Primary\r\nBcc: attacker@evil.example'), 'case-1.e0');
    const raw = await eml('case-1.e0');
    const parsed = await simpleParser(raw);
    expect(addresses(parsed.from)).toEqual([{ name: 'Oakfield Primary Bcc: attacker@evil.example', address: 'safeguarding@stmarys.example.org' }]);
    expect(parsed.bcc).toBeUndefined();
    expect(headerLines(raw).some((h) => /^Bcc:/i.test(h))).toBe(false);
  });

  it('dates each attempt and keeps its Message-ID: written twice, the same id', async () => {
    await new EmlMailer(dir, () => new Date('2026-11-23T10:16:00Z')).send(email(names.comma), 'case-1.e0');
    const first = await simpleParser(await eml('case-1.e0'));
    await new EmlMailer(dir, () => new Date('2026-11-23T10:46:30Z')).send(email(names.comma), 'case-1.e0');
    const raw = await eml('case-1.e0');
    const second = await simpleParser(raw);
    expect(first.messageId).toBe('<case-1.e0@stmarys.example.org>');
    expect(second.messageId).toBe(first.messageId);
    expect(headerLines(raw)).toContain('Date: Mon, 23 Nov 2026 10:46:30 +0000');
    expect(first.date?.toISOString()).toBe('2026-11-23T10:16:00.000Z');
  });
});

describe('the Microsoft Graph path', () => {
  let server: Server;
  let url: string;
  const calls: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(202);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const graph = (at: number) => new GraphMailer({ credential: new FakeCredential(), graphBaseUrl: url, now: () => at });
  const sent = (i: number) => Buffer.from(calls[i]!.body, 'base64').toString('utf8');

  it('sends the message as MIME, with Date, Message-ID and quoted names, to the school mailbox', async () => {
    calls.length = 0;
    await graph(Date.parse('2026-11-23T10:16:00Z')).send(email(names.comma), 'case-1.e0');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/v1.0/users/safeguarding%40stmarys.example.org/sendMail');
    expect(calls[0]!.headers['content-type']).toBe('text/plain');
    expect(calls[0]!.headers['client-request-id']).toBe('case-1.e0');
    const raw = sent(0);
    const headers = headerLines(raw);
    expect(headers).toEqual(
      expect.arrayContaining([
        'To: "Castell, Priya" <priya.castell@essex-socialcare.example.org>',
        `From: "St Mary's C of E Primary (demo)" <safeguarding@stmarys.example.org>`,
        'Date: Mon, 23 Nov 2026 10:16:00 +0000',
        'Message-ID: <case-1.e0@stmarys.example.org>',
      ]),
    );
    const parsed = await simpleParser(raw);
    expect(addresses(parsed.to)).toEqual([{ name: names.comma, address: 'priya.castell@essex-socialcare.example.org' }]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: names.apostrophe, address: 'siobhan.oneill@stmarys.example.org' }]);
    expect(parsed.subject).toBe(email(names.comma).subject);
    expect(parsed.text).toBe('Dear Priya Castell,\n\nA made-up email about a made-up child: Zoë.\n');
  });

  it('a retried send has the same Message-ID as the first attempt, and as the .eml writer gives it', async () => {
    calls.length = 0;
    await graph(Date.parse('2026-11-23T10:16:00Z')).send(email(names.accents), 'case-1.e0');
    await graph(Date.parse('2026-11-23T10:17:30Z')).send(email(names.accents), 'case-1.e0');
    const [first, retry] = await Promise.all([simpleParser(sent(0)), simpleParser(sent(1))]);
    expect(first.messageId).toBe('<case-1.e0@stmarys.example.org>');
    expect(retry.messageId).toBe(first.messageId);
    expect(retry.date?.toISOString()).toBe('2026-11-23T10:17:30.000Z');
    expect(addresses(retry.to)).toEqual([{ name: names.accents, address: 'priya.castell@essex-socialcare.example.org' }]);
    await graph(Date.parse('2026-11-23T10:18:00Z')).send(email(names.accents), 'case-1.e1');
    expect((await simpleParser(sent(2))).messageId).toBe('<case-1.e1@stmarys.example.org>');
  });
});
