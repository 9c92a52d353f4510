import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { EmlMailer } from '../delivery/mail/emlMailer';
import { GraphMailer } from '../delivery/mail/graphMailer';
import { FakeCredential } from './support/fakeCredential';
import { MailError } from '../delivery/mail/mailer';
import { OutgoingEmail } from '../policy/email';

/**
 * A name or address from the register (or typed by someone) must never add a recipient or a header
 * to an email about a child (security round two, item 7), whether the email is written as an .eml
 * file or sent through Microsoft Graph.
 */

const HOSTILE_NAME = 'Evil Person <attacker@evil.example>, Real SW';
const email = (to: OutgoingEmail['to'], replyTo?: OutgoingEmail['replyTo']): OutgoingEmail => ({
  from: 'safeguarding@oakfield.example.org',
  to,
  ...(replyTo ? { replyTo } : {}),
  subject: 'Oakfield Primary (demo): attendance – ref ATT-7K2QX9\r\nBcc: attacker@evil.example',
  text: 'Dear Real SW,\n\nA made-up email about a made-up child.',
});

describe('the .eml writer (local mode)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'eml-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const written = async () => {
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
    return { file: path.join(dir, file!), text: await readFile(path.join(dir, file!), 'utf8') };
  };

  it('a hostile display name stays one recipient, quoted, and a line break in the subject adds no header', async () => {
    await new EmlMailer(dir).send(email({ name: HOSTILE_NAME, address: 'sw@socialcare.example.org' }, { name: 'Adele "DT" Vance\r\nCc: x@evil.example', address: 'adele.vance@oakfield.example.org' }), 'n1');
    const { text } = await written();
    const parsed = await simpleParser(text);
    const to = Array.isArray(parsed.to) ? parsed.to.flatMap((t) => t.value) : (parsed.to?.value ?? []);
    expect(to.map((a) => a.address)).toEqual(['sw@socialcare.example.org']);
    expect(to[0]!.name).toBe('Evil Person <attacker@evil.example>, Real SW');
    expect(parsed.cc).toBeUndefined();
    expect(parsed.bcc).toBeUndefined();
    expect(text).not.toMatch(/^(Bcc|Cc):/im);
    expect(parsed.replyTo?.value.map((a) => a.address)).toEqual(['adele.vance@oakfield.example.org']);
    // Every line of the headers is one header: none starts a new one from a name or the subject.
    expect(parsed.subject).toBe('Oakfield Primary (demo): attendance – ref ATT-7K2QX9 Bcc: attacker@evil.example');
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.messageId).toMatch(/^<.+@.+>$/);
  });

  it('refuses an address that is not one address, for good (no retry), and writes nothing', async () => {
    for (const address of ['sw@socialcare.example.org, attacker@evil.example', 'attacker@evil.example>', 'sw@socialcare.example.org\r\nBcc: attacker@evil.example', 'not an address']) {
      const err = await new EmlMailer(dir).send(email({ name: 'Real SW', address }), 'n2').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailError);
      expect((err as MailError).transient).toBe(false);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes the file readable by its owner only (0600)', async () => {
    await new EmlMailer(dir).send(email({ name: 'Real SW', address: 'sw@socialcare.example.org' }), 'n3');
    const { file } = await written();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('the Microsoft Graph path', () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url?.endsWith('/token')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ access_token: 'stub', expires_in: 3600 }));
        }
        bodies.push(body);
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
  const graph = () => new GraphMailer({ credential: new FakeCredential(), graphBaseUrl: url });

  it('sends one recipient, with the hostile name as a plain display name and no line breaks anywhere', async () => {
    await graph().send(email({ name: HOSTILE_NAME, address: 'sw@socialcare.example.org' }), 'g1');
    // Graph is sent the MIME message itself (base64), composed as the .eml writer composes it.
    const sent = await simpleParser(Buffer.from(bodies.at(-1)!, 'base64'));
    const to = Array.isArray(sent.to) ? sent.to.flatMap((t) => t.value) : (sent.to?.value ?? []);
    expect(to.map((a) => ({ address: a.address, name: a.name }))).toEqual([{ address: 'sw@socialcare.example.org', name: 'Evil Person <attacker@evil.example>, Real SW' }]);
    expect(sent.cc).toBeUndefined();
    expect(sent.bcc).toBeUndefined();
    expect(sent.subject).toBe('Oakfield Primary (demo): attendance – ref ATT-7K2QX9 Bcc: attacker@evil.example');
  });

  it('refuses an address that is not one address, for good, and sends nothing', async () => {
    const before = bodies.length;
    const err = await graph().send(email({ name: 'Real SW', address: 'sw@socialcare.example.org, attacker@evil.example' }), 'g2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailError);
    expect((err as MailError).transient).toBe(false);
    expect(bodies.length).toBe(before);
  });
});
