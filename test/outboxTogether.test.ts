import { DEMO_SCHOOL_ID, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { Notification } from '../policy/caseRecord';
import { DEFAULT_RETRY } from '../delivery/outboxSender';
import { HAND_OVER_WHILE_QUEUED_BELOW } from '../services/caseService';
import { createHarness, Harness, MONDAY_9AM } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';
import { azuriteConnectionString, createTestStore, uniquePrefix } from './support/store';
import { TableStore } from '../storage/tableStore';

/**
 * A concern's staff cards are sent from what its Send saved (leased to the instance in the save)
 * and settled in one transaction; a pass claims a case's cards in one transaction and settles them
 * in another (issue 20). These show the guarantees of one card at a time still hold: each card
 * sent once, each with its own audit entry in the school's chain, an approval card findable so a
 * decision updates it, a refused card retried on its own, a notification someone else touched
 * between a pass's listing and its claim left to them, and a Send's cards left by every pass until
 * they are sent or their lease runs out. SYNTHETIC demo school.
 */

/** A clock the test moves on, from Monday 9am (a school day). */
function movingClock() {
  let now = MONDAY_9AM.getTime();
  return { clock: () => new Date(now), later: (ms: number) => (now += ms) };
}

/** Past the lease a Send's cards are saved with: as if the instance that saved them stopped before sending them. */
const PAST_THE_LEASE = DEFAULT_RETRY.leaseMs + 1000;
describe("a case's cards delivered together", () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness({ store: await createTestStore() });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
  });

  /** Pending notifications other than those waiting for someone to install the app. */
  const stillPending = async (caseId: string) => {
    const pending = new Set(await h.parts.cases.pendingNotificationIds(DEMO_SCHOOL_ID));
    return (await h.parts.cases.notifications(DEMO_SCHOOL_ID, caseId)).filter((n) => pending.has(n.id) && !n.delivery?.waitingForInstall).map((n) => n.id);
  };
  const teamsTo = <N extends Notification>(ns: readonly N[], aad: string): N | undefined => ns.find((n) => n.channel === 'teams' && n.to.aadObjectId === aad);

  it('sends each card once, audits each delivery in the chain, and records the approval cards so a decision updates them', async () => {
    const caseId = await raiseSuspensionRisk(h);
    const sentTo = h.sender.sent.map((s) => s.ref.conversationId).sort();
    expect(sentTo).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);

    const notified = (await h.parts.cases.auditTrail(DEMO_SCHOOL_ID, caseId)).filter((e) => e.action === 'notified');
    expect(notified.map((e) => (e.detail as { to: string }).to).sort()).toEqual([DEMO_STAFF.deputyDsl.aadObjectId, DEMO_STAFF.dsl.aadObjectId, DEMO_STAFF.dt.aadObjectId].sort());
    expect(new Set(notified.map((e) => e.seq)).size).toBe(3);
    // Still pending: only cards for people who have not installed the app (waiting for them).
    expect(await stillPending(caseId)).toEqual([]);
    expect((await h.parts.cases.verifyAuditChain(DEMO_SCHOOL_ID)).ok).toBe(true);

    const posted = await h.parts.cases.approvalCards(DEMO_SCHOOL_ID, caseId);
    expect(posted.map((p) => p.aadObjectId).sort()).toEqual([DEMO_STAFF.deputyDsl.aadObjectId, DEMO_STAFF.dsl.aadObjectId].sort());
    await act(h, 'approveCase', { caseId }, 'dsl');
    // Both approvers' cards now say it was decided: found through the rows written with the settle.
    expect(new Set(h.sender.updates.map((u) => u.ref.conversationId))).toEqual(new Set(['conv-dsl', 'conv-deputyDsl']));
  });

  it('a card Teams refuses is retried on its own; the others are recorded as delivered', async () => {
    const send = h.sender.send.bind(h.sender);
    h.sender.send = async (ref, activity) => {
      if (ref.conversationId === 'conv-dt') throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
      return send(ref, activity);
    };
    const caseId = await raiseSuspensionRisk(h);
    expect(h.sender.sent.map((s) => s.ref.conversationId).sort()).toEqual(['conv-deputyDsl', 'conv-dsl']);

    const ns = await h.parts.cases.notifications(DEMO_SCHOOL_ID, caseId);
    const dt = teamsTo(ns, DEMO_STAFF.dt.aadObjectId)!;
    expect(dt.status).toBe('pending');
    expect(dt.delivery?.attempts).toBe(1);
    expect(dt.delivery?.nextAttemptAt).toBeDefined();
    expect(teamsTo(ns, DEMO_STAFF.dsl.aadObjectId)!.status).toBe('delivered');
    expect(teamsTo(ns, DEMO_STAFF.deputyDsl.aadObjectId)!.status).toBe('delivered');
    const trail = await h.parts.cases.auditTrail(DEMO_SCHOOL_ID, caseId);
    expect(trail.filter((e) => e.action === 'notified')).toHaveLength(2);
    expect(trail.filter((e) => e.action === 'deliveryRetry')).toHaveLength(1);
    expect(new Set(trail.map((e) => e.seq)).size).toBe(trail.length);
    expect((await h.parts.cases.verifyAuditChain(DEMO_SCHOOL_ID)).ok).toBe(true);
  });

  it('a notification changed after a pass listed it is left to whoever changed it, and the others still go, once each', async () => {
    // The Send's own sending never happens (its instance stopped): the cards are left to a pass once their lease runs out.
    const time = movingClock();
    h = await createHarness({ store: await createTestStore(), clock: time.clock });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
    h.parts.background.run = () => undefined;
    const cases = h.parts.cases;
    const list = cases.notifications.bind(cases);
    let touched = false;
    // Between this listing and the claim, someone else (another instance) writes the DT's notification.
    cases.notifications = async (school, caseId) => {
      const listed = await list(school, caseId);
      const dt = teamsTo(listed, DEMO_STAFF.dt.aadObjectId);
      if (!touched && dt?.status === 'pending') {
        touched = true;
        const { etag, ...plain } = dt;
        await cases.updateNotification(school, plain, etag);
      }
      return listed;
    };
    const caseId = await raiseSuspensionRisk(h);
    time.later(PAST_THE_LEASE);
    await h.parts.outbox.runOnce();
    expect(touched).toBe(true);
    expect(h.sender.sent.map((s) => s.ref.conversationId).sort()).toEqual(['conv-deputyDsl', 'conv-dsl']);
    expect(teamsTo(await list(DEMO_SCHOOL_ID, caseId), DEMO_STAFF.dt.aadObjectId)!.status).toBe('pending');

    // The next pass of the outbox sends it; nothing is sent twice.
    await h.parts.outbox.runOnce();
    expect(h.sender.sent.map((s) => s.ref.conversationId).sort()).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);
    const notified = (await cases.auditTrail(DEMO_SCHOOL_ID, caseId)).filter((e) => e.action === 'notified');
    expect(notified).toHaveLength(3);
    expect(await stillPending(caseId)).toEqual([]);
  });

  it('cards for people who have not installed the app wait for them, and go when they do', async () => {
    const fresh = await createHarness({ store: await createTestStore() });
    await fresh.install('dsl');
    const caseId = await raiseSuspensionRisk(fresh);
    expect(fresh.sender.sent.map((s) => s.ref.conversationId)).toEqual(['conv-dsl']);
    const waiting = (await fresh.parts.cases.notifications(DEMO_SCHOOL_ID, caseId)).filter((n) => n.status === 'pending');
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(waiting.every((n) => n.delivery?.waitingForInstall === true && n.delivery.attempts === 0)).toBe(true);

    await fresh.install('dt');
    expect(await fresh.parts.outbox.releaseWaitingFor(PLAYGROUND_TENANT_ID, DEMO_STAFF.dt.aadObjectId)).toBe(1);
    expect(fresh.sender.sent.map((s) => s.ref.conversationId)).toEqual(['conv-dsl', 'conv-dt']);
  });

  it('when someone installs the app, only the cards waiting for them are read, however many wait for others', async () => {
    const fresh = await createHarness({ store: await createTestStore() });
    await fresh.install('dsl');
    const caseIds = [await raiseSuspensionRisk(fresh), await raiseSuspensionRisk(fresh)];
    const all = (await Promise.all(caseIds.map((id) => fresh.parts.cases.notifications(DEMO_SCHOOL_ID, id)))).flat();
    const waiting = all.filter((n) => n.status === 'pending' && n.delivery?.waitingForInstall);
    const forDt = waiting.filter((n) => n.channel === 'teams' && n.to.aadObjectId === DEMO_STAFF.dt.aadObjectId);
    expect(forDt).toHaveLength(2);
    expect(waiting.length).toBeGreaterThan(forDt.length);

    const read = jest.spyOn(fresh.parts.cases, 'getNotification');
    await fresh.install('dt');
    expect(await fresh.parts.outbox.releaseWaitingFor(PLAYGROUND_TENANT_ID, DEMO_STAFF.dt.aadObjectId)).toBe(2);
    // Before, every pending notification of the school was read to find the DT's two.
    expect(new Set(read.mock.calls.map(([, id]) => id))).toEqual(new Set(forDt.map((n) => n.id)));
    expect(fresh.sender.sent.filter((s) => s.ref.conversationId === 'conv-dt')).toHaveLength(2);
  });
});

