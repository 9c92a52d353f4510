import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OutgoingEmail } from '../../policy/email';
import { Mailer } from './mailer';

/** RFC 2047 encoded-word, so names and subjects with non-ASCII characters survive. */
function header(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

const address = (a: { name: string; address: string }) => `${header(a.name.replace(/["\r\n]/g, ''))} <${a.address}>`;

/**
 * Local mode: each email is written as an .eml file (open it in any mail program) instead of being
 * sent. Written to a temporary name and renamed, so a crash never leaves half an email; the file is
 * named by the idempotency key, so sending twice writes the same file.
 */
export class EmlMailer implements Mailer {
  constructor(private readonly dir: string) {}

  async send(email: OutgoingEmail, idempotencyKey: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const safe = idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_');
    const body = [
      `From: ${email.from}`,
      `To: ${address(email.to)}`,
      ...(email.replyTo ? [`Reply-To: ${address(email.replyTo)}`] : []),
      `Subject: ${header(email.subject)}`,
      `Message-ID: <${safe}@sw-cohort-bot.local>`,
      `X-Idempotency-Key: ${safe}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      email.text,
      '',
    ].join('\r\n');
    const file = path.join(this.dir, `${safe}.eml`);
    await writeFile(`${file}.tmp`, body, 'utf8');
    await rename(`${file}.tmp`, file);
  }
}
