import { createHarness, draftIdOf, lastCard, RecordingMailer } from './support/botHarness';
import { act } from './support/flows';

/**
 * Bidirectional overrides, zero-width characters and carriage returns can make what a teacher typed
 * read differently from what it is ("…gnissim" shown as "missing…", a name split invisibly). They
 * are removed from every card and email (security round two, item 12).
 */

const DISGUISES = /[\r\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const typed = 'Left at 10:40\r\nSaid he was \u202Egnissim\u202C a lesson; his name is Ka\u200Bi and \u2066he\u2069 seemed\uFEFF fine.';

describe('disguised text', () => {
  it('never reaches the DSL\'s card or an email, and what was typed still reads the same without them', async () => {
    const mailer = new RecordingMailer();
    const h = await createHarness({ mailer });
    for (const who of ['dsl', 'deputyDsl', 'dt'] as const) await h.install(who);
    await h.say('suspension');
    await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
    await h.say(typed);
    await h.say({ verb: 'answer', question: 'tried', tried: '', triedOther: 'A soft start\u202E (not really)', sendConsiderations: '' });
    const confirm = lastCard(await h.say('no'));
    expect(JSON.stringify(confirm)).not.toMatch(DISGUISES);
    await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) });
    await h.parts.background.settled();
    const cards = h.sender.sent.map((s) => JSON.stringify(s.activity));
    expect(cards.length).toBeGreaterThanOrEqual(3);
    for (const c of cards) expect(c).not.toMatch(DISGUISES);
    expect(cards.some((c) => c.includes('Said he was gnissim a lesson; his name is Kai and he seemed fine.'))).toBe(true);

    const caseId = (await h.parts.cases.listForPupil('oakfield-demo', 'demo-p02'))[0]!.caseId;
    const stored = await h.parts.cases.get('oakfield-demo', caseId);
    expect(JSON.stringify(stored!.answers)).not.toMatch(DISGUISES);
    const emails = (await h.parts.cases.notifications('oakfield-demo', caseId)).filter((n) => n.channel === 'email').map((n) => n.id).join(',');
    await act(h, 'amendCase', { caseId, amendSend: emails, amendReason: 'Adding a note', amendNote: 'Please call \u202Eti\u202C before Friday.\r\nThanks' }, 'dsl');
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    expect(mailer.sent.length).toBeGreaterThan(0);
    for (const m of mailer.sent) {
      expect(m.email.text).not.toMatch(DISGUISES);
      expect(m.email.text).toContain('Please call ti before Friday.');
    }
  });
});