describe("a Send's cards, sent from what it saved", () => {
  /** A harness whose work after each answer is held until the test runs it. */
  async function holding(clock: () => Date) {
    const store = await createTestStore();
    const h = await createHarness({ store, clock });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
    const held: Array<() => Promise<unknown>> = [];
    h.parts.background.run = (_name, work) => void held.push(work);
    const runHeld = async () => {
      for (const work of held.splice(0)) await work();
    };
    return { h, store, runHeld };
  }
  const sentTo = (h: Harness) => h.sender.sent.map((s) => s.ref.conversationId).sort();
  const notifiedOnce = async (h: Harness, caseId: string) => {
    const notified = (await h.parts.cases.auditTrail(DEMO_SCHOOL_ID, caseId)).filter((e) => e.action === 'notified');
    expect(notified).toHaveLength(3);
    expect(new Set(notified.map((e) => (e.detail as { to: string }).to)).size).toBe(3);
    expect((await h.parts.cases.verifyAuditChain(DEMO_SCHOOL_ID)).ok).toBe(true);
  };

  it('a pass on the same instance before they go leaves them: each card is sent once, by the work after the Send', async () => {
    const time = movingClock();
    const { h, runHeld } = await holding(time.clock);
    const caseId = await raiseSuspensionRisk(h);
    await h.parts.outbox.runOnce();
    expect(h.sender.sent).toHaveLength(0);
    await runHeld();
    expect(sentTo(h)).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);
    await h.parts.outbox.runOnce();
    expect(h.sender.sent).toHaveLength(3);
    await notifiedOnce(h, caseId);
  });

  it('another instance leaves them while they are leased; if the instance that saved them stops first, it sends them once the lease runs out', async () => {
    const time = movingClock();
    const { h, store } = await holding(time.clock);
    const other = await createHarness({ store, clock: time.clock });
    const caseId = await raiseSuspensionRisk(h);
    await other.parts.outbox.runOnce();
    expect(other.sender.sent).toHaveLength(0);
    // The first instance stops with its work after the Send undone.
    time.later(PAST_THE_LEASE);
    await other.parts.outbox.runOnce();
    expect(sentTo(other)).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);
    expect(h.sender.sent).toHaveLength(0);
    await notifiedOnce(other, caseId);
  });

  it('behind a burst (32 pieces of work waiting) a Send hands nothing over: a pass may send its cards, each once, and the queued work then finds them sent', async () => {
    const time = movingClock();
    const { h, runHeld } = await holding(time.clock);
    Object.defineProperty(h.parts.background, 'queued', { get: () => HAND_OVER_WHILE_QUEUED_BELOW });
    const caseId = await raiseSuspensionRisk(h);
    await h.parts.outbox.runOnce();
    expect(sentTo(h)).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);
    await runHeld();
    expect(h.sender.sent).toHaveLength(3);
    await notifiedOnce(h, caseId);
  });

  it('work that waited behind a burst until half the lease had gone reads and claims them first, and still sends each once', async () => {
    const time = movingClock();
    const { h, runHeld } = await holding(time.clock);
    const caseId = await raiseSuspensionRisk(h);
    time.later(DEFAULT_RETRY.leaseMs / 2 + 1000);
    const listed = h.parts.cases.notifications.bind(h.parts.cases);
    let listings = 0;
    h.parts.cases.notifications = async (school, id) => {
      listings++;
      return listed(school, id);
    };
    await runHeld();
    expect(listings).toBeGreaterThan(0);
    expect(sentTo(h)).toEqual(['conv-deputyDsl', 'conv-dsl', 'conv-dt']);
    await notifiedOnce(h, caseId);
  });
});

