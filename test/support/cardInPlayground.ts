import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { freePort } from '../../scripts/azurite';

/** The parts of an incoming activity a reply needs. */
const incoming = z.object({
  type: z.string(),
  id: z.string().optional(),
  serviceUrl: z.string().url(),
  conversation: z.object({ id: z.string() }).passthrough(),
  from: z.object({ id: z.string() }).passthrough(),
  recipient: z.object({ id: z.string() }).passthrough(),
});

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

export interface CardPlayground {
  /** The Playground's address, to open in Chromium. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The Microsoft 365 Agents Playground (whose card renderer draws Teams' charts) in front of a stub
 * bot that answers any message with `card`: a card can be looked at as Teams shows it without the
 * whole product. Loopback only, no credentials (the Playground sends none to a local bot).
 */
export async function cardInPlayground(card: unknown): Promise<CardPlayground> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const parsed = incoming.safeParse(await body(req).catch(() => undefined));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      if (!parsed.success || parsed.data.type !== 'message') return;
      const a = parsed.data;
      await fetch(`${a.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(a.conversation.id)}/activities/${encodeURIComponent(a.id ?? '')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', from: a.recipient, recipient: a.from, conversation: a.conversation, replyToId: a.id, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }),
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const botPort = (server.address() as AddressInfo).port;
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swbot-card-playground-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve('@microsoft/m365agentsplayground/cli.js'), '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
    // Without TEAMSAPPTESTER_BROWSER=none the Playground exits trying to open a browser.
    { cwd: dir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: 'ignore' },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      server.close();
      throw new Error('the Agents Playground did not start');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
