import { z } from 'zod';
import { OutgoingEmail } from '../../policy/email';
import { checkedEmail } from './addresses';
import { isTransientStatus, Mailer, MailError, parseRetryAfter } from './mailer';

export interface GraphMailerOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  graphBaseUrl?: string;
  authorityHost?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

const tokenSchema = z.object({ access_token: z.string(), expires_in: z.coerce.number() });

/**
 * Microsoft Graph `sendMail` with an app-only token (client credentials). Graph answers 202 with
 * no body; a 429 or 5xx is reported as transient with any Retry-After, for the outbox to retry.
 */
export class GraphMailer implements Mailer {
  private token: { value: string; expiresAt: number } | undefined;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly o: GraphMailerOptions) {
    this.fetch = o.fetch ?? fetch;
    this.now = o.now ?? Date.now;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now() + 60_000) return this.token.value;
    const host = this.o.authorityHost ?? 'https://login.microsoftonline.com';
    let res: Response;
    try {
      res = await this.fetch(`${host}/${encodeURIComponent(this.o.tenantId)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.o.clientId, client_secret: this.o.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
      });
    } catch (err) {
      throw new MailError(`could not reach the token endpoint: ${err instanceof Error ? err.message : String(err)}`, true);
    }
    if (!res.ok) throw new MailError(`token request refused (${res.status})`, isTransientStatus(res.status), res.status, parseRetryAfter(res.headers.get('retry-after'), this.now()));
    const parsed = tokenSchema.safeParse(await res.json());
    if (!parsed.success) throw new MailError('token response was not understood', true);
    this.token = { value: parsed.data.access_token, expiresAt: this.now() + parsed.data.expires_in * 1000 };
    return this.token.value;
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
    if (res.status === 401) this.token = undefined;
    throw new MailError(`Microsoft Graph sendMail answered ${res.status}`, isTransientStatus(res.status) || res.status === 401, res.status, parseRetryAfter(res.headers.get('retry-after'), this.now()));
  }
}