describe('an outbox pass that the work after each Send overtakes (behind a burst)', () => {
  it("passes over the cards settled here since it listed the queue without a storage call, and still sends a card left to it, once", async () => {
    const calls: string[] = [];
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: uniquePrefix(), onCall: (c) => calls.push(`${c.method} ${c.status}`) });
    await store.ensureTables();
    const time = movingClock();
    const h = await createHarness({ store, clock: time.clock });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
    const held: Array<() => Promise<unknown>> = [];
    h.parts.background.run = (_name, work) => void held.push(work);
    const caseIds = [await raiseSuspensionRisk(h), await raiseSuspensionRisk(h), await raiseSuspensionRisk(h)];
    // The last case's work after its Send never ran (its instance stopped): its cards are the pass's to send.
    held.pop();
    time.later(PAST_THE_LEASE);
    const listQueue = h.parts.cases.pendingNotificationQueue.bind(h.parts.cases);
    let afterListing = -1;
    // Between the pass's listing and its first case, the work after the first two Sends sends their cards.
    h.parts.cases.pendingNotificationQueue = async (school) => {
      const listed = await listQueue(school);
      for (const work of held.splice(0)) await work();
      afterListing = calls.length;
      return listed;
    };
    const totals = await h.parts.outbox.runOnce();

    expect(h.sender.sent).toHaveLength(9);
    expect(new Set(h.sender.sent.map((s) => JSON.stringify(s.activity).match(/SUS-[A-Z0-9]+/)?.[0])).size).toBe(3);
    // Only the third case's reads and writes: no read of the first two cases, no delete answered 404.
    const passCalls = calls.slice(afterListing);
    expect(passCalls.filter((c) => c.endsWith(' 404'))).toEqual([]);
    // The third case's six (its notifications, the case, the chats, the claim, the audit trail's
    // next number, the settle), and one listing each for the other two cases, whose card for
    // someone without the app still waits. Before, each of the six cards sent took two more.
    expect(passCalls.length).toBeLessThanOrEqual(8);
    // The third case's three cards; the others' cards waiting for the app are left, and the six already sent are not counted.
    expect(totals).toMatchObject({ delivered: 3, waiting: 1, skipped: 2 });
    for (const caseId of caseIds) {
      const notified = (await h.parts.cases.auditTrail(DEMO_SCHOOL_ID, caseId)).filter((e) => e.action === 'notified');
      expect(notified).toHaveLength(3);
    }
    // Still pending: each case's card for someone who has not installed the app, and nothing else.
    const pending = await h.parts.cases.pendingNotificationIds(DEMO_SCHOOL_ID);
    expect(pending).toHaveLength(3);
    for (const id of pending) expect((await h.parts.cases.getNotification(DEMO_SCHOOL_ID, id))?.delivery?.waitingForInstall).toBe(true);
  });
});

