import { ExternalNotification } from '../policy/caseRecord';
import { cardText, createHarness, draftIdOf, Harness, lastCard } from './support/botHarness';
import { act } from './support/flows';

/**
 * Teams measures a message in UTF-16 (Microsoft Learn: about 100 KB, keep under 80 KB; older pages
 * and some connectors say 40 KB or 28 KB). At the longest free text the dialogs accept, in the
 * characters that cost most once the card is JSON, every card the bot sends stays under 40 KB
 * (security round two, item 9); and a card refused as too big (413) is sent again, shorter.
 */

const LIMIT_BYTES = 40 * 1024;
/** Bytes of a card as Teams counts them: its JSON in UTF-16 (two bytes a code unit). */
const utf16Bytes = (card: unknown) => JSON.stringify(card).length * 2;

/** Each character doubles in JSON ('"' becomes '\"'); a three-byte and a four-byte UTF-8 character in between. */
const longest = (n: number) => Array.from({ length: n }, (_, i) => ['"', '\\', '中', '😀'][i % 4]).join('').slice(0, n);

async function raiseAtTheLongest(h: Harness): Promise<void> {
  await h.say('suspension');
  await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
  await h.say(longest(4000));
  await h.say({ verb: 'answer', question: 'tried', tried: 'softStart,therapy,nurtureRoom', triedOther: longest(2000), sendConsiderations: longest(2000) });
  const confirm = lastCard(await h.say('no'));
  expect(utf16Bytes(confirm)).toBeLessThan(LIMIT_BYTES);
  await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) });
  await h.parts.background.settled();
}

describe('card sizes at the longest inputs', () => {
  it('every card a concern sends (receipt, approval card, case cards) is under 40 KB of UTF-16, and so is the decided card', async () => {
    const h = await createHarness();
    for (const who of ['dsl', 'deputyDsl', 'dt', 'headteacher', 'senco'] as const) await h.install(who);
    await raiseAtTheLongest(h);
    const cards = h.sender.sent.map((s) => s.activity.attachments?.[0]?.content);
    expect(cards.length).toBeGreaterThanOrEqual(3);
    const sizes = cards.map(utf16Bytes);
    expect(Math.max(...sizes)).toBeLessThan(LIMIT_BYTES);
    const caseId = (await h.parts.cases.listForPupil('oakfield-demo', 'demo-p02'))[0]!.caseId;
    const decided = await act(h, 'amendCase', { caseId, amendSend: '', amendReason: longest(1000), amendNote: longest(1000) }, 'dsl');
    expect(utf16Bytes(decided.value)).toBeLessThan(LIMIT_BYTES);
  });

  it('a card a connector refuses as too big (413) is sent again shorter, pointing to the tab for the full text; nothing is lost', async () => {
    const h = await createHarness();
    for (const who of ['dsl', 'deputyDsl'] as const) await h.install(who);
    // A connector with Power Automate's limit (about 28 KB).
    h.sender.refuseOver(28 * 1024);
    await raiseAtTheLongest(h);
    await h.parts.outbox.runOnce();
    const toDsl = h.sender.sent.filter((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000021').map((s) => s.activity.attachments?.[0]?.content);
    expect(toDsl).toHaveLength(1);
    expect(utf16Bytes(toDsl[0])).toBeLessThan(28 * 1024);
    expect(cardText(toDsl[0])).toContain('shortened to fit in Teams');
    expect(JSON.stringify(toDsl[0])).toContain('"verb":"approveCase"');
    const caseId = (await h.parts.cases.listForPupil('oakfield-demo', 'demo-p02'))[0]!.caseId;
    const notifications = await h.parts.cases.notifications('oakfield-demo', caseId);
    const installed = ['00000000-0000-0000-0000-0000000000021', '00000000-0000-0000-0000-0000000000023'];
    const cards = notifications.filter((n) => n.channel === 'teams');
    expect(cards.filter((n) => installed.includes(n.to.aadObjectId)).map((n) => n.status)).toEqual(['delivered', 'delivered']);
    // Nothing failed: the others wait for their recipients to install the app.
    expect(cards.some((n) => n.status === 'failed')).toBe(false);
    expect(notifications.filter((n): n is ExternalNotification & { etag: string } => n.channel === 'email').every((n) => n.status === 'awaitingApproval')).toBe(true);
  });
});
