import { createHash, timingSafeEqual } from 'node:crypto';
import restify, { Next, Request, Response, Server } from 'restify';
import { AdmissionLimit, INVOKE_TARGET_MS, MESSAGE_TARGET_MS } from './admissionLimit';
import { httpGuards } from './httpGuards';
import { MessageEndpoint } from '../bot/messageEndpoint';
import { z } from 'zod';
import { Config } from './config';
import { logFields } from '../telemetry/logContext';
import { bodyParserKeepingLogContext, correlate } from '../telemetry/requestLogContext';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';

export interface ServerDependencies {
  config: Config;
  /** The Teams edge: one activity in, the HTTP answer out (bot/messageEndpoint.ts). */
  messages: MessageEndpoint;
  /** Told as each message starts and ends, so the work after answers can give way to requests. */
  requests?: { enter(): void; leave(): void };
  /** Resolves when storage answers; used by /readyz. */
  checkStorage: () => Promise<void>;
  /** Builds (dry run) or posts a school's digest; undefined when the school is unknown. */
  digest?: (schoolId: string, dryRun: boolean) => Promise<{ card?: unknown; posted?: boolean; reason?: string; explanation?: string } | undefined>;
  logger: Logger;
  /** Further routes (the dashboard tab), each with its own body parser where it takes a body. */
  routes?: (server: Server) => void;
}

export interface BotServer {
  server: Server;
  listen(): Promise<{ host: string; port: number }>;
  /** Stop accepting, let in-flight turns finish (up to the grace period), then close. */
  stop(): Promise<void>;
}

/**
 * New connections the kernel holds while the event loop is busy. Node's default is 511; beyond it,
 * the kernel drops a connection and its sender waits out TCP's retries (1, 3, 7 s) before the bot
 * sees it, where a 503 would have been answered at once. Linux caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

/**
 * How long a connection may stay open with no request on it. Node accepts one new connection per
 * turn of its event loop (libuv since 1.45; seen with strace here: one accept4 every 165 to 190 ms
 * under load), so a busy bot takes seconds to let in a burst of new connections while it answers
 * requests on open ones at once: with Node's default of 5 s, the connections that fell idle between
 * bursts were closed and the next burst waited in the listen queue (the trust benchmark's answers
 * over a second, issue 20). Longer than Azure's front ends keep an idle connection (4 minutes), so
 * they close it first and never send on one the bot is closing; clients read it from `Keep-Alive`.
 */
export const IDLE_CONNECTION_MS = 245_000;

/** A shed request whose declared body is at most this keeps its connection (an activity is a few KB). */
const SHED_KEEP_ALIVE_BYTES = 64 * 1024;