describe('the outbox at shutdown', () => {
  it('a pass in progress stops after the case in hand, and what is left stays pending for the next instance', async () => {
    const time = movingClock();
    const h = await createHarness({ store: await createTestStore(), clock: time.clock });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
    // The staff cards are left to the outbox's pass (their Send's instance stopped before sending them), not sent after each Send.
    h.parts.background.run = () => undefined;
    for (let i = 0; i < 3; i++) await raiseSuspensionRisk(h);
    time.later(PAST_THE_LEASE);
    const waiting = await h.parts.cases.pendingNotificationIds(DEMO_SCHOOL_ID);
    expect(waiting.length).toBeGreaterThanOrEqual(9);

    const send = h.sender.send.bind(h.sender);
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let sends = 0;
    h.sender.send = async (ref, activity) => {
      if (++sends === 1) await first;
      return send(ref, activity);
    };
    h.parts.outbox.start(60_000);
    h.parts.outbox.kick();
    while (sends === 0) await new Promise((r) => setTimeout(r, 5));
    const stopped = h.parts.outbox.stop();
    release();
    await stopped;
    // The three cards of the case in hand (claimed together), and none of the other two cases'.
    expect(h.sender.sent).toHaveLength(3);
    expect(new Set(h.sender.sent.map((s) => JSON.stringify(s.activity).match(/SUS-[A-Z0-9]+/)?.[0])).size).toBe(1);
    expect((await h.parts.cases.pendingNotificationIds(DEMO_SCHOOL_ID)).length).toBe(waiting.length - 3);
  });
});

