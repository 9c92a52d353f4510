import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { BotProcess, startBotProcess } from './support/botProcess';
import { ConnectorStub, describeSent } from './support/connectorStub';
import { azuriteConnectionString, uniquePrefix } from './support/store';

describe('two bot processes sharing one Azurite', () => {
  const connector = new ConnectorStub();
  const prefix = uniquePrefix();
  let a: BotProcess;
  let b: BotProcess;

  beforeAll(async () => {
    await connector.start();
    const env = {
      AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(),
      TABLE_PREFIX: prefix,
      ALLOWED_SERVICE_URLS: connector.url,
    };
    [a, b] = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await connector.stop();
  });

  it('serve alternate turns of one conversation without losing state', async () => {
    const turn = async (bot: BotProcess, text: string) => {
      const before = connector.sent.length;
      const res = await postActivity(bot.url, teamsMessage({ serviceUrl: connector.url, conversationId: 'shared-conv', text }));
      expect(res.status).toBe(200);
      await connector.waitFor(before + 1);
      return describeSent(connector.sent.slice(before));
    };
    // First contact on A: the welcome card, and A records that this conversation has been welcomed.
    expect(await turn(a, 'good morning')).toEqual(['card: Children with a social worker: Oakfield Primary (demo)']);
    // B serves the next turn: had it not seen A's state it would greet again.
    expect(await turn(b, 'what is this')).toEqual([
      'text: Sorry, I did not understand that. Type "attendance", "suspension" or "new starter" to begin, or "help".',
    ]);
    expect(await turn(a, 'help')).toEqual(['card: How this works']);
    expect(await turn(b, 'something else')).toEqual([
      'text: Sorry, I did not understand that. Type "attendance", "suspension" or "new starter" to begin, or "help".',
    ]);

    // The state is in Azure Tables, one row for the conversation.
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
    const rows = [];
    for await (const row of store.client(TABLES.botState).listEntities()) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(String(rows[0]!.partitionKey), 'base64url').toString()).toBe('msteams/conversations/shared-conv/');
  });

  it('finishes an in-flight turn on SIGTERM before exiting, and takes no new work', async () => {
    connector.delayMs = 1500;
    try {
      const before = connector.sent.length;
      const pending = postActivity(a.url, teamsMessage({ serviceUrl: connector.url, conversationId: 'slow-conv', text: 'help' }));
      await new Promise((r) => setTimeout(r, 300));
      a.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      await expect(fetch(`${a.url}/healthz`)).rejects.toThrow();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(describeSent(connector.sent.slice(before))).toEqual(['card: How this works']);
      expect(await a.exited).toBe(0);
    } finally {
      connector.delayMs = 0;
    }
  });
});
