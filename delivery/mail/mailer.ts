import { OutgoingEmail } from '../../policy/email';

/** Sends one email. The idempotency key is the notification id: the same key twice is the same email. */
export interface Mailer {
  send(email: OutgoingEmail, idempotencyKey: string): Promise<void>;
}

/**
 * Why a send failed, and whether trying again can help: 429 and 5xx (and 412) are transient,
 * other 4xx are not. `retryAfterMs` carries the server's Retry-After when it gave one.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 412 || status === 408 || status >= 500;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
