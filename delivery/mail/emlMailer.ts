import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OutgoingEmail } from '../../policy/email';
import { checkedEmail } from './addresses';
import { Mailer } from './mailer';
import { composeMime } from './mime';

/**
 * Local mode: each email is written as an .eml file (open it in any mail program) instead of being
 * sent. The bytes are those the Graph path sends (composeMime: quoted and encoded names, Date and a
 * stable Message-ID), from addresses and names checked first (checkedEmail). Written to a temporary
 * name and renamed, so a crash never leaves half an email; named by the idempotency key, so sending
 * twice writes the same file; readable by its owner only, like everything under the data folder.
 */
export class EmlMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(email: OutgoingEmail, idempotencyKey: string): Promise<void> {
    const safe = idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_');
    const message = await composeMime(checkedEmail(email), idempotencyKey, this.now());
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `${safe}.eml`);
    await writeFile(`${file}.tmp`, message, { mode: 0o600 });
    // The mode given to writeFile applies only to a new file: a leftover .tmp keeps its own.
    await chmod(`${file}.tmp`, 0o600);
    await rename(`${file}.tmp`, file);
  }
}
