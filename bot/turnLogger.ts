import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import { Logger } from '../telemetry/logger';

const TURN_LOGGER = Symbol('turnLogger');

/**
 * One child logger per turn, carrying a correlation id, kept in the turn's own state (never in a
 * module variable) so concurrent turns cannot mix their logs.
 */
export function turnLogger(base: Logger, context: TurnContext): Logger {
  const existing = context.turnState.get<Logger | undefined>(TURN_LOGGER);
  if (existing) return existing;
  const log = base.child({
    turn: context.turnState.get<string | undefined>(CORRELATION_ID) ?? randomUUID(),
    activity: context.activity.type,
    channel: context.activity.channelId,
  });
  context.turnState.set(TURN_LOGGER, log);
  return log;
}

/** Set by the HTTP layer so the request log and the turn's log share one id. */
export const CORRELATION_ID = Symbol('correlationId');
