import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { BotProcess, startBotProcess } from './support/botProcess';
import { ConnectorStub } from './support/connectorStub';
import { approvalInvoke, attendanceUpToConfirm, confirmActivity } from './support/httpFlows';
import { azuriteConnectionString, uniquePrefix } from './support/store';

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The bot is killed (SIGKILL) after a case is saved but while its notifications are still being
 * sent. A new instance picks them up from the outbox and delivers each exactly once.
 */
describe('crash between saving a case and sending its notifications', () => {
  const connector = new ConnectorStub();
  const prefix = uniquePrefix();
  const staff = [DEMO_STAFF.dsl, DEMO_STAFF.deputyDsl, DEMO_STAFF.dt, DEMO_STAFF.senco];
  let a: BotProcess | undefined;
  let b: BotProcess | undefined;

  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop()]);
    await connector.stop();
  });

  it('after a restart every pending notification is delivered once, and approved emails go once', async () => {
    await connector.start();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-crash-'));
    const env = {
      AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(),
      TABLE_PREFIX: prefix,
      ALLOWED_SERVICE_URLS: connector.url,
      DATA_DIR: dataDir,
      OUTBOX_LEASE_MS: '1000',
    };
    a = await startBotProcess({ ...env, OUTBOX_INTERVAL_MS: '3600000' });
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
    const cases = new CaseRepository(store.client(TABLES.cases));
    const refs = new ConversationRefRepository(store.client(TABLES.conversationRefs));
    for (const who of staff) {
      await refs.save({ tenantId: PLAYGROUND_TENANT_ID, scope: 'personal', conversationId: `chat-${who.aadObjectId}`, serviceUrl: connector.url, channelId: 'msteams', botId: '28:bot-id', aadObjectId: who.aadObjectId, userId: `29:${who.aadObjectId}`, updatedAt: new Date().toISOString() });
      connector.hangFor.add(`chat-${who.aadObjectId}`);
    }

    const draftId = await attendanceUpToConfirm(a.url, connector, 'teacher-chat');
    void postActivity(a.url, confirmActivity(connector, 'teacher-chat', draftId)).catch(() => undefined);
    await until('the first staff card to be on its way', () => connector.received.some((r) => r.conversationId.startsWith('chat-')));
    a.child.kill('SIGKILL');
    await a.exited;

    const { caseId } = (await cases.findByDraft('oakfield-demo', draftId))!;
    const before = await cases.notifications('oakfield-demo', caseId);
    const staffNotes = before.filter((n) => n.channel === 'teams');
    expect(staffNotes.length).toBeGreaterThanOrEqual(3);
    expect(staffNotes.every((n) => n.status === 'pending')).toBe(true);
    expect(connector.sent.filter((s) => s.conversationId.startsWith('chat-'))).toEqual([]);

    connector.hangFor.clear();
    b = await startBotProcess({ ...env, OUTBOX_INTERVAL_MS: '300' });
    await until('the outbox to empty', async () => (await cases.pendingNotificationIds('oakfield-demo')).length === 0);

    const after = await cases.notifications('oakfield-demo', caseId);
    expect(after.filter((n) => n.channel === 'teams').every((n) => n.status === 'delivered')).toBe(true);
    const trail = await cases.auditTrail('oakfield-demo', caseId);
    for (const n of staffNotes) {
      expect(trail.filter((e) => e.action === 'notified' && e.detail.notification === n.id)).toHaveLength(1);
      expect(connector.sent.filter((s) => s.conversationId === `chat-${n.channel === 'teams' ? n.to.aadObjectId : ''}`)).toHaveLength(1);
    }

    // The DSL approves on the new instance: the approved email is written once.
    const approve = await postActivity(b.url, approvalInvoke(connector, DEMO_STAFF.dsl.aadObjectId, 'approveCase', { caseId }));
    expect(approve.body).toContain('Approved by Megan Bowen');
    await until('the approved email to be sent', async () => (await cases.notifications('oakfield-demo', caseId)).filter((n) => n.channel === 'email').every((n) => n.status === 'delivered'));
    const emails = readdirSync(path.join(dataDir, 'emails')).filter((f) => f.endsWith('.eml'));
    expect(emails).toHaveLength(after.filter((n) => n.channel === 'email').length);
    expect((await cases.auditTrail('oakfield-demo', caseId)).filter((e) => e.action === 'delivered')).toHaveLength(emails.length);
    // A process killed mid-way leaves no gap or fork in the audit hash chain (each link is in its row's transaction).
    expect(await cases.verifyAuditChain('oakfield-demo')).toMatchObject({ ok: true });
  }, 60_000);
});
