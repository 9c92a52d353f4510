import pino, { Logger } from 'pino';

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
      redact: {
        paths: ['*.text', '*.value', '*.givenName', '*.familyName', '*.dateOfBirth', 'req.headers.authorization', '*.authorization'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
