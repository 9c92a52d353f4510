import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A member as Teams' roster API describes one (SYNTHETIC people only). */
export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName: string;
  tenantId?: string;
}

/** A synthetic member of staff as Teams would return them. */
export function teamsMember(aadObjectId: string, name: string, email: string): TeamsMember {
  return { id: `29:${aadObjectId}`, name, aadObjectId, email, userPrincipalName: email };
}

export interface SentActivity {
  conversationId: string;
  replyToId?: string;
  body: Record<string, unknown>;
  /** The bearer token the bot presented. */
  authorization?: string;
}

/**
 * A loopback stand-in for the Bot Framework connector service: it accepts the activities the bot
 * sends back (replies and proactive messages) and records them.
 */
export class ConnectorStub {
  readonly sent: SentActivity[] = [];
  /** Delay before answering, to hold a bot turn in flight. */
  delayMs = 0;
  /** Delays for some conversations only (milliseconds), to hold their turns while others go on. */
  readonly slowFor = new Map<string, number>();
  /** Conversations whose messages are received but never answered (a connector that hangs). */
  readonly hangFor = new Set<string>();
  /** Conversations the bot is not part of: answered 403, as Teams answers after the app is removed. */
  readonly refuseFor = new Set<string>();
  /** Every request that arrived, answered or not. */
  readonly received: SentActivity[] = [];
  /** Teams' roster API: the members of each team (GET /v3/conversations/{teamId}/pagedmembers). */
  readonly teams = new Map<string, TeamsMember[]>();
  /** Everyone Teams knows, for GET /v3/conversations/{id}/members/{userId}. */
  readonly people = new Map<string, TeamsMember>();
  /** Activities replaced in place (PUT /v3/conversations/{id}/activities/{activityId}): the next card of a form, or a used card made read-only. */
  readonly updated: Array<SentActivity & { activityId: string }> = [];
  /** Messages Teams will no longer let the bot replace (deleted, or too old): a PUT to them is answered 404. */
  readonly fixedActivities = new Set<string>();
  /** Roster reads, for tests that count them. */
  readonly rosterReads: string[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves once at least `count` activities have arrived in total. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} activities, got ${this.sent.length}`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Decoded once at the end: a character split across two chunks would otherwise be garbled.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const data = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET' && this.answerRoster(req.url ?? '', res)) return;
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (req.method === 'PUT' && m?.[2]) {
        if (this.refuseFor.has(decodeURIComponent(m[1]!))) {
          res.statusCode = 403;
          res.end();
          return;
        }
        if (this.fixedActivities.has(decodeURIComponent(m[2]))) {
          res.statusCode = 404;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ error: { code: 'NotFound', message: 'The message was not found.' } }));
          return;
        }
        this.updated.push({ conversationId: decodeURIComponent(m[1]!), activityId: decodeURIComponent(m[2]), body: JSON.parse(data || '{}') as Record<string, unknown>, authorization: req.headers.authorization });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: decodeURIComponent(m[2]) }));
        return;
      }
      if (req.method !== 'POST' || !m) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const body = JSON.parse(data || '{}') as Record<string, unknown>;
      const conversationId = decodeURIComponent(m[1]!);
      this.received.push({ conversationId, body, authorization: req.headers.authorization });
      if (this.hangFor.has(conversationId)) return;
      if (this.refuseFor.has(conversationId)) {
        res.statusCode = 403;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
        return;
      }
      setTimeout(() => this.record(m, body, res, req.headers.authorization), this.slowFor.get(conversationId) ?? this.delayMs);
    });
  }

  private answerRoster(url: string, res: http.ServerResponse): boolean {
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    const paged = /^\/v3\/conversations\/([^/?]+)\/pagedmembers(?:\?.*)?$/.exec(url);
    if (paged) {
      const teamId = decodeURIComponent(paged[1]!);
      this.rosterReads.push(teamId);
      const members = this.teams.get(teamId);
      if (!members) json(404, { error: { code: 'NotFound', message: 'no such team' } });
      else json(200, { members });
      return true;
    }
    const one = /^\/v3\/conversations\/([^/?]+)\/members\/([^/?]+)$/.exec(url);
    if (one) {
      const member = this.people.get(decodeURIComponent(one[2]!));
      if (!member) json(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      else json(200, member);
      return true;
    }
    return false;
  }

  private record(m: RegExpExecArray, body: Record<string, unknown>, res: http.ServerResponse, authorization: string | undefined): void {
    this.sent.push({ conversationId: decodeURIComponent(m[1]!), replyToId: m[2] ? decodeURIComponent(m[2]) : undefined, body, authorization });
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: `stub-${this.sent.length}` }));
    this.waiters = this.waiters.filter((w) => (this.sent.length >= w.count ? (w.resolve(), false) : true));
  }
}

/** Text and card contents of the activities sent, for readable assertions. */
export function describeSent(sent: readonly SentActivity[]): string[] {
  return sent.map((s) => {
    const attachments = s.body.attachments as Array<{ content?: { body?: Array<{ text?: string }> } }> | undefined;
    if (attachments?.length) return `card: ${attachments[0]?.content?.body?.[0]?.text ?? '(no heading)'}`;
    return `text: ${String(s.body.text ?? '')}`;
  });
}
