import { demoSchool } from '../demo/demoSchool';
import { APPROVER_ROLES } from '../policy/roles';
import { TABLES, TableStore } from '../storage/tableStore';
import { createHarness, Harness, StaffKey } from './support/botHarness';
import { countingTable, ReadCounter } from './support/countingTable';
import { raiseSuspensionRisk } from './support/flows';
import { createTestStore } from './support/store';

/**
 * What a concern costs in storage reads, counted by a wrapper on each table client. Every read is a
 * round trip to Azure Table Storage (and a transaction billed); the benchmark showed the staff
 * cards' reads, repeated card by card, were most of the load under twenty teachers at once.
 */
function countedStore(store: TableStore, counters: Map<string, ReadCounter>): TableStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'client') {
        return (name: Parameters<TableStore['client']>[0]) => {
          const counter = counters.get(name) ?? { rows: 0, queries: 0 };
          counters.set(name, counter);
          return countingTable(target.client(name), counter);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const LEADS: StaffKey[] = ['dsl', 'dt', 'deputyDsl', 'headteacher', 'senco'];

describe('the storage a concern costs', () => {
  let h: Harness;
  const counters = new Map<string, ReadCounter>();
  const reads = (table: string) => counters.get(table)?.queries ?? 0;
  const resetCounts = () => counters.forEach((c) => Object.assign(c, { rows: 0, queries: 0 }));

  beforeEach(async () => {
    counters.clear();
    h = await createHarness({ store: countedStore(await createTestStore(), counters) });
    for (const who of LEADS) await h.install(who);
  });

  it('sends all the cards of a concern from one read of the case, its notifications, its audit trail and each person\'s chat', async () => {
    // Everything up to the confirmation first, so that only Send and the cards it starts are counted.
    const caseId = await raiseSuspensionRisk(h);
    const cards = h.sender.sent.length;
    expect(cards).toBeGreaterThanOrEqual(3);

    // A second concern, counted: the Send turn and every card it sends in the background.
    const before = h.sender.sent.length;
    await h.say('suspension');
    await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
    await h.say('A second worry, about the same child.');
    await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' });
    const confirm = (await h.say('no')).at(-1);
    const draftId = JSON.stringify(confirm).match(/"draftId":"([^"]+)"/)?.[1];
    expect(draftId).toBeDefined();
    resetCounts();
    await h.say({ verb: 'answer', question: 'confirm', draftId });
    const sentNow = h.sender.sent.length - before;
    expect(sentNow).toBe(cards);

    // Before, the Send turn looked for its draft first, and every card read its notification, the
    // case, the case's notifications and its audit trail again, and the chat of every approver:
    // 19 reads of the cases table and 8 of chats for these 4 cards. Now the notifications, the case
    // and the trail's keys are read once each however many cards there are (and the chain's head
    // at most once), and a Send pressed twice is caught by its draft row when it is saved.
    expect(reads(TABLES.cases)).toBeLessThanOrEqual(4);
    // One read per person the cards go to or name (the approvers, for the card's refresh list).
    const approvers = demoSchool.staff.filter((s) => s.roles.some((r) => APPROVER_ROLES.has(r))).map((s) => s.aadObjectId);
    const people = new Set([...h.sender.sent.slice(before).map((s) => s.ref.aadObjectId), ...approvers]);
    expect(reads(TABLES.conversationRefs)).toBeLessThanOrEqual(people.size);
    // And nothing was lost by reading less: every card of the second case was delivered and audited.
    const second = (await h.parts.cases.findByDraft('oakfield-demo', draftId!))!.caseId;
    const notified = (await h.parts.cases.auditTrail('oakfield-demo', second)).filter((e) => e.action === 'notified');
    expect(notified).toHaveLength(cards);
    expect(new Set(notified.map((e) => e.seq)).size).toBe(cards);
    expect(caseId).not.toBe(second);
  });

  it('looks for cards waiting for someone only when their chat with the bot is new or has changed, not every time they start a concern', async () => {
    const released = jest.spyOn(h.parts.outbox, 'releaseWaitingFor');
    await h.say('attendance');
    await h.say('cancel');
    expect(released).toHaveBeenCalledTimes(1);

    await h.say('attendance');
    await h.say('cancel');
    await h.say('suspension');
    await h.say('cancel');
    expect(released).toHaveBeenCalledTimes(1);

    // The same person from another chat (the app reinstalled): their reference changes, so look again.
    await h.say('attendance', 'teacher', 'conv-reinstalled');
    expect(released).toHaveBeenCalledTimes(2);
  });
});
