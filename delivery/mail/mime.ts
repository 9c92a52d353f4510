import MailComposer from 'nodemailer/lib/mail-composer';
import { OutgoingEmail } from '../../policy/email';

/**
 * The Message-ID of a notification's email: the same for every attempt, so a send retried after a
 * lost answer is recognised by the recipient's mail system as the same message. On the sender's own
 * domain (RFC 5322, section 3.6.4: the right-hand side names where the id was made unique).
 */
export function messageIdFor(idempotencyKey: string, senderAddress: string): string {
  const local = idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_');
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  return `<${local}@${domain}>`;
}

/**
 * An email as RFC 5322 bytes, composed by nodemailer whichever way it leaves: names passed as
 * address objects, so the library quotes ("Castell, Priya") or encodes (Zoë) them as the standard
 * says; a Date header (when this attempt was made); the stable Message-ID. `email` must already
 * have been checked (checkedEmail): this adds no checks of its own.
 */
export function composeMime(email: OutgoingEmail, idempotencyKey: string, date: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.fromName ? { name: email.fromName, address: email.from } : email.from,
    to: { name: email.to.name, address: email.to.address },
    ...(email.replyTo ? { replyTo: { name: email.replyTo.name, address: email.replyTo.address } } : {}),
    subject: email.subject,
    text: email.text,
    date,
    messageId: messageIdFor(idempotencyKey, email.from),
    headers: { 'Content-Language': 'en-GB', 'X-Idempotency-Key': idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_') },
  });
  return new Promise((resolve, reject) => composer.compile().build((err, message) => (err ? reject(err) : resolve(message))));
}
