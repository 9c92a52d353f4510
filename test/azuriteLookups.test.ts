import { TableClient } from '@azure/data-tables';
import { RunningAzurite, startInProcessAzurite } from '../scripts/azurite';
import { statusOf } from '../storage/tableStore';

/** The part of LokiJS (Azurite's store) this test watches: each query a collection runs. */
interface LokiModule {
  Resultset: { prototype: { find: (this: unknown, query: unknown, firstOnly?: boolean) => unknown } };
}

/**
 * patches/azurite+3.35.0.patch: the emulator finds a row by its RowKey index, not by matching the
 * whole partition and comparing RowKey row by row (LokiJS indexes only a query's first property).
 * Without it, a one-school partition made every point read, insert and update slower as the school's
 * cases grew, and the benchmark measured that (approvals at 20 at once: p99 1,399 ms at 28,700 rows;
 * with it, 376 ms). The answers must not change: found, not found, already there, stale ETag.
 */
describe('Azurite (as this project installs it) finds a row by its keys', () => {
  let azurite: RunningAzurite;
  let table: TableClient;
  const firstKeys: string[][] = [];
  const loki = require('lokijs') as LokiModule;
  const find = loki.Resultset.prototype.find;

  beforeAll(async () => {
    azurite = await startInProcessAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, 'lookups', { allowInsecureConnection: true });
    await table.createTable();
    for (let i = 0; i < 300; i += 100) {
      await table.submitTransaction(Array.from({ length: 100 }, (_, j) => ['create', { partitionKey: 'school', rowKey: `case|${String(i + j).padStart(4, '0')}`, n: i + j }] as const).map((a) => [...a]) as Parameters<TableClient['submitTransaction']>[0]);
    }
    loki.Resultset.prototype.find = function (this: unknown, query: unknown, firstOnly?: boolean) {
      // The queries naming both keys: what a point read, insert, update or delete looks a row up by.
      if (query && typeof query === 'object' && 'PartitionKey' in query && 'RowKey' in query) firstKeys.push(Object.keys(query));
      return find.call(this, query, firstOnly);
    };
  });
  afterAll(async () => {
    loki.Resultset.prototype.find = find;
    await azurite.stop();
  });

  it('looks each row up by RowKey first, with the same answers as before', async () => {
    expect((await table.getEntity<{ n: number }>('school', 'case|0123')).n).toBe(123);
    expect(statusOf(await table.getEntity('school', 'case|9999').catch((e: unknown) => e))).toBe(404);
    expect(statusOf(await table.getEntity('another-school', 'case|0123').catch((e: unknown) => e))).toBe(404);
    expect(statusOf(await table.createEntity({ partitionKey: 'school', rowKey: 'case|0007' }).catch((e: unknown) => e))).toBe(409);
    await table.createEntity({ partitionKey: 'another-school', rowKey: 'case|0007', n: -7 });
    const read = await table.getEntity<{ n: number }>('school', 'case|0042');
    await table.updateEntity({ partitionKey: 'school', rowKey: 'case|0042', n: 4200 }, 'Merge', { etag: read.etag });
    expect(statusOf(await table.updateEntity({ partitionKey: 'school', rowKey: 'case|0042', n: 1 }, 'Merge', { etag: read.etag }).catch((e: unknown) => e))).toBe(412);
    await table.deleteEntity('school', 'case|0299');
    await table.submitTransaction([
      ['update', { partitionKey: 'school', rowKey: 'case|0001', n: 10 }, 'Replace'],
      ['create', { partitionKey: 'school', rowKey: 'case|0300', n: 300 }],
    ]);
    expect((await table.getEntity<{ n: number }>('school', 'case|0042')).n).toBe(4200);
    expect((await table.getEntity<{ n: number }>('another-school', 'case|0007')).n).toBe(-7);
    expect((await table.getEntity<{ n: number }>('school', 'case|0007')).n).toBe(7);
    expect((await table.getEntity<{ n: number }>('school', 'case|0001')).n).toBe(10);
    expect(statusOf(await table.getEntity('school', 'case|0299').catch((e: unknown) => e))).toBe(404);

    expect(firstKeys.length).toBeGreaterThanOrEqual(14);
    expect(firstKeys.filter((keys) => keys[0] !== 'RowKey')).toEqual([]);
  });
});
