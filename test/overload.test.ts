import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { ConnectorStub } from './support/connectorStub';
import { approvalInvoke, attendanceUpToConfirm, confirmActivity } from './support/httpFlows';
import { DEMO_STAFF } from '../demo/demoSchool';

/**
 * Over capacity (issue 20): with the server's limit set to three messages at once, and three turns
 * held in flight by a slow connector, the next message is answered 503 with Retry-After at once
 * instead of joining a queue. A Send answered that way was not saved; when Teams retries it, it is
 * saved once, and a further retry is told it was already sent. Part of the capacity is kept for card
 * buttons: Teams retries a shed message unseen, but shows the user an error on a card whose invoke
 * failed. SYNTHETIC demo school.
 */
describe('a burst beyond capacity', () => {
  let app: TestApp;
  const connector = new ConnectorStub();

  beforeAll(async () => {
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, MAX_CONCURRENT_MESSAGES: '3' });
  });
  afterAll(async () => {
    await app?.stop();
    await connector.stop();
  });

  /** Message turns held in flight, each waiting 3 s on the connector for its reply; returned once the connector has them all in hand. */
  async function holdTurns(botUrl: string, prefix: string, turns = 3): Promise<Array<Promise<{ status: number; body: string }>>> {
    const ids = Array.from({ length: turns }, (_, i) => `${prefix}-${i + 1}`);
    for (const id of ids) connector.slowFor.set(id, 3_000);
    const held = ids.map((conversationId) => postActivity(botUrl, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'hello' })));
    for (let tries = 0; connector.received.filter((r) => ids.includes(r.conversationId)).length < turns && tries < 400; tries++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    return held;
  }

  it('is answered 503 with Retry-After, and a shed Send is saved once when retried', async () => {
    const draftId = await attendanceUpToConfirm(app.url, connector, 'conv-overload-send');
    const cases = new CaseRepository(app.store.client(TABLES.cases));

    const held = await holdTurns(app.url, 'conv-overload');

    const shed = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(confirmActivity(connector, 'conv-overload-send', draftId)) });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('2');
    expect(await cases.findByDraft(DEMO_SCHOOL_ID, draftId)).toBeUndefined();

    // The held turns finish normally: nothing in flight was dropped.
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200]);
    connector.slowFor.clear();

    // Teams retries the shed Send: saved once; a second retry is told it was already sent.
    expect((await postActivity(app.url, confirmActivity(connector, 'conv-overload-send', draftId))).status).toBe(200);
    const saved = await cases.findByDraft(DEMO_SCHOOL_ID, draftId);
    expect(saved).toBeDefined();
    expect((await postActivity(app.url, confirmActivity(connector, 'conv-overload-send', draftId))).status).toBe(200);
    expect(await cases.findByDraft(DEMO_SCHOOL_ID, draftId)).toEqual(saved);
    const said = JSON.stringify(connector.sent.filter((s) => s.conversationId === 'conv-overload-send').at(-1)?.body);
    expect(said).toContain('Already sent');
  });

  it("keeps room for a card button: with the rest in use, the next message and search are shed but the DSL's Approve is decided", async () => {
    // Four at once, one of them kept for invokes: three messages fill the messages' share.
    const reserved = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, MAX_CONCURRENT_MESSAGES: '4', INVOKE_RESERVE: '1' });
    try {
      const draftId = await attendanceUpToConfirm(reserved.url, connector, 'conv-reserve-send');
      expect((await postActivity(reserved.url, confirmActivity(connector, 'conv-reserve-send', draftId))).status).toBe(200);
      const cases = new CaseRepository(reserved.store.client(TABLES.cases));
      const { caseId } = (await cases.findByDraft(DEMO_SCHOOL_ID, draftId))!;

      // The three messages are held on the connector; the DSL's chat answers at once.
      const held = await holdTurns(reserved.url, 'conv-reserve');

      const message = await postActivity(reserved.url, teamsMessage({ serviceUrl: connector.url, conversationId: 'conv-reserve-4', text: 'hello' }));
      expect(message.status).toBe(503);
      // The type-ahead search shares the messages' room: it comes every few letters typed.
      const search = { ...teamsMessage({ serviceUrl: connector.url, conversationId: 'conv-reserve-5' }), type: 'invoke', name: 'application/search', value: { kind: 'search', queryText: 'Haz', dataset: 'pupils', queryOptions: { skip: 0, top: 15 } } };
      expect((await postActivity(reserved.url, search)).status).toBe(503);
      const approve = await postActivity(reserved.url, approvalInvoke(connector, DEMO_STAFF.dsl.aadObjectId, 'approveCase', { caseId }));
      expect(approve.status).toBe(200);
      expect(approve.body).toContain('Approved by');
      expect((await cases.get(DEMO_SCHOOL_ID, caseId))?.approval.decision?.outcome).toBe('approved');

      expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      connector.slowFor.clear();
      await reserved.stop();
    }
  });

  it('takes fewer at once after answers came late: four turns that took 3 s, then the fourth of the next four is shed', async () => {
    const adaptive = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, MAX_CONCURRENT_MESSAGES: '4', INVOKE_RESERVE: '0' });
    try {
      // At first all four are taken.
      const first = await holdTurns(adaptive.url, 'conv-late-a', 4);
      expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
      // Their answers took over the 2 s a turn should: a quarter fewer now, three at once.
      const second = await holdTurns(adaptive.url, 'conv-late-b');
      const fourth = await postActivity(adaptive.url, teamsMessage({ serviceUrl: connector.url, conversationId: 'conv-late-b-4', text: 'hello' }));
      expect(fourth.status).toBe(503);
      expect((await Promise.all(second)).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      connector.slowFor.clear();
      await adaptive.stop();
    }
  });

  it('a card button not answered in time is told "busy, try again" at once, and the approval it carried is recorded once', async () => {
    // A second server whose invokes must answer within 1 ms: none can (it takes storage round trips).
    const quick = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, INVOKE_BUSY_AFTER_MS: '1' });
    try {
      const draftId = await attendanceUpToConfirm(quick.url, connector, 'conv-busy-invoke');
      expect((await postActivity(quick.url, confirmActivity(connector, 'conv-busy-invoke', draftId))).status).toBe(200);
      const cases = new CaseRepository(quick.store.client(TABLES.cases));
      const { caseId } = (await cases.findByDraft(DEMO_SCHOOL_ID, draftId))!;

      const busy = await postActivity(quick.url, approvalInvoke(connector, DEMO_STAFF.dsl.aadObjectId, 'approveCase', { caseId }));
      expect(busy.status).toBe(200);
      expect(JSON.parse(busy.body)).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'The bot is busy. Please try again in a moment.' });

      // The turn went on: the approval is recorded, once; pressing again is told it was decided.
      let record = await cases.get(DEMO_SCHOOL_ID, caseId);
      for (let tries = 0; record?.approval.decision === undefined && tries < 400; tries++) {
        await new Promise((r) => setTimeout(r, 25));
        record = await cases.get(DEMO_SCHOOL_ID, caseId);
      }
      expect(record?.approval.decision?.outcome).toBe('approved');
      await postActivity(quick.url, approvalInvoke(connector, DEMO_STAFF.dsl.aadObjectId, 'approveCase', { caseId }));
      const decided = (await cases.auditTrail(DEMO_SCHOOL_ID, caseId)).filter((e) => e.action === 'approved');
      expect(decided).toHaveLength(1);
    } finally {
      await quick.stop();
    }
  });
});
