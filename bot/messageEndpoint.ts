import { Activity, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { isAllowedServiceUrl } from '../delivery/serviceUrls';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { inSpan, SpanFacts } from '../telemetry/tracing';
import { BotAdapter } from './adapter';
import { CORRELATION_ID } from './turnLogger';
import { ChannelTokenVerifier, TEAMS_CHANNEL } from './channelToken';

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

/** What goes back over HTTP: a status, and a JSON body where there is one. */
export interface EndpointAnswer {
  status: number;
  body?: unknown;
  /** A turn answered "busy" before it finished: still running, and still counted against capacity. */
  stillRunning?: Promise<unknown>;
}

/** POST /api/messages without the HTTP. */
export interface MessageEndpoint {
  /** Before the body is read: a refusal to answer at once (the body is never read), or undefined to go on. */
  beforeBody(authHeader: string): Promise<EndpointAnswer | undefined>;
  /** The body as received, the Authorization header, the request's correlation id. */
  handle(authHeader: string, body: unknown, correlationId: string): Promise<EndpointAnswer>;
}

const UNAUTHORISED: EndpointAnswer = { status: 401, body: { error: 'Unauthorized.' } };
const NOT_TEAMS: EndpointAnswer = { status: 403, body: { error: 'This bot serves Microsoft Teams only.' } };

/**
 * The Teams edge of one request: the envelope and the serviceUrl are checked before botbuilder sees
 * the activity, then the adapter authenticates it and runs the bot. Anything thrown that is not an
 * authentication failure is the server's to answer (500, no detail).
 */
export function messageEndpoint(deps: {
  adapter: BotAdapter;
  logic: (context: TurnContext) => Promise<void>;
  allowedServiceUrls: readonly string[];
  logger: Logger;
  /** Production: the token is checked before the body is read. Absent in local mode (no authentication, loopback only). */
  tokens?: ChannelTokenVerifier;
  /** A card button (Action.Execute) not answered within this is told "busy, try again" while its work goes on. */
  invokeBusyAfterMs?: number;
}): MessageEndpoint {
  const log = deps.logger.child({ route: 'messages' });
  const beforeBody = async (authHeader: string): Promise<EndpointAnswer | undefined> => {
    if (!deps.tokens) return undefined;
    const refusal = await deps.tokens.refusal(authHeader);
    if (!refusal) return undefined;
    log.warn({ event: 'authRefused', reason: refusal }, 'authentication failed before the body was read');
    return UNAUTHORISED;
  };
  const handle = async (authHeader: string, body: unknown, correlationId: string): Promise<EndpointAnswer> => {
    const parsed = activityEnvelope.safeParse(body);
    if (!parsed.success) {
      log.warn({ event: 'badActivity', issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.code}`) }, 'rejected malformed activity');
      return { status: 400, body: { error: 'Expected a Bot Framework activity with type, channelId, serviceUrl and conversation.id.' } };
    }
    // Only Teams talks to this bot: any other channel (or a blank one) is refused before botbuilder sees it.
    if (parsed.data.channelId !== TEAMS_CHANNEL) {
      log.warn({ event: 'channelRefused' }, 'activity names a channel other than Microsoft Teams');
      return NOT_TEAMS;
    }
    if (!isAllowedServiceUrl(parsed.data.serviceUrl, deps.allowedServiceUrls)) {
      log.warn({ event: 'serviceUrlRefused' }, 'activity names a serviceUrl that is not allow-listed');
      return { status: 403, body: { error: 'This serviceUrl is not allowed.' } };
    }
    const activity = parsed.data as unknown as Activity;
    // One trace per turn. The invoke's name (adaptiveCard/action...) says which button, never what it carried.
    const type = ACTIVITY_TYPES.has(parsed.data.type) ? parsed.data.type : 'other';
    const facts: SpanFacts = { 'teams.activity.type': type, ...(type === 'invoke' ? { 'teams.invoke.name': invokeName(parsed.data.name) } : {}) };
    const turn = inSpan(`teams ${type}`, 'server', facts, async (span) => {
      let answer: EndpointAnswer;
      try {
        const invokeResponse = await deps.adapter.handle(authHeader, activity, async (context) => {
          context.turnState.set(CORRELATION_ID, correlationId);
          await deps.logic(context);
        });
        answer = invokeResponse ? { status: invokeResponse.status, body: invokeResponse.body ?? {} } : { status: 200 };
      } catch (err) {
        if (!isAuthenticationFailure(err)) throw err;
        log.warn({ event: 'authRefused', err: errorSummary(err) }, 'authentication failed');
        answer = UNAUTHORISED;
      }
      span.set({ 'http.response.status_code': answer.status });
      return answer;
    });
    if (type !== 'invoke' || parsed.data.name !== 'adaptiveCard/action' || deps.invokeBusyAfterMs === undefined) return turn;
    return answerInTime(turn, deps.invokeBusyAfterMs, log);
  };
  return { beforeBody, handle };
}

/**
 * What a card button is told when the bot cannot answer it in time: a message Teams shows beside the
 * card, which stays as it was, so the button can be pressed again. Nothing about the case is said.
 */
export const BUSY_INVOKE: EndpointAnswer = {
  status: 200,
  body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'The bot is busy. Please try again in a moment.' },
};

/**
 * Teams shows an error if a card button is not answered within a few seconds; under a burst, "busy,
 * try again" said at once is better. The turn is not abandoned: it finishes, and what it decided
 * stands (a retry of an approval that was recorded meanwhile is told it was already decided).
 */
async function answerInTime(turn: Promise<EndpointAnswer>, ms: number, log: Logger): Promise<EndpointAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const first = await Promise.race([turn, late]);
    if (first !== 'late') return first;
    log.warn({ event: 'invokeBusy', afterMs: ms }, 'a card button was not answered in time: told busy, its turn goes on');
    const stillRunning = turn.catch((err: unknown) => log.error({ event: 'requestFailed', err: errorSummary(err) }, 'a card button answered busy then failed'));
    return { ...BUSY_INVOKE, stillRunning };
  } finally {
    clearTimeout(timer);
  }
}

/** Activity types Teams sends; anything else is recorded as "other", so a span never carries what a sender made up. */
const ACTIVITY_TYPES = new Set(['message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'event', 'typing']);

function invokeName(name: string | undefined): string {
  return name !== undefined && /^[A-Za-z]{1,32}(\/[A-Za-z]{1,32})?$/.test(name) ? name : 'other';
}

/** botframework-connector's AuthenticationError carries status 401; botbuilder does not re-export the class. */
function isAuthenticationFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { statusCode?: unknown }).statusCode;
  return err.name === 'AuthenticationError' || status === 401;
}
