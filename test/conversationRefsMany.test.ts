import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { TABLES } from '../storage/tableStore';
import { createTestStore } from './support/store';

/** Several people's chat references in one read (issue 20): the same answers as one read each, never another tenant's. SYNTHETIC ids. */
describe('personal chat references, many at once', () => {
  const person = (i: number) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`;
  const ref = (tenantId: string, aadObjectId: string) => ({
    tenantId,
    scope: 'personal' as const,
    conversationId: `chat-${aadObjectId}`,
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    channelId: 'msteams',
    botId: '28:bot',
    aadObjectId,
    userId: `29:${aadObjectId}`,
    updatedAt: '2026-11-30T09:00:00Z',
  });

  it('finds those who installed the app, undefined for the rest, across more than one query, and never from another tenant', async () => {
    const store = await createTestStore();
    const repo = new ConversationRefRepository(store.client(TABLES.conversationRefs));
    const installed = [1, 3, 14, 15, 29].map(person);
    for (const id of installed) await repo.save(ref('tenant-a', id));
    // The same person in another tenant, and someone asked for who is only there.
    await repo.save(ref('tenant-b', person(2)));
    await repo.save(ref('tenant-b', person(3)));

    const asked = Array.from({ length: 30 }, (_, i) => person(i));
    const many = await repo.findPersonalMany('tenant-a', asked);
    expect([...many.keys()].sort()).toEqual([...asked].sort());
    for (const id of asked) {
      const one = await repo.findPersonal('tenant-a', id);
      expect(many.get(id)).toEqual(one);
    }
    expect(many.get(person(2))).toBeUndefined();
    expect(many.get(person(3))?.tenantId).toBe('tenant-a');
    expect([...many.values()].filter(Boolean)).toHaveLength(installed.length);
  });

  it('a quote in an id cannot widen the query', async () => {
    const store = await createTestStore();
    const repo = new ConversationRefRepository(store.client(TABLES.conversationRefs));
    await repo.save(ref('tenant-a', person(1)));
    const many = await repo.findPersonalMany('tenant-a', ["x' or PartitionKey ne 'z"]);
    expect([...many.values()].filter(Boolean)).toHaveLength(0);
  });
});
