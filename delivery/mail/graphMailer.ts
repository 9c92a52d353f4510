import type { TokenCredential } from '@azure/core-auth';
import { OutgoingEmail } from '../../policy/email';
import { checkedEmail } from './addresses';
import { isTransientStatus, Mailer, MailError, parseRetryAfter } from './mailer';
import { composeMime } from './mime';

export interface GraphMailerOptions {
  /** The app's own identity (managed identity, certificate or secret): host/credentials.ts decides which. */
  credential: TokenCredential;
  graphBaseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * Microsoft Graph `sendMail` with an app-only token, the message in MIME format (RFC 5322, as
 * composeMime writes it). Graph answers 202 with no body; a 429 or 5xx
 * is reported as transient with any Retry-After, for the outbox to retry. The credential caches
 * and renews its token itself.
 */
export class GraphMailer implements Mailer {
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly o: GraphMailerOptions) {
    this.fetch = o.fetch ?? fetch;
    this.now = o.now ?? Date.now;
  }

  private async accessToken(): Promise<string> {
    let token: { token: string } | null;
    try {
      token = await this.o.credential.getToken(GRAPH_SCOPE);
    } catch (err) {
      // The identity endpoint or Entra ID being unreachable is a wait, not a reason to give up on the email.
      throw new MailError(`could not get a token for Microsoft Graph: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, true);
    }
    if (!token) throw new MailError('could not get a token for Microsoft Graph', true);
    return token.token;
  }

  async send(unchecked: OutgoingEmail, idempotencyKey: string): Promise<void> {
    // The same bytes the .eml writer writes: composed here, not by Graph from JSON fields, so the
    // email carries our Date and our Message-ID (the same on every retry), and names quoted by
    // nodemailer from checked addresses and one-line names.
    const email = checkedEmail(unchecked);
    const mime = await composeMime(email, idempotencyKey, new Date(this.now()));
    const base = this.o.graphBaseUrl ?? 'https://graph.microsoft.com';
    let res: Response;
    try {
      // The school's own mailbox (its profile's senderMailbox); the app needs Mail.Send for it.
      // A MIME message goes as base64 text; Graph keeps a copy in the mailbox's Sent Items.
      res = await this.fetch(`${base}/v1.0/users/${encodeURIComponent(email.from)}/sendMail`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'text/plain', 'client-request-id': idempotencyKey },
        body: mime.toString('base64'),
      });
    } catch (err) {
      if (err instanceof MailError) throw err;
      throw new MailError(`could not reach Microsoft Graph: ${err instanceof Error ? err.message : String(err)}`, true);
    }
    if (res.status === 202 || res.status === 200) return;
    // 401 is retried: a new mailbox permission (Exchange RBAC for Applications) can take up to two
    // hours to reach Graph, and a token close to expiry is replaced by the credential meanwhile.
    throw new MailError(`Microsoft Graph sendMail answered ${res.status}`, isTransientStatus(res.status) || res.status === 401, res.status, parseRetryAfter(res.headers.get('retry-after'), this.now()));
  }
}
