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

async function counting(): Promise<{ h: Harness; measure(fn: () => Promise<unknown>): Promise<Counted> }> {
  let log: string[] = [];
  // Each call as "GET cases": the table without the test's prefix.
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: uniquePrefix(), onCall: (c) => log.push(`${c.method} ${c.table.replace(/^t[0-9a-f]{10}/, '')}`) });
  await store.ensureTables();
  const h = await createHarness({ store });
  return {
    h,
    async measure(fn) {
      await h.parts.background.settled();
      log = [];
      await fn();
      await h.parts.background.settled();
      const calls = log.length;
      const reads = log.filter((m) => m.startsWith('GET ')).length;
      const by: Record<string, number> = {};
      for (const m of log) by[m] = (by[m] ?? 0) + 1;
      return { calls, reads, writes: calls - reads, by };
    },
  };
}

describe('storage round-trips per operation (ceilings: today’s counts)', () => {
  const seen: Record<string, Counted> = {};
  afterAll(() => {
    process.stdout.write(`storage calls per operation: ${JSON.stringify(seen)}\n`);
  });

  it('a dialog turn, Send (with the staff cards it delivers), an approval, a search and a digest', async () => {
    const { h, measure } = await counting();
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
    seen.sendWithStaffCards = await measure(() => h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) }));
    const saved = await h.parts.cases.findByDraft(DEMO_SCHOOL_ID, draftIdOf(confirm)!);
    const cards = h.sender.sent.length;
    seen.approvalInvoke = await measure(() => act(h, 'approveCase', { caseId: saved!.caseId }, 'dsl'));
    const search = (queryText: string) => h.invoke('application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' });
    // The register is read once per school and kept for 30 s: a search right after another reads nothing.
    await search('Marchbank');
    seen.search = await measure(() => search('Thistle'));
    const school = await h.parts.directory.school(DEMO_SCHOOL_ID);
    seen.digestOneSchool = await measure(() => h.parts.digests.build(school, new Date('2026-11-23T09:00:00Z')));

    // The same Send where nobody has the app yet: what the turn itself costs; the difference is the cards.
    const quiet = await counting();
    await quiet.h.say('suspension');
    await quiet.h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
    await quiet.h.say('He pushed a chair over after a change of carer.');
    await quiet.h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' });
    const quietConfirm = lastCard(await quiet.h.say('no'));
    seen.sendNoCards = await quiet.measure(() => quiet.h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(quietConfirm) }));
    expect(quiet.h.sender.sent).toHaveLength(0);
    seen.perStaffCard = { calls: (seen.sendWithStaffCards!.calls - seen.sendNoCards.calls) / cards, reads: (seen.sendWithStaffCards!.reads - seen.sendNoCards.reads) / cards, writes: (seen.sendWithStaffCards!.writes - seen.sendNoCards.writes) / cards };

    expect(cards).toBe(3);
    // Ceilings: today's counts on this code (see the issue 20 note for where they go next).
    expect(seen.dialogTurn!.calls).toBeLessThanOrEqual(CEILING.dialogTurn);
    expect(seen.typedAnswerTurn!.calls).toBeLessThanOrEqual(CEILING.typedAnswerTurn);
    expect(seen.sendWithStaffCards!.calls).toBeLessThanOrEqual(CEILING.sendWithStaffCards);
    expect(seen.sendNoCards.calls).toBeLessThanOrEqual(CEILING.sendNoCards);
    expect(seen.approvalInvoke!.calls).toBeLessThanOrEqual(CEILING.approvalInvoke);
    expect(seen.search!.calls).toBeLessThanOrEqual(CEILING.search);
    expect(seen.digestOneSchool!.calls).toBeLessThanOrEqual(CEILING.digestOneSchool);
  });
});

/**
 * Today's counts (30 November 2026), as ceilings. A dialog turn is already its state read and
 * write. Send was 19 without cards and 22 with three; reading the recipients' chat references in
 * one query instead of one each made it 16 and 19. It is still over its budget (the state, one
 * transaction and two reads): each staff notification is also written one by one after the case's
 * transaction. An approval is 7 with the card updates after it, against 4 on the request path; the
 * digest reads the case partition ten times.
 */
const CEILING = {
  dialogTurn: 2,
  typedAnswerTurn: 2,
  sendWithStaffCards: 19,
  sendNoCards: 16,
  approvalInvoke: 7,
  search: 0,
  digestOneSchool: 12,
};
