import { EntityTooLargeError } from '../storage/jsonEntity';
import { StateConflictError, TableStateStorage } from '../storage/tableStateStorage';
import { TABLES } from '../storage/tableStore';
import { createTestStore } from './support/store';

describe('TableStateStorage on Azurite', () => {
  let storage: TableStateStorage;

  beforeAll(async () => {
    const store = await createTestStore();
    storage = new TableStateStorage(store.client(TABLES.botState));
  });

  it('round-trips state under botbuilder keys that contain characters Azure Tables forbids in keys', async () => {
    const key = 'msteams/conversations/a:1#x?y\\z/';
    await storage.write({ [key]: { dialogState: { step: 2 }, note: 'café ✓' } });
    const items = await storage.read([key, 'msteams/conversations/missing/']);
    expect(Object.keys(items)).toEqual([key]);
    expect(items[key]).toMatchObject({ dialogState: { step: 2 }, note: 'café ✓' });
    expect(items[key]!.eTag).toEqual(expect.any(String));
  });

  it('rejects a write with a stale eTag and leaves the newer state in place', async () => {
    const key = 'msteams/conversations/stale/';
    await storage.write({ [key]: { answer: 'first' } });
    const [a, b] = [await storage.read([key]), await storage.read([key])];
    b[key]!.answer = 'second';
    await storage.write(b);
    a[key]!.answer = 'stale overwrite';
    await expect(storage.write(a)).rejects.toBeInstanceOf(StateConflictError);
    expect((await storage.read([key]))[key]!.answer).toBe('second');
  });

  it('two first writers of new state cannot both win', async () => {
    const key = 'msteams/conversations/new/';
    await storage.write({ [key]: { answer: 'one' } });
    await expect(storage.write({ [key]: { answer: 'two' } })).rejects.toBeInstanceOf(StateConflictError);
    expect((await storage.read([key]))[key]!.answer).toBe('one');
  });

  it('updates the eTag after a write so a second save in the same turn succeeds', async () => {
    const key = 'msteams/conversations/twice/';
    const item: { eTag?: string; n: number } = { n: 1 };
    await storage.write({ [key]: item });
    const first = item.eTag;
    item.n = 2;
    await storage.write({ [key]: item });
    expect(item.eTag).not.toBe(first);
    expect((await storage.read([key]))[key]!.n).toBe(2);
  });

  it('"*" writes unconditionally, as stock botbuilder expects', async () => {
    const key = 'msteams/conversations/star/';
    await storage.write({ [key]: { v: 1 } });
    await storage.write({ [key]: { v: 2, eTag: '*' } });
    expect((await storage.read([key]))[key]!.v).toBe(2);
  });

  it('stores state larger than one 64 KiB property by splitting it, and refuses state over the entity limit', async () => {
    const key = 'msteams/conversations/big/';
    const big = 'x'.repeat(200_000);
    await storage.write({ [key]: { big } });
    expect((await storage.read([key]))[key]!.big).toBe(big);
    await expect(storage.write({ [key]: { big: 'y'.repeat(600_000), eTag: '*' } })).rejects.toBeInstanceOf(EntityTooLargeError);
    expect((await storage.read([key]))[key]!.big).toBe(big);
  });

  it('deletes, and deleting what is not there is not an error', async () => {
    const key = 'msteams/conversations/gone/';
    await storage.write({ [key]: { v: 1 } });
    await storage.delete([key, 'msteams/conversations/never/']);
    expect(await storage.read([key])).toEqual({});
  });
});
