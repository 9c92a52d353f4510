import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AddressObject, ParsedMail, simpleParser } from 'mailparser';
import { EmlMailer } from '../delivery/mail/emlMailer';
import { OutgoingEmail } from '../policy/email';
import { decided, demoPupil, EmailCase, emailTo, raisedCase } from './support/emailCases';

/**
 * Golden emails: an approved attendance email and an amended suspension email to a Virtual School,
 * written as the .eml files local mode writes, read back as a mail program reads them, and compared
 * header by header and with the whole body (test/fixtures/*.golden.txt). Synthetic demo children,
 * fixed clock. A copy of each goes to test-output/emails/ for a person to read.
 *
 * To change the wording on purpose, edit the golden file: the difference is the review.
 */

const FIXTURES = path.join(__dirname, 'fixtures');
const OUTPUT = path.join(__dirname, '..', 'test-output', 'emails');

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => ({ name: v.name, address: v.address })));

async function written(email: OutgoingEmail, key: string, at: Date, name: string): Promise<{ raw: string; parsed: ParsedMail }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'golden-'));
  try {
    await new EmlMailer(dir, () => at).send(email, key);
    const raw = await readFile(path.join(dir, `${key}.eml`), 'utf8');
    const parsed = await simpleParser(raw);
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(path.join(OUTPUT, `${name}.eml`), raw);
    // What a mail program shows: the main headers decoded, then the body.
    const shown = [`From: ${parsed.from?.text}`, `To: ${addresses(parsed.to).map((a) => `${a.name} <${a.address}>`).join(', ')}`, `Reply-To: ${parsed.replyTo?.text}`, `Date: ${raw.match(/^Date: (.*)$/m)?.[1]}`, `Subject: ${parsed.subject}`, '', parsed.text ?? ''];
    writeFileSync(path.join(OUTPUT, `${name}.txt`), shown.join('\n'));
    return { raw, parsed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const golden = (file: string) => readFileSync(path.join(FIXTURES, file), 'utf8');
/** The header lines as written, unfolded: what any mail program sees first. */
const headerLines = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ').split('\r\n');

describe('an approved attendance email to the Virtual School (Sam, in care, Hertfordshire)', () => {
  const c: EmailCase = decided(
    raisedCase({ ref: 'ATT-7K2QX', pupil: demoPupil('demo-p01'), answers: { caseType: 'attendance', sessionsMissed: 9, absenceType: 'unauthorised', pattern: true, reasons: ['contact'], attendancePercent: 86.5, alreadyDone: 'Phoned the carers on Friday (synthetic).' } }),
    { verb: 'approve' },
    new Date('2026-11-23T10:15:00Z'),
  );
  const key = c.emails.find((e) => e.to.recipient === 'virtualSchool')!.id;

  it('carries every header a mail program needs, names quoted as RFC 5322 says', async () => {
    const { raw, parsed } = await written(emailTo(c, 'virtualschool@herts-vs.example.org'), key, new Date('2026-11-23T10:16:00Z'), 'attendance-approved');
    expect(addresses(parsed.from)).toEqual([{ name: 'Oakfield Primary (demo)', address: 'safeguarding@oakfield-demo.example.org' }]);
    expect(addresses(parsed.to)).toEqual([{ name: 'Hertfordshire Virtual School (demo)', address: 'virtualschool@herts-vs.example.org' }]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: 'Adele Vance', address: 'adele.vance@oakfield.example.org' }]);
    expect(parsed.cc).toBeUndefined();
    expect(parsed.subject).toBe('Oakfield Primary (demo): attendance concern – please reply by Tue 24 Nov 2026 – ref ATT-7K2QX');
    expect(parsed.date?.toISOString()).toBe('2026-11-23T10:16:00.000Z');
    expect(parsed.messageId).toBe(`<${key}@oakfield-demo.example.org>`);
    // As written, not as a parser fills in: a display name with parentheses is quoted, the date is RFC 5322's.
    const headers = headerLines(raw);
    expect(headers).toEqual(
      expect.arrayContaining([
        'From: "Oakfield Primary (demo)" <safeguarding@oakfield-demo.example.org>',
        'To: "Hertfordshire Virtual School (demo)" <virtualschool@herts-vs.example.org>',
        'Reply-To: Adele Vance <adele.vance@oakfield.example.org>',
        'Date: Mon, 23 Nov 2026 10:16:00 +0000',
        `Message-ID: <${key}@oakfield-demo.example.org>`,
        'Content-Language: en-GB',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
      ]),
    );
    expect(headers.filter((h) => /^(Date|Message-ID|From|To|Subject):/i.test(h))).toHaveLength(5);
  });

  it('says, in its whole body, the figures, the dates, what is asked, by when and why', async () => {
    const { parsed } = await written(emailTo(c, 'virtualschool@herts-vs.example.org'), key, new Date('2026-11-23T10:16:00Z'), 'attendance-approved');
    expect(parsed.text).toBe(golden('email-attendance-approved.golden.txt'));
    // What the teacher typed stays in school.
    expect(parsed.text).not.toContain('Phoned the carers');
  });
});

describe('an amended email for a decided suspension (Kai, in care, placed by Essex)', () => {
  const raised = raisedCase({
    ref: 'SUS-4HT9W',
    pupil: demoPupil('demo-p02'),
    answers: { caseType: 'suspension', stage: 'decided', whatHappened: 'He threw a chair; Jamie Example was nearby (synthetic).', tried: ['softStart', 'nurtureRoom'], decision: { kind: 'suspension', startDate: '2026-11-24', days: 2 }, consultedBeforeDecision: ['virtualSchool', 'socialWorker'] },
  });
  const c = decided(
    raised,
    {
      verb: 'amend',
      reason: 'Adding the reasons for the decision (internal: not for the email).',
      send: raised.emails.map((e) => e.id),
      note: 'The reasons: repeated physical aggression towards staff after a change of carer (synthetic). Adele will call you on Tuesday.',
    },
    new Date('2026-11-23T11:40:00Z'),
  );
  const key = c.emails.find((e) => e.to.recipient === 'virtualSchool')!.id;

  it('has the decision, its dates and length, the reply-by date and its reason, and the DSL\'s note, and not the amend reason', async () => {
    const { raw, parsed } = await written(emailTo(c, 'virtualschool@essex-vs.example.org'), key, new Date('2026-11-23T11:41:00Z'), 'suspension-amended');
    expect(addresses(parsed.from)).toEqual([{ name: 'Oakfield Primary (demo)', address: 'safeguarding@oakfield-demo.example.org' }]);
    expect(addresses(parsed.to)).toEqual([{ name: 'Essex Virtual School (demo)', address: 'virtualschool@essex-vs.example.org' }]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: 'Adele Vance', address: 'adele.vance@oakfield.example.org' }]);
    expect(parsed.subject).toBe('Oakfield Primary (demo): suspension decided – please reply by Wed 25 Nov 2026 – ref SUS-4HT9W');
    expect(parsed.date?.toISOString()).toBe('2026-11-23T11:41:00.000Z');
    expect(parsed.messageId).toBe(`<${key}@oakfield-demo.example.org>`);
    expect(headerLines(raw)).toEqual(expect.arrayContaining(['Date: Mon, 23 Nov 2026 11:41:00 +0000', `Message-ID: <${key}@oakfield-demo.example.org>`]));
    expect(parsed.text).toBe(golden('email-suspension-amended.golden.txt'));
    expect(parsed.text).not.toContain('internal: not for the email');
    expect(parsed.text).not.toContain('Jamie Example');
  });
});
