import { CONFIRMED_FOR_MS, ConversationRef, ConversationRefRepository } from '../storage/conversationRefRepository';
import { TABLES } from '../storage/tableStore';
import { countingTable, ReadCounter } from './support/countingTable';
import { createTestStore } from './support/store';

/**
 * A chat's reference is read once and then taken as stored for a while (issue 20: a teacher
 * starting one concern after another no longer reads it each time), without losing an install.
 * SYNTHETIC ids.
 */
describe('conversation references this instance has just seen', () => {
  const aadObjectId = '00000000-0000-0000-0000-000000000041';
  const ref = (serviceUrl = 'https://smba.trafficmanager.net/uk/'): ConversationRef => ({
    tenantId: 'tenant-a',
    scope: 'personal',
    conversationId: `chat-${aadObjectId}`,
    serviceUrl,
    channelId: 'msteams',
    botId: '28:bot',
    aadObjectId,
    userId: `29:${aadObjectId}`,
    updatedAt: '2026-12-01T09:00:00Z',
  });

  async function setUp() {
    const store = await createTestStore();
    const table = store.client(TABLES.conversationRefs);
    const reads: ReadCounter = { rows: 0, queries: 0 };
    let now = Date.parse('2026-12-01T09:00:00Z');
    const repo = new ConversationRefRepository(countingTable(table, reads), () => now);
    // Another instance of the app, on the same table.
    const other = new ConversationRefRepository(table);
    return { repo, other, reads, later: (ms: number) => (now += ms) };
  }

  it('reads a chat’s reference on its first turn, not on the turns after; a changed one is read and written again', async () => {
    const { repo, other, reads } = await setUp();
    expect(await repo.saveIfChanged(ref())).toBe('created');
    expect(await repo.saveIfChanged(ref())).toBe('unchanged');
    expect(await repo.saveIfChanged(ref())).toBe('unchanged');
    expect(reads.queries).toBe(1);

    // Teams moved the chat to another service URL: saved, so cards go the new way.
    expect(await repo.saveIfChanged(ref('https://smba.trafficmanager.net/emea/'))).toBe('changed');
    expect(reads.queries).toBe(2);
    expect((await other.findPersonal('tenant-a', aadObjectId))?.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');
  });

  it('an install reads again: the app removed and added back through another instance is saved, so cards reach them', async () => {
    const { repo, other } = await setUp();
    await repo.saveIfChanged(ref());
    // The uninstall removes it (this failed while the query's $select left out PartitionKey, which
    // the removal checks: the service returns only the fields selected).
    expect(await other.removeConversation('tenant-a', `chat-${aadObjectId}`)).toBe(1);
    expect(await other.findPersonal('tenant-a', aadObjectId)).toBeUndefined();

    expect(await repo.saveIfChanged(ref(), { reread: true })).toBe('created');
    expect(await other.findPersonal('tenant-a', aadObjectId)).toEqual(ref());
  });

  it('a removal through another instance is seen once the remembered reference runs out', async () => {
    const { repo, other, later } = await setUp();
    await repo.saveIfChanged(ref());
    await other.removeConversation('tenant-a', `chat-${aadObjectId}`);
    later(CONFIRMED_FOR_MS - 1000);
    expect(await repo.saveIfChanged(ref())).toBe('unchanged');
    later(2000);
    expect(await repo.saveIfChanged(ref())).toBe('created');
    expect(await other.findPersonal('tenant-a', aadObjectId)).toEqual(ref());
  });

  it('a removal through this instance is forgotten at once', async () => {
    const { repo, other } = await setUp();
    await repo.saveIfChanged(ref());
    await repo.removeConversation('tenant-a', `chat-${aadObjectId}`);
    expect(await repo.saveIfChanged(ref())).toBe('created');
    expect(await other.findPersonal('tenant-a', aadObjectId)).toEqual(ref());
  });
});
