import type { TokenCredential } from '@azure/core-auth';
import { OutgoingEmail } from '../../policy/email';
import { checkedEmail } from './addresses';
import { isTransientStatus, Mailer, MailError, parseRetryAfter } from './mailer';

export interface GraphMailerOptions {
  /** The app's own identity (managed identity, certificate or secret): host/credentials.ts decides which. */
  credential: TokenCredential;
  graphBaseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * Microsoft Graph `sendMail` with an app-only token. Graph answers 202 with no body; a 429 or 5xx
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
    // Graph takes names and addresses as separate JSON fields, but the same checks apply: one valid
    // address each, names and the subject one line of plain text.
    const email = checkedEmail(unchecked);
    const base = this.o.graphBaseUrl ?? 'https://graph.microsoft.com';
    const message = {
      subject: email.subject,
      body: { contentType: 'Text', content: email.text },
      toRecipients: [{ emailAddress: { address: email.to.address, name: email.to.name } }],
      ...(email.replyTo ? { replyTo: [{ emailAddress: { address: email.replyTo.address, name: email.replyTo.name } }] } : {}),
      // Lets the recipient's mail system, or a support engineer, spot a repeat of the same email.
      internetMessageHeaders: [{ name: 'X-Idempotency-Key', value: idempotencyKey }],
    };
    let res: Response;
    try {
      // The school's own mailbox (its profile's senderMailbox); the app needs Mail.Send for it.
      res = await this.fetch(`${base}/v1.0/users/${encodeURIComponent(email.from)}/sendMail`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json', 'client-request-id': idempotencyKey },
        body: JSON.stringify({ message, saveToSentItems: true }),
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
