import pino, { Logger } from 'pino';
import { logFields } from './logContext';

export type { Logger };

/**
 * Structured logs. Only ids and outcomes are logged: never a pupil's name, date of birth or the
 * free text of a concern. The redaction list is a second line of defence, not the first.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sw-cohort-bot' },
      // The request's correlation id on every line written while handling it (see logContext.ts).
      mixin: () => ({ ...logFields() }),
      redact: {
        paths: ['*.text', '*.value', '*.givenName', '*.familyName', '*.dateOfBirth', 'req.headers.authorization', '*.authorization'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
