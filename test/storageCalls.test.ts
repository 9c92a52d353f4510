import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { TableStore } from '../storage/tableStore';
import { createHarness, draftIdOf, Harness, lastCard } from './support/botHarness';
import { act } from './support/flows';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * What each operation costs in storage round-trips, counted by the table client's own pipeline
 * (every HTTP request to Azure Tables, retries included), so the figure does not depend on the
 * machine. These pin today's counts as ceilings (issue 20): an operation that gains a call fails
 * here, and one that loses calls should have its ceiling lowered with it. SYNTHETIC demo school.
 */

interface Counted {
  calls: number;
  reads: number;
  writes: number;
  /** "GET cases" and the like, with how many: where the calls go. */
  by?: Record<string, number>;
}

interface Split {
  /** While the person waits: the turn or the invoke. */
  request: Counted;
  /** What the turn started to run after its answer (staff cards, card updates). */
  after: Counted;
}

async function counting(): Promise<{ h: Harness; measure(fn: () => Promise<unknown>): Promise<Counted>; split(fn: () => Promise<unknown>): Promise<Split> }> {
  let log: string[] = [];
  // Each call as "GET cases": the table without the test's prefix.
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: uniquePrefix(), onCall: (c) => log.push(`${c.method} ${c.table.replace(/^t[0-9a-f]{10}/, '')}`) });
  await store.ensureTables();
  const h = await createHarness({ store });
  const measure = async (fn: () => Promise<unknown>): Promise<Counted> => {
      await h.parts.background.settled();
      log = [];
      await fn();
      await h.parts.background.settled();
      const calls = log.length;
      const reads = log.filter((m) => m.startsWith('GET ')).length;
      const by: Record<string, number> = {};
      for (const m of log) by[m] = (by[m] ?? 0) + 1;
      return { calls, reads, writes: calls - reads, by };
  };
  return {
    h,
    measure,
    async split(fn) {
      await h.parts.background.settled();
      const background = h.parts.background;
      const held: Array<() => Promise<unknown>> = [];
      const run = background.run.bind(background);
      // Held back until the request is over, so its calls and the work after it are counted apart.
      background.run = (_name, work) => void held.push(work);
      let request: Counted;
      try {
        request = await measure(fn);
      } finally {
        background.run = run;
      }
      const after = await measure(async () => {
        for (const work of held) await work();
      });
      return { request, after };
    },
  };
}

describe('storage round-trips per operation (ceilings: today’s counts)', () => {
  const seen: Record<string, Counted> = {};
  afterAll(() => {
    process.stdout.write(`storage calls per operation: ${JSON.stringify(seen)}\n`);
  });

  it('a dialog turn, Send (with the staff cards it delivers), an approval, a search and a digest', async () => {
    const { h, measure, split } = await counting();
    await h.install('dsl');
    await h.install('dt');
    await h.install('deputyDsl');
    await h.say('hello');
    // Warm: the school directory and the pupil are read once per cache period, not per turn.
    await h.say('suspension');
    seen.dialogTurn = await measure(() => h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' }));
    seen.typedAnswerTurn = await measure(() => h.say('He pushed a chair over after a change of carer.'));
    await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' });
    const confirm = lastCard(await h.say('no'));
    const send = await split(() => h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) }));
    seen.sendTurn = send.request;
    seen.staffCardsAfterSend = send.after;
    const saved = await h.parts.cases.findByDraft(DEMO_SCHOOL_ID, draftIdOf(confirm)!);
    const cards = h.sender.sent.length;
    const approval = await split(() => act(h, 'approveCase', { caseId: saved!.caseId }, 'dsl'));
    seen.approvalInvoke = approval.request;
    seen.afterApproval = approval.after;
    const search = (queryText: string) => h.invoke('application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' });
    // The register is read once per school and kept for 30 s: a search right after another reads nothing.
    await search('Marchbank');
    seen.search = await measure(() => search('Thistle'));
    const school = await h.parts.directory.school(DEMO_SCHOOL_ID);
    seen.digestOneSchool = await measure(() => h.parts.digests.build(school, new Date('2026-11-23T09:00:00Z')));
    // Built again with the same figures (the tab's "This week" viewed twice): the week is not written again.
    seen.digestAgain = await measure(() => h.parts.digests.build(school, new Date('2026-11-23T09:00:00Z')));

    // The same Send where nobody has the app yet: what the turn itself costs; the difference is the cards.
    const quiet = await counting();
    await quiet.h.say('suspension');
    await quiet.h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
    await quiet.h.say('He pushed a chair over after a change of carer.');
    await quiet.h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' });
    const quietConfirm = lastCard(await quiet.h.say('no'));
    const quietSend = await quiet.split(() => quiet.h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(quietConfirm) }));
    seen.noCardsAfterSend = quietSend.after;
    expect(quiet.h.sender.sent).toHaveLength(0);
    expect(quietSend.request.calls).toBe(seen.sendTurn!.calls);

    expect(cards).toBe(3);
    // Ceilings: today's counts on this code (see the issue 20 note for where they go next).
    expect(seen.dialogTurn!.calls).toBeLessThanOrEqual(CEILING.dialogTurn);
    expect(seen.typedAnswerTurn!.calls).toBeLessThanOrEqual(CEILING.typedAnswerTurn);
    expect(seen.sendTurn!.calls).toBeLessThanOrEqual(CEILING.sendTurn);
    expect(seen.staffCardsAfterSend!.calls).toBeLessThanOrEqual(CEILING.threeStaffCards);
    expect(seen.noCardsAfterSend!.calls).toBeLessThanOrEqual(CEILING.noStaffCards);
    expect(seen.approvalInvoke!.calls).toBeLessThanOrEqual(CEILING.approvalInvoke);
    expect(seen.afterApproval!.calls).toBeLessThanOrEqual(CEILING.afterApproval);
    expect(seen.search!.calls).toBeLessThanOrEqual(CEILING.search);
    expect(seen.digestOneSchool!.calls).toBeLessThanOrEqual(CEILING.digestOneSchool);
    expect(seen.digestAgain!.calls).toBeLessThanOrEqual(CEILING.digestOneSchool - 1);
  });
});

/**
 * Today's counts (30 November 2026), as ceilings, against issue 20's budget:
 * - a dialog turn: its state read and write (2): within budget;
 * - Send, while the teacher waits: the state, two reads and the case's one transaction (5): within;
 * - the staff cards after it: 6 for three cards, 2 a card: within budget. The case, its
 *   notifications, the next audit number and everyone's chat reference are read once (4), one
 *   transaction claims all three and one settles them with their audit entries and where the
 *   approval cards were posted (it was 17, then 14 with one claim and one settle a card);
 * - with nobody installed: 4 (the notifications marked "waiting for install" in one transaction; was 11);
 * - an approval invoke: 4 (the decided card no longer looks up approvers' chats it does not use;
 *   it was 6): within budget; the card updates after it: 1;
 * - a search: nothing (the register is cached); a school's digest: 12.
 */
const CEILING = {
  dialogTurn: 2,
  typedAnswerTurn: 2,
  sendTurn: 5,
  threeStaffCards: 6,
  noStaffCards: 4,
  approvalInvoke: 4,
  afterApproval: 1,
  search: 0,
  digestOneSchool: 12,
};