export function createBotServer(deps: ServerDependencies): BotServer {
  const { config, logger } = deps;
  const server = restify.createServer({ name: 'sw-cohort-bot', handleUncaughtExceptions: false });
  server.server.keepAliveTimeout = IDLE_CONNECTION_MS;
  let inFlight = 0;
  let draining = false;
  const idleWaiters: Array<() => void> = [];

  // Per route rather than server-wide, so the register upload can take a larger body than a message.
  const jsonBody = bodyParserKeepingLogContext({ maxBodySize: config.maxBodyBytes, mapParams: false, mapFiles: false, rejectUnknown: true });

  // One correlation id per request, on every line logged while it is handled (the turn's too).
  server.pre(correlate);
  // Before any route: the Host (local mode), the content type of the JSON APIs, nosniff on everything.
  server.pre(httpGuards({ loopbackOnly: config.mode === 'local', logger }));

  // The token is checked before the body is read: a request without a valid one costs its headers only.
  const checkTokenFirst = async (req: Request, res: Response) => {
    const refusal = await deps.messages.beforeBody(authorizationOf(req));
    if (!refusal) return true;
    // Close rather than drain: the body of a refused request is never read.
    res.header('Connection', 'close');
    sendJson(res, refusal.status, refusal.body);
    return false;
  };

  // A callback handler (restify takes async handlers with two arguments only), so it can stop the chain.
  const tokenFirst = (req: Request, res: Response, next: Next): void => {
    checkTokenFirst(req, res).then((go) => next(go ? undefined : false), next);
  };

  // Above capacity, answer at once rather than queue: Teams retries a 503 after Retry-After, and an
  // answer now beats a turn that would time out anyway. Checked before the token and the body, so a
  // burst costs its headers only; a Send that is shed was not saved, and its retry saves it once.
  // Capacity follows how long answers take (host/admissionLimit.ts), up to MAX_CONCURRENT_MESSAGES.
  const admission = new AdmissionLimit({ max: config.maxConcurrentMessages, invokeTargetMs: INVOKE_TARGET_MS, messageTargetMs: MESSAGE_TARGET_MS });
  /** Requests that reached the handler: only their answers say how long the bot takes. */
  const handled = new WeakSet<Request>();
  /** Of those admitted, the ones that are not card buttons (see keepRoomForCardButtons). */
  let othersAdmitted = 0;
  let shed = 0;
  let shedLoggedAt = 0;
  const answerBusy = (res: Response, next: Next, kind: 'atTheDoor' | 'keptForCardButtons'): void => {
    res.header('Retry-After', '2');
    shed++;
    // One line a second at most: an overload must not also flood the log.
    if (Date.now() - shedLoggedAt >= 1000) {
      logger.warn({ event: 'messagesShed', shed, admitted: admission.admitted, limit: admission.current, othersAdmitted, last: kind }, 'over capacity: messages answered 503 with Retry-After');
      shed = 0;
      shedLoggedAt = Date.now();
    }
    sendJson(res, 503, { error: 'Busy: please try again in a moment.' });
    next(false);
  };
  const shedFirst = (req: Request, res: Response, next: Next): void => {
    const place = admission.tryTake();
    if (!place) {
      // A small body is let through unread (Node discards it) so the connection stays open for the
      // retry: a busy Node process accepts new connections slowly (the benchmark saw its listen
      // queue drain at 10 to 30 a second under load), so closing it would make the retry wait
      // behind that. A large or unsized body is not read at all.
      if (!(Number(req.headers['content-length']) <= SHED_KEEP_ALIVE_BYTES)) res.header('Connection', 'close');
      answerBusy(res, next, 'atTheDoor');
      return;
    }
    const admittedAt = performance.now();
    res.once('close', () => admission.give(place, handled.has(req) ? { kind: isInvoke(req.body) ? 'invoke' : 'message', tookMs: performance.now() - admittedAt } : undefined));
    next();
  };

  // Some of that capacity is kept for card buttons (Approve, claim, done): Teams retries a message
  // answered 503 without the user seeing it, but shows an error on a card whose button failed, and
  // these carry decisions. The pupil search is not among them: it is asked for at every few letters
  // typed, so under a burst it would take the room kept for decisions. Only an authenticated
  // activity's type can say which a request is, so this is decided after the token and the body.
  // The room kept is INVOKE_RESERVE's share of the limit as it stands.
  const othersShare = (): number => admission.current - Math.round((config.invokeReserve * admission.current) / config.maxConcurrentMessages);
  const keepRoomForCardButtons = (req: Request, res: Response, next: Next): void => {
    if (isCardButton(req.body)) {
      next();
      return;
    }
    if (othersAdmitted >= othersShare()) {
      answerBusy(res, next, 'keptForCardButtons');
      return;
    }
    othersAdmitted++;
    res.once('close', () => othersAdmitted--);
    next();
  };

  server.post('/api/messages', shedFirst, tokenFirst, ...jsonBody, keepRoomForCardButtons, async (req: Request, res: Response) => {
    const correlationId = logFields().req ?? req.id();
    if (draining) return sendJson(res, 503, { error: 'The bot is restarting. Please try again in a moment.' });
    handled.add(req);
    inFlight++;
    deps.requests?.enter();
    const done = () => {
      inFlight--;
      deps.requests?.leave();
      if (inFlight === 0) idleWaiters.splice(0).forEach((wake) => wake());
    };
    let stillRunning: Promise<unknown> | undefined;
    try {
      const answer = await deps.messages.handle(authorizationOf(req), req.body as unknown, correlationId);
      stillRunning = answer.stillRunning;
      // Nothing is returned from a restify async handler: it logs (with the whole request) any value it is given.
      if (answer.body === undefined) res.send(answer.status);
      else sendJson(res, answer.status, answer.body);
    } catch (err) {
      logger.child({ route: 'messages' }).error({ event: 'requestFailed', err: errorSummary(err) }, 'request failed');
      return sendJson(res, 500, { error: 'Something went wrong on our side.', correlationId });
    } finally {
      if (!stillRunning) done();
    }
    if (!stillRunning) return;
    // Answered "busy" but still working: it holds its place against capacity, and shutdown waits for it.
    const release = admission.hold();
    void stillRunning.finally(() => {
      release();
      done();
    });
  });

  // The Agents Playground checks that the bot is up with HEAD before it connects: answered "here"
  // (204), where it would otherwise be refused and logged as a refusal on every start of the
  // Playground. It says no more than a refusal would (that the route exists); nothing is read and
  // nothing runs, and activities still come by POST only.
  server.head('/api/messages', async (_req: Request, res: Response) => {
    res.send(204);
  });

  server.post('/api/digest', jsonBody, async (req: Request, res: Response) => {
    const key = config.digestApiKey;
    if (!key || !deps.digest) return sendJson(res, 503, { error: 'The digest endpoint is not configured (set DIGEST_API_KEY).' });
    const presented = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    if (!sameSecret(presented, key)) {
      logger.warn({ event: 'digestAuthRefused' }, 'POST /api/digest with a missing or wrong key');
      return sendJson(res, 401, { error: 'Unauthorized.' });
    }
    const parsed = digestRequest.safeParse(req.body ?? {});
    if (!parsed.success) return sendJson(res, 400, { error: 'Expected {"school": "<school id>", "dryRun": true|false}.' });
    try {
      const result = await deps.digest(parsed.data.school, parsed.data.dryRun);
      if (!result) return sendJson(res, 404, { error: 'No such school.' });
      return sendJson(res, 200, result);
    } catch (err) {
      logger.error({ event: 'digestRequestFailed', err: errorSummary(err) }, 'digest request failed');
      return sendJson(res, 500, { error: 'Something went wrong on our side.' });
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    sendJson(res, 200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    if (draining) return sendJson(res, 503, { status: 'stopping' });
    try {
      await withTimeout(deps.checkStorage(), 2000);
      sendJson(res, 200, { status: 'ready' });
    } catch (err) {
      logger.warn({ event: 'notReady', err: errorSummary(err) }, 'storage is not reachable');
      sendJson(res, 503, { status: 'storage unreachable' });
    }
  });

  deps.routes?.(server);

  // restify's own errors (body too large, bad JSON, unknown route) carry only a code and a message.
  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, callback: () => void) => {
    // By the request's own id: a body that failed to parse was read outside the request's async context.
    logger.warn({ event: 'httpError', req: req.id(), status: err.statusCode, name: err.name, route: routeOf(req) }, 'request refused');
    callback();
  });

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, LISTEN_BACKLOG, () => {
          const address = server.address();
          resolve({ host: config.host, port: address.port });
        });
      }),
    stop: async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
      server.server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => idleWaiters.push(resolve)), delay(config.shutdownGraceMs)]);
      }
      server.server.closeAllConnections();
      await closed;
    },
  };
}

const digestRequest = z.object({ school: z.string().regex(/^[a-z0-9-]{2,40}$/), dryRun: z.boolean().default(false) });

/** Compares secrets in constant time (by their hashes, so lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function authorizationOf(req: Request): string {
  return typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
}

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.json(body ?? {});
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * The route a request matched, never its path as sent: a path is whatever the caller typed, and
 * could carry a child's name into the logs.
 */
function routeOf(req: Request): string {
  const route = req.getRoute() as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : '(no route)';
}

/** An invoke (a card button, a search): answered in its HTTP response, and an error to the user when late. */
function isInvoke(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'invoke';
}

/** An Action.Execute from a card (Universal Actions), as Teams posts it. */
function isCardButton(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { type, name } = body as { type?: unknown; name?: unknown };
  return type === 'invoke' && name === 'adaptiveCard/action';
}
