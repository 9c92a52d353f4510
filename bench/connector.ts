import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback Bot Connector: takes the bot's messages as Teams would (200 and an id) and keeps the
 * last reply to a turn in each conversation, unparsed until a scenario needs it (a draft id from a card).
 */
export class BenchConnector {
  private server?: http.Server;
  private readonly last = new Map<string, string>();
  received = 0;
  url = '';
  /** Told of every activity the bot sends (the trust scenario reads approval cards from it). */
  onActivity: ((conversationId: string, raw: string) => void) | undefined;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities(\/[^/?]+)?/.exec(req.url ?? '');
        if (m) {
          this.received++;
          const conversationId = decodeURIComponent(m[1]!);
          const raw = Buffer.concat(chunks).toString('utf8');
          // A reply to the turn (POST .../activities/{id}), not a card sent on its own a moment later:
          // a staff card arriving in a teacher's chat must not stand in for the turn's answer.
          if (m[2] && req.method === 'POST') this.last.set(conversationId, raw);
          this.onActivity?.(conversationId, raw);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${this.received}` }));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The last reply the bot sent to a turn in a conversation, as sent. */
  lastRaw(conversationId: string): string | undefined {
    return this.last.get(conversationId);
  }

  /** The last reply the bot sent to a turn in a conversation, parsed. */
  lastTo(conversationId: string): Record<string, unknown> | undefined {
    const raw = this.last.get(conversationId);
    return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
