import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { BotProcess, startBotProcess } from './support/botProcess';
import { ConnectorStub } from './support/connectorStub';
import { approvalInvoke, attendanceUpToConfirm, confirmActivity } from './support/httpFlows';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/** Two bot processes on one Azurite; the DSL presses Approve on one while the deputy presses Decline on the other. */
describe('two approvers at once, on two bot instances', () => {
  const connector = new ConnectorStub();
  const prefix = uniquePrefix();
  let a: BotProcess;
  let b: BotProcess;
  let cases: CaseRepository;

  beforeAll(async () => {
    await connector.start();
    const env = { AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: prefix, ALLOWED_SERVICE_URLS: connector.url, DATA_DIR: `/tmp/${prefix}` };
    [a, b] = await Promise.all([startBotProcess(env), startBotProcess(env)]);
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
    cases = new CaseRepository(store.client(TABLES.cases));
    const refs = new ConversationRefRepository(store.client(TABLES.conversationRefs));
    for (const who of [DEMO_STAFF.dsl, DEMO_STAFF.deputyDsl]) {
      await refs.save({ tenantId: PLAYGROUND_TENANT_ID, scope: 'personal', conversationId: `chat-${who.aadObjectId}`, serviceUrl: connector.url, channelId: 'msteams', botId: '28:bot-id', aadObjectId: who.aadObjectId, userId: `29:${who.aadObjectId}`, updatedAt: new Date().toISOString() });
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await connector.stop();
  });

  it('exactly one decision every time; the other approver is told who decided', async () => {
    for (let round = 0; round < 5; round++) {
      const conversation = `teacher-${round}`;
      const draftId = await attendanceUpToConfirm(a.url, connector, conversation);
      expect((await postActivity(a.url, confirmActivity(connector, conversation, draftId))).status).toBe(200);
      const { caseId } = (await cases.findByDraft('oakfield-demo', draftId))!;

      const [approve, decline] = await Promise.all([
        postActivity(a.url, approvalInvoke(connector, DEMO_STAFF.dsl.aadObjectId, 'approveCase', { caseId })),
        postActivity(b.url, approvalInvoke(connector, DEMO_STAFF.deputyDsl.aadObjectId, 'declineCase', { caseId, declineReason: 'Spoke to the social worker by phone already.' })),
      ]);
      expect([approve.status, decline.status]).toEqual([200, 200]);

      const record = (await cases.get('oakfield-demo', caseId))!;
      const decided = record.approval.decision!;
      const trail = await cases.auditTrail('oakfield-demo', caseId);
      expect(trail.filter((e) => ['approved', 'amended', 'declined'].includes(e.action))).toHaveLength(1);
      const [winner, loser] = decided.outcome === 'approved' ? [approve.body, decline.body] : [decline.body, approve.body];
      expect(winner).toContain(decided.outcome === 'approved' ? 'Approved by Megan Bowen' : 'Declined by Isaiah Langer');
      expect(loser).toContain(decided.outcome === 'approved' ? 'Already approved by Megan Bowen' : 'Already declined by Isaiah Langer');
      const external = (await cases.notifications('oakfield-demo', caseId)).filter((n) => n.channel === 'email');
      expect(external.every((n) => (decided.outcome === 'approved' ? ['pending', 'delivered'] : ['notSent']).includes(n.status))).toBe(true);
    }
    // Two instances writing at once still leave one unbroken audit hash chain.
    const chain = await cases.verifyAuditChain('oakfield-demo');
    expect(chain.firstBroken).toBeUndefined();
    expect(chain.ok).toBe(true);
  }, 60_000);
});
