import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { TableStore } from '../storage/tableStore';
import { createHarness, draftIdOf, Harness, lastCard } from '../test/support/botHarness';
import { act } from '../test/support/flows';
import { uniquePrefix } from '../test/support/store';

/**
 * What each operation costs in storage round-trips, counted by the table client's own pipeline
 * (every HTTP request to Azure Tables, retries included), so the figure does not depend on the
 * machine. The bot runs in this process on the harness the tests use (test/support/botHarness.ts),
 * so `npm run bench` prints exactly what test/storageCalls.test.ts pins. SYNTHETIC demo school.
 */

export interface Counted {
  calls: number;
  reads: number;
  writes: number;
  /** "GET cases" and the like, with how many: where the calls go. */
  by: Record<string, number>;
}

export interface OperationCosts {
  /** A dialog turn that saves nothing: a button answer, then a typed one. */
  dialogTurn: Counted;
  typedAnswerTurn: Counted;
  /** Starting a concern (the chat's reference already seen on an earlier turn). */
  startTurn: Counted;
  /** Send, while the teacher waits. */
  sendTurn: Counted;
  /** An attendance concern's Send (the bench's), the school's audit chain head already known. */
  attendanceSendTurn: Counted;
  /** The staff cards Send starts (three people have the app), after the answer. */
  staffCardsAfterSend: Counted;
  /** How many cards that was. */
  staffCards: number;
  /** The same Send where nobody has the app: each card marked "waiting for install". */
  noCardsAfterSend: Counted;
  approvalInvoke: Counted;
  /** The approval cards updated after the decision. */
  afterApproval: Counted;
  /** A type-ahead search, the register already read once. */
  search: Counted;
  digestOneSchool: Counted;
  /** Built again with the same figures (the tab's "This week" viewed twice). */
  digestAgain: Counted;
}

interface Counting {
  h: Harness;
  measure(fn: () => Promise<unknown>): Promise<Counted>;
  /** The request's calls, and those of the work it started after its answer, apart. */
  split(fn: () => Promise<unknown>): Promise<{ request: Counted; after: Counted }>;
}

async function counting(connectionString: string, prefix: string): Promise<Counting> {
  let log: string[] = [];
  const store = new TableStore({ connectionString, tablePrefix: prefix, onCall: (c) => log.push(`${c.method} ${c.table.startsWith(prefix) ? c.table.slice(prefix.length) : c.table}`) });
  await store.ensureTables();
  const h = await createHarness({ store });
  const measure = async (fn: () => Promise<unknown>): Promise<Counted> => {
    await h.parts.background.settled();
    log = [];
    await fn();
    await h.parts.background.settled();
    const reads = log.filter((m) => m.startsWith('GET ')).length;
    const by: Record<string, number> = {};
    for (const m of log) by[m] = (by[m] ?? 0) + 1;
    return { calls: log.length, reads, writes: log.length - reads, by };
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

/** A teacher's suspension-risk concern up to its check-and-send card; returns the draft id. */
async function upToConfirm(h: Harness): Promise<string | undefined> {
  await h.say('suspension');
  await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
  await h.say('He pushed a chair over after a change of carer.');
  await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' });
  return draftIdOf(lastCard(await h.say('no')));
}

export async function measureOperationCosts(connectionString: string, prefix = uniquePrefix()): Promise<OperationCosts> {
  const { h, measure, split } = await counting(connectionString, prefix);
  await h.install('dsl');
  await h.install('dt');
  await h.install('deputyDsl');
  await h.say('hello');
  // Warm: the school directory and the pupil are read once per cache period, not per turn.
  await h.say('suspension');
  const dialogTurn = await measure(() => h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' }));
  const typedAnswerTurn = await measure(() => h.say('He pushed a chair over after a change of carer.'));
  await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' });
  const draftId = draftIdOf(lastCard(await h.say('no')));
  const send = await split(() => h.say({ verb: 'answer', question: 'confirm', draftId }));
  const saved = await h.parts.cases.findByDraft(DEMO_SCHOOL_ID, draftId ?? '');
  if (!saved) throw new Error('the concern was not saved');
  const staffCards = h.sender.sent.length;
  const startTurn = await measure(() => h.say('attendance'));
  await h.say('cancel');
  const approval = await split(() => act(h, 'approveCase', { caseId: saved.caseId }, 'dsl'));
  const search = (queryText: string) => h.invoke('application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' });
  // The register is read once per school and kept for 30 s: a search right after another reads nothing.
  await search('Marchbank');
  const searchCost = await measure(() => search('Thistle'));
  const school = await h.parts.directory.school(DEMO_SCHOOL_ID);
  const digestOneSchool = await measure(() => h.parts.digests.build(school, new Date('2026-11-23T09:00:00Z')));
  const digestAgain = await measure(() => h.parts.digests.build(school, new Date('2026-11-23T09:00:00Z')));
  // The bench's concern, an attendance one, sent once the school's audit chain is known (the Send above read its head).
  await h.say('attendance');
  await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p08', pupilName: '' });
  const attendanceDraft = draftIdOf(lastCard(await h.say({ verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' })));
  const attendanceSend = await split(() => h.say({ verb: 'answer', question: 'confirm', draftId: attendanceDraft }));

  const quiet = await counting(connectionString, `${prefix}q`);
  const quietDraft = await upToConfirm(quiet.h);
  const quietSend = await quiet.split(() => quiet.h.say({ verb: 'answer', question: 'confirm', draftId: quietDraft }));
  if (quiet.h.sender.sent.length !== 0) throw new Error('a card reached someone without the app');

  return {
    dialogTurn,
    typedAnswerTurn,
    startTurn,
    sendTurn: send.request,
    attendanceSendTurn: attendanceSend.request,
    staffCardsAfterSend: send.after,
    staffCards,
    noCardsAfterSend: quietSend.after,
    approvalInvoke: approval.request,
    afterApproval: approval.after,
    search: searchCost,
    digestOneSchool,
    digestAgain,
  };
}

/** Issue 20's storage budget: the most each operation may cost. */
export const STORAGE_BUDGET = {
  /** Its state read and written, nothing else. */
  dialogTurn: 2,
  /** The state (2), one transaction, at most two reads. */
  sendTurn: 5,
  /** At most two a card. */
  perStaffCard: 2,
  approvalInvoke: 4,
} as const;
