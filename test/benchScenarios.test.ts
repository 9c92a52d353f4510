import http from 'node:http';
import { AddressInfo } from 'node:net';
import { BenchConnector } from '../bench/connector';
import { attendanceDialog, TeacherChats } from '../bench/scenarios';

/**
 * The bench's teachers answer cards as Teams sends a button press: with the id of the card pressed
 * (`replyToId`), so the bot does what it does in Teams, asking the next question in the place of
 * the card answered, and the measured turn includes that call. A stand-in bot here answers through
 * the bench's connector as the bot does (a new card, then the same card replaced by each question
 * and at last by the receipt) and records what it was sent.
 */
describe('the bench’s attendance concern, as Teams sends it', () => {
  const connector = new BenchConnector();
  const seen: Array<{ id: string; conversation: { id: string }; text?: string; replyToId?: string; value?: { question?: string } }> = [];
  let bot: http.Server;
  let botUrl = '';

  beforeAll(async () => {
    await connector.start();
    bot = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const a = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof seen)[number];
          seen.push(a);
          const card = a.value?.question === 'details' ? { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', actions: [{ type: 'Action.Submit', data: { verb: 'answer', draftId: 'draft-1' } }] } } : undefined;
          // A button pressed: the next question replaces the card pressed (PUT, naming the answer in the body).
          const inPlace = a.replyToId !== undefined;
          await fetch(`${connector.url}/v3/conversations/${encodeURIComponent(a.conversation.id)}/activities/${encodeURIComponent(inPlace ? a.replyToId! : a.id)}`, {
            method: inPlace ? 'PUT' : 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', replyToId: a.id, text: a.value?.question === 'confirm' ? 'Sent: ATT-0001' : 'a question', ...(card ? { attachments: [card] } : {}) }),
          });
          // Two calls: restify, loaded by other tests in the same worker, replaces Node's writeHead with one that returns nothing.
          res.writeHead(200);
          res.end();
        })();
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await connector.stop();
    await new Promise<void>((resolve) => bot.close(() => resolve()));
  });

  it('starts by typing, then presses each card’s button with that card’s id, and Send gets a reference', async () => {
    const drafts: string[] = [];
    const turn = attendanceDialog(drafts, new TeacherChats())({ botUrl, connector, digestKey: '' }, 'test');
    for (let i = 0; i < 4; i++) await turn(0, i);

    expect(seen.map((a) => a.text ?? a.value?.question)).toEqual(['attendance', 'pupil', 'details', 'confirm']);
    expect(seen[0]!.replyToId).toBeUndefined();
    const firstCard = connector.replyIdTo(seen[0]!.conversation.id, seen[0]!.id);
    expect(firstCard).toMatch(/^reply-\d+$/);
    // Every button is pressed on the one card, which the bot's next question replaced each time.
    for (let i = 1; i < 4; i++) expect(seen[i]!.replyToId).toBe(firstCard);
    // The check-and-send card's draft id was read from the card as replaced, and Send got its reference.
    expect(drafts).toEqual(['draft-1']);
  });
});
