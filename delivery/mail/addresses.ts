import { z } from 'zod';
import { OutgoingEmail } from '../../policy/email';
import { MailError } from './mailer';

/** One address and nothing else: no list, no angle brackets, no spaces, no line breaks. */
const singleAddress = z.email().max(254).refine((a) => !/[\s,;<>"()]/.test(a));

/**
 * Control characters (line breaks above all), and characters that make text read differently from
 * what it is (bidirectional overrides and isolates, zero-width characters), removed from a line that
 * goes into a header: a name or a subject is one line of plain text, never the start of another.
 */
// eslint-disable-next-line no-control-regex
const NOT_IN_A_HEADER = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/g;

export function headerText(value: string): string {
  return value.replace(NOT_IN_A_HEADER, ' ').replace(/\s+/g, ' ').trim();
}

function checkedAddress(role: string, address: string): string {
  const parsed = singleAddress.safeParse(address.trim());
  // Not worth retrying: the address on record is wrong, and someone has to correct it.
  if (!parsed.success) throw new MailError(`the ${role} address on record is not a single valid email address`, false);
  return parsed.data;
}

/**
 * An email as it may leave: every address one valid address, every name and the subject one line
 * of plain text. The mail library quotes and encodes what is left; this makes sure nothing in a
 * register's name or a typed note can add a recipient or a header, whichever way the email is sent.
 */
export function checkedEmail(email: OutgoingEmail): OutgoingEmail {
  return {
    from: checkedAddress('sender', email.from),
    ...(email.fromName ? { fromName: headerText(email.fromName) } : {}),
    to: { name: headerText(email.to.name), address: checkedAddress('recipient', email.to.address) },
    ...(email.replyTo ? { replyTo: { name: headerText(email.replyTo.name), address: checkedAddress('reply-to', email.replyTo.address) } } : {}),
    subject: headerText(email.subject),
    text: email.text,
  };
}
