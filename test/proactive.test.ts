import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { appWithConnector } from './support/app';
import pino from 'pino';
import { createAdapter } from '../bot/adapter';
import { loadConfig } from '../host/config';
import { AdapterProactiveSender } from '../delivery/proactive';

/**
 * The real path a DSL's card takes: a teacher's turns over HTTP, the case saved, then a proactive
 * message through botbuilder's CloudAdapter to the DSL's own conversation at the connector.
 */
describe('staff notifications over the real adapter', () => {
  const suite = appWithConnector();
  const connector = suite.connector;

  it('a confirmed concern reaches the DSL who has the app, in their own chat', async () => {
    await new ConversationRefRepository(suite.app.store.client(TABLES.conversationRefs)).save({
      tenantId: PLAYGROUND_TENANT_ID,
      scope: 'personal',
      conversationId: 'dsl-personal-chat',
      serviceUrl: connector.url,
      channelId: 'msteams',
      botId: '28:bot-id',
      aadObjectId: DEMO_STAFF.dsl.aadObjectId,
      userId: 'dsl-user-id',
      updatedAt: new Date().toISOString(),
    });
    const say = async (input: string | Record<string, unknown>) => {
      const res = await postActivity(suite.app.url, teamsMessage({ serviceUrl: connector.url, conversationId: 'teacher-chat', ...(typeof input === 'string' ? { text: input } : { value: input }) }));
      expect(res.status).toBe(200);
    };
    await say('attendance');
    await say({ verb: 'answer', question: 'pupil', pupilName: 'Leo Hazelgrove' });
    await say({ verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' });
    const confirm = connector.sent.filter((s) => s.conversationId === 'teacher-chat').at(-1)!;
    const actions = (confirm.body.attachments as Array<{ content: { actions: Array<{ data: { verb: string; draftId?: string } }> } }>)[0]!.content.actions;
    const draftId = actions.find((a) => a.data.verb === 'answer')!.data.draftId;
    await say({ verb: 'answer', question: 'confirm', draftId });

    // The staff cards go straight after the teacher's receipt, not during it.
    const dslCards = () => connector.sent.filter((s) => s.conversationId === 'dsl-personal-chat');
    for (const deadline = Date.now() + 10_000; dslCards().length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    const toDsl = dslCards();
    expect(toDsl).toHaveLength(1);
    const card = JSON.stringify(toDsl[0]!.body);
    // A social worker is to be told, so the DSL gets the card with the approval buttons.
    expect(card).toContain('Decision needed: Attendance concern (ATT-');
    expect(card).toContain('"verb":"approveCase"');
    expect(card).toContain('Leo Hazelgrove (Year 6)');
    // The DSL sees the confidential status; the teacher's own chat never did.
    expect(card).toContain('Has a social worker: Child in Need plan');
    const teacherChat = JSON.stringify(connector.sent.filter((s) => s.conversationId === 'teacher-chat').map((s) => s.body));
    expect(teacherChat).not.toContain('Child in Need');
  });

  it('a card that cannot be delivered is reported to the sender (so the outbox retries it), and no apology is posted into that chat', async () => {
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ALLOWED_SERVICE_URLS: connector.url });
    const sender = new AdapterProactiveSender(createAdapter(config, pino({ level: 'silent' })), '', [connector.url]);
    connector.refuseFor.add('removed-chat');
    const ref = { tenantId: PLAYGROUND_TENANT_ID, scope: 'personal' as const, conversationId: 'removed-chat', serviceUrl: connector.url, channelId: 'msteams', botId: '28:bot-id', aadObjectId: DEMO_STAFF.dsl.aadObjectId, userId: 'dsl-user-id', updatedAt: new Date().toISOString() };
    await expect(sender.send(ref, { type: 'message', text: 'Decision needed' })).rejects.toMatchObject({ statusCode: 403 });
    await expect(sender.update(ref, 'earlier-card', { type: 'message', text: 'Approved' })).rejects.toBeDefined();
    const toThatChat = connector.received.filter((r) => r.conversationId === 'removed-chat');
    // The card itself, once; nothing saying "Sorry, something went wrong" after it.
    expect(toThatChat).toHaveLength(1);
    expect(JSON.stringify(toThatChat)).not.toContain('Sorry');
  });
});
