import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { ConnectorStub } from './support/connectorStub';

describe('install and uninstall', () => {
  let connector: ConnectorStub;
  let app: TestApp;
  let refs: ConversationRefRepository;
  beforeAll(async () => {
    connector = new ConnectorStub();
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url });
    refs = new ConversationRefRepository(app.store.client(TABLES.conversationRefs));
  });
  afterAll(async () => {
    await app.stop();
    await connector.stop();
  });

  const installation = (action: 'add' | 'remove', who: { aadObjectId: string }, conversationId: string) => ({
    ...teamsMessage({ serviceUrl: connector.url, conversationId, aadObjectId: who.aadObjectId }),
    type: 'installationUpdate',
    action,
  });

  it('captures where to reach someone on install, and forgets only that conversation on uninstall', async () => {
    expect((await postActivity(app.url, installation('add', DEMO_STAFF.dsl, 'dsl-chat'))).status).toBe(200);
    expect((await postActivity(app.url, installation('add', DEMO_STAFF.dt, 'dt-chat'))).status).toBe(200);
    expect((await refs.findPersonal(PLAYGROUND_TENANT_ID, DEMO_STAFF.dsl.aadObjectId))?.conversationId).toBe('dsl-chat');
    expect((await refs.findPersonal(PLAYGROUND_TENANT_ID, DEMO_STAFF.dt.aadObjectId))?.serviceUrl).toBe(connector.url);

    expect((await postActivity(app.url, installation('remove', DEMO_STAFF.dsl, 'dsl-chat'))).status).toBe(200);
    expect(await refs.findPersonal(PLAYGROUND_TENANT_ID, DEMO_STAFF.dsl.aadObjectId)).toBeUndefined();
    expect((await refs.findPersonal(PLAYGROUND_TENANT_ID, DEMO_STAFF.dt.aadObjectId))?.conversationId).toBe('dt-chat');
  });
});
