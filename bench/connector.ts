import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback Bot Connector: takes the bot's messages as Teams would (200 and an id) and keeps the
 * last reply to a turn in each conversation, unparsed until a scenario needs it (a draft id from a card).
 */
export class BenchConnector {
  private server?: http.Server;
  /** The last few replies in each conversation, by the id of the activity each answers. */
  private readonly replies = new Map<string, Array<{ to: string; raw: string; id: string }>>();
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
        if (m) this.received++;
        // A PUT replaces a message the bot sent before (the next question in the card just answered): same id.
        const replaced = req.method === 'PUT' && m?.[2] ? decodeURIComponent(m[2].slice(1)) : undefined;
        const id = replaced ?? `reply-${this.received}`;
        if (m) {
          const conversationId = decodeURIComponent(m[1]!);
          const raw = Buffer.concat(chunks).toString('utf8');
          // Keyed by the activity it answers: a staff card sent to a teacher's chat a moment later is
          // also sent "in reply" (to the last activity the bot saw there), so the latest is not the answer.
          // A replaced card names the activity it answers in its body.
          const to = replaced !== undefined ? (JSON.parse(raw) as { replyToId?: string }).replyToId : m[2] && req.method === 'POST' ? decodeURIComponent(m[2].slice(1)) : undefined;
          if (to !== undefined) {
            const recent = this.replies.get(conversationId) ?? [];
            recent.push({ to, raw, id });
            this.replies.set(conversationId, recent.slice(-64));
          }
          this.onActivity?.(conversationId, raw);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What the bot answered to one activity (by its id) in a conversation, as sent: the last such message. */
  replyTo(conversationId: string, activityId: string): string | undefined {
    return this.lastReplyTo(conversationId, activityId)?.raw;
  }

  /** The id this connector gave that reply: what Teams puts in `replyToId` when its card's button is pressed. */
  replyIdTo(conversationId: string, activityId: string): string | undefined {
    return this.lastReplyTo(conversationId, activityId)?.id;
  }

  private lastReplyTo(conversationId: string, activityId: string) {
    return this.replies.get(conversationId)?.filter((r) => r.to === activityId).at(-1);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