describe('an outbox pass while the server is busy', () => {
  let h: Harness;
  const stillPending = async (caseId: string) => {
    const pending = new Set(await h.parts.cases.pendingNotificationIds(DEMO_SCHOOL_ID));
    return (await h.parts.cases.notifications(DEMO_SCHOOL_ID, caseId)).filter((n) => pending.has(n.id) && !n.delivery?.waitingForInstall).map((n) => n.id);
  };

  /** A case whose three cards Teams refused at first: pending, due again at once. */
  const refusedCase = async () => {
    h = await createHarness({ store: await createTestStore(), retry: { baseMs: 0, maxMs: 0, maxAttempts: 5, leaseMs: 60_000, notInstalledRetryMs: 60_000 } });
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
    const send = h.sender.send.bind(h.sender);
    h.sender.send = async () => {
      throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    };
    const caseId = await raiseSuspensionRisk(h);
    await h.parts.background.settled();
    h.sender.send = send;
    expect(await stillPending(caseId)).toHaveLength(3);
    return caseId;
  };

  it('waits while eight or more requests are being answered, and delivers as soon as fewer are', async () => {
    const caseId = await refusedCase();
    for (let i = 0; i < 8; i++) h.parts.requests.enter();
    let done = false;
    const pass = h.parts.outbox.runOnce().then((totals) => ((done = true), totals));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    expect(h.sender.sent).toHaveLength(0);
    h.parts.requests.leave();
    expect(await pass).toMatchObject({ delivered: 3 });
    expect(await stillPending(caseId)).toEqual([]);
  });

  it('is not starved by a load that never drops: it goes on after a second a case', async () => {
    const caseId = await refusedCase();
    for (let i = 0; i < 50; i++) h.parts.requests.enter();
    expect(await h.parts.outbox.runOnce()).toMatchObject({ delivered: 3 });
    expect(await stillPending(caseId)).toEqual([]);
  });
});
