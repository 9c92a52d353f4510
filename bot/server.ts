import { createHash, timingSafeEqual } from 'node:crypto';
import restify, { Request, Response, Server } from 'restify';
import { Activity, TurnContext } from 'botbuilder';
import { BotAdapter } from './adapter';
import { z } from 'zod';
import { Config } from './config';
import { logFields } from './logContext';
import { bodyParserKeepingLogContext, correlate } from './requestLogContext';
import { errorSummary } from './errors';
import { Logger } from './logger';
import { isAllowedServiceUrl } from './serviceUrls';
import { CORRELATION_ID } from './turnLogger';

export interface ServerDependencies {
  config: Config;
  adapter: BotAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** Resolves when storage answers; used by /readyz. */
  checkStorage: () => Promise<void>;
  /** Builds (dry run) or posts a school's digest; undefined when the school is unknown. */
  digest?: (schoolId: string, dryRun: boolean) => Promise<{ card?: unknown; posted?: boolean } | undefined>;
  logger: Logger;
  /** Further routes (the dashboard tab), each with its own body parser where it takes a body. */
  routes?: (server: Server) => void;
}

/**
 * botbuilder copies the sender, the recipient, the conversation, the locale and the activity's id
 * into every reply, and refuses to send a reply with any of them of the wrong type: so they are
 * checked here, where a bad one is a 400, rather than failing the turn after it has run.
 */
const channelAccount = z
  .object({ id: z.string().min(1).max(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(512).optional(), role: z.string().max(64).optional() })
  .loose();
/** botbuilder reads every entity's `type`, and a mention's `mentioned.id` and `text`, unchecked. */
const mention = z.object({ mentioned: z.object({ id: z.string().max(512) }).loose(), text: z.string().max(1024) }).loose();
const entity = z
  .object({ type: z.string().max(128) })
  .loose()
  .refine((e) => e.type.toLowerCase() !== 'mention' || mention.safeParse(e).success, { message: 'a mention needs mentioned.id and text' });

/**
 * The least an activity must have before botbuilder sees it; the rest is botbuilder's to check.
 * Exported so in-process tests give the bot only what this server would let through.
 */
export const activityEnvelope = z.object({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().min(1).max(512),
  locale: z.string().max(64).optional(),
  conversation: z
    .object({
      id: z.string().min(1).max(512),
      name: z.string().max(512).optional(),
      conversationType: z.string().max(64).optional(),
      tenantId: z.string().max(512).optional(),
      isGroup: z.boolean().optional(),
      aadObjectId: z.string().max(512).optional(),
      role: z.string().max(64).optional(),
    })
    .loose(),
  from: channelAccount,
  recipient: channelAccount,
  text: z.string().max(28_000).optional(),
  entities: z.array(entity).max(100).optional(),
  // Read as lists (and each member's id) when botbuilder dispatches the activity.
  membersAdded: z.array(channelAccount).max(1000).optional(),
  membersRemoved: z.array(channelAccount).max(1000).optional(),
  reactionsAdded: z.array(z.object({ type: z.string().max(64) }).loose()).max(100).optional(),
  reactionsRemoved: z.array(z.object({ type: z.string().max(64) }).loose()).max(100).optional(),
  action: z.string().max(64).optional(),
  // An invoke's name picks its handler.
  name: z.string().max(256).optional(),
}).loose();

export interface BotServer {
  server: Server;
  listen(): Promise<{ host: string; port: number }>;
  /** Stop accepting, let in-flight turns finish (up to the grace period), then close. */
  stop(): Promise<void>;
}

export function createBotServer(deps: ServerDependencies): BotServer {
  const { config, logger } = deps;
  const server = restify.createServer({ name: 'sw-cohort-bot', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  const idleWaiters: Array<() => void> = [];

  // Per route rather than server-wide, so the register upload can take a larger body than a message.
  const jsonBody = bodyParserKeepingLogContext({ maxBodySize: config.maxBodyBytes, mapParams: false, mapFiles: false, rejectUnknown: true });

  // One correlation id per request, on every line logged while it is handled (the turn's too).
  server.pre(correlate);

  server.post('/api/messages', jsonBody, async (req: Request, res: Response) => {
    const correlationId = logFields().req ?? req.id();
    const log = logger.child({ route: 'messages' });
    if (draining) return sendJson(res, 503, { error: 'The bot is restarting. Please try again in a moment.' });
    inFlight++;
    try {
      const body: unknown = req.body;
      const parsed = activityEnvelope.safeParse(body);
      if (!parsed.success) {
        log.warn({ event: 'badActivity', issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.code}`) }, 'rejected malformed activity');
        return sendJson(res, 400, { error: 'Expected a Bot Framework activity with type, channelId, serviceUrl and conversation.id.' });
      }
      if (!isAllowedServiceUrl(parsed.data.serviceUrl, config.allowedServiceUrls)) {
        log.warn({ event: 'serviceUrlRefused' }, 'activity names a serviceUrl that is not allow-listed');
        return sendJson(res, 403, { error: 'This serviceUrl is not allowed.' });
      }
      const activity = parsed.data as unknown as Activity;
      const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      const invokeResponse = await deps.adapter.handle(authHeader, activity, async (context) => {
        context.turnState.set(CORRELATION_ID, correlationId);
        await deps.logic(context);
      });
      if (invokeResponse) return sendJson(res, invokeResponse.status, invokeResponse.body);
      res.send(200);
    } catch (err) {
      if (isAuthenticationFailure(err)) {
        log.warn({ event: 'authRefused', err: errorSummary(err) }, 'authentication failed');
        return sendJson(res, 401, { error: 'Unauthorized.' });
      }
      log.error({ event: 'requestFailed', err: errorSummary(err) }, 'request failed');
      return sendJson(res, 500, { error: 'Something went wrong on our side.', correlationId });
    } finally {
      inFlight--;
      if (inFlight === 0) idleWaiters.splice(0).forEach((wake) => wake());
    }
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
        server.listen(config.port, config.host, () => {
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

/** botframework-connector's AuthenticationError carries status 401; botbuilder does not re-export the class. */
function isAuthenticationFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { statusCode?: unknown }).statusCode;
  return err.name === 'AuthenticationError' || status === 401;
}

/**
 * The route a request matched, never its path as sent: a path is whatever the caller typed, and
 * could carry a child's name into the logs.
 */
function routeOf(req: Request): string {
  const route = req.getRoute() as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : '(no route)';
}
