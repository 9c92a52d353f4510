import { odata, TableClient, TransactionAction } from '@azure/data-tables';
import fc from 'fast-check';
import { RunningAzurite, startInProcessAzurite } from '../scripts/azurite';
import { statusOf } from '../storage/tableStore';

/** The part of LokiJS (Azurite's store) this test watches: each query a collection runs, and each row a query's filter is run on. */
interface LokiModule {
  Resultset: {
    prototype: {
      find: (this: unknown, query: unknown, firstOnly?: boolean) => unknown;
      where: (this: unknown, fun: (row: unknown) => boolean) => unknown;
    };
  };
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

/**
 * The same patch, for range queries (`PartitionKey eq X and RowKey ge A and RowKey lt B`, how every
 * repository lists a case's rows): the emulator narrows them by the RowKey index and then runs the
 * query on those rows only. Stock Azurite ran the query on every row of the table, so each listing
 * got slower as the tables grew (a school's notifications, actions and audit trail: 16 ms at 28,000
 * rows, 28 ms at 28,700), and at twenty approvals at once the emulator, not the bot, was the queue.
 * Azure Table Storage seeks a range within a partition. The answers must not change, whatever the keys.
 */
describe('Azurite (as this project installs it) finds a RowKey range by its index', () => {
  let azurite: RunningAzurite;
  let table: TableClient;
  const loki = require('lokijs') as LokiModule;
  const where = loki.Resultset.prototype.where;
  const find = loki.Resultset.prototype.find;
  let filtered = 0;
  let narrowedBy: unknown[] = [];
  // Keys LokiJS orders differently from a string comparison (number-like, empty, signs, spaces),
  // keys that share the app's prefixes, and keys beyond the Basic Latin range.
  const KEYS = ['', '0', '7', '45', '123', ' 7', '-3', '1e3', '0x1f', 'Infinity', 'case', 'case|', 'case|0', 'case|12', 'case|123', 'case|2', 'case|2|x', 'case|é', 'case|~', 'case|\uffff', 'case~', 'open|2026-11-23|a', 'open|2026-11-23|b', 'open|2026-11-24|a', 'pep|1', 'z'];
  const rows = [...KEYS.map((rowKey) => ({ partitionKey: 'school', rowKey })), ...KEYS.map((rowKey) => ({ partitionKey: 'other', rowKey }))];

  beforeAll(async () => {
    azurite = await startInProcessAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, 'ranges', { allowInsecureConnection: true });
    await table.createTable();
    for (const partitionKey of ['school', 'other']) {
      await table.submitTransaction(KEYS.map((rowKey): TransactionAction => ['create', { partitionKey, rowKey }]));
    }
    // More than one page (1,000 rows) inside one range: the continuation must still follow the range.
    for (let i = 0; i < 1100; i += 100) {
      await table.submitTransaction(Array.from({ length: 100 }, (_, j): TransactionAction => ['create', { partitionKey: 'school', rowKey: `notif|c1|${String(i + j).padStart(4, '0')}` }]));
    }
    loki.Resultset.prototype.where = function (this: unknown, fun: (row: unknown) => boolean) {
      return where.call(this, (row: unknown) => {
        filtered++;
        return fun(row);
      });
    };
    loki.Resultset.prototype.find = function (this: unknown, query: unknown, firstOnly?: boolean) {
      if (query && typeof query === 'object' && 'RowKey' in query && !('PartitionKey' in query)) narrowedBy.push(query.RowKey);
      return find.call(this, query, firstOnly);
    };
  });
  afterAll(async () => {
    loki.Resultset.prototype.where = where;
    loki.Resultset.prototype.find = find;
    await azurite.stop();
  });

  /** "partition/row" of each row listed, in the order the emulator answered. */
  const keysOf = async (listed: ReturnType<TableClient['listEntities']>): Promise<string[]> => {
    const keys: string[] = [];
    for await (const e of listed) keys.push(`${e.partitionKey}/${e.rowKey}`);
    return keys;
  };
  const list = (query: { filter: string }) => keysOf(table.listEntities({ queryOptions: { ...query, select: ['PartitionKey', 'RowKey'] } }));
  /** What the query means, as Azure Table Storage answers it: the partition's rows in the range, in key order. */
  const expected = (partitionKey: string, lower: string, upper: string, upperIncluded = false): string[] =>
    rows
      .filter((r) => r.partitionKey === partitionKey && r.rowKey >= lower && (upperIncluded ? r.rowKey <= upper : r.rowKey < upper))
      .map((r) => r.rowKey)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => `${partitionKey}/${k}`);

  it('runs the query on the rows of the range only, as the repositories ask for them', async () => {
    filtered = 0;
    narrowedBy = [];
    const found = await list({ filter: odata`PartitionKey eq ${'school'} and RowKey ge ${'open|'} and RowKey lt ${'open|\uffff'}` });
    expect(found).toEqual(expected('school', 'open|', 'open|\uffff'));
    expect(found).toHaveLength(3);
    expect(narrowedBy).toEqual([{ $between: ['open|', 'open|\uffff'] }]);
    // The range's 3 rows, a few times over (the query, then the paging), not the table's 1,152.
    expect(filtered).toBeLessThan(20);
  });

  it('follows a range of more than one page to its end', async () => {
    const found = await list({ filter: odata`PartitionKey eq ${'school'} and RowKey ge ${'notif|c1|'} and RowKey lt ${'notif|c1|\uffff'}` });
    expect(found).toHaveLength(1100);
    expect(found[0]).toBe('school/notif|c1|0000');
    expect(found[1099]).toBe('school/notif|c1|1099');
  });

  it('answers every range as a string comparison would, number-like keys and all', async () => {
    const bound = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom('case|', 'case|1', 'open|2026-11-23|', 'open|\uffff', 'case|\uffff', '1', '8', '', ' '), fc.string({ maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('school', 'other', 'nobody'), bound, bound, fc.boolean(), async (partitionKey, lower, upper, upperIncluded) => {
        const query = upperIncluded
          ? { filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${lower} and RowKey le ${upper}` }
          : { filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${lower} and RowKey lt ${upper}` };
        const found = (await list(query)).filter((k) => !k.includes('/notif|'));
        expect(found).toEqual(expected(partitionKey, lower, upper, upperIncluded));
      }),
      { numRuns: 300 },
    );
  });

  it('answers ranges it cannot narrow (one bound, an "or", number-like bounds) as before', async () => {
    narrowedBy = [];
    expect(await list({ filter: odata`PartitionKey eq ${'school'} and RowKey ge ${'z'}` })).toEqual(['school/z']);
    expect(await list({ filter: odata`PartitionKey eq ${'school'} and (RowKey eq ${'7'} or RowKey eq ${'case|2'})` })).toEqual(['school/7', 'school/case|2']);
    expect(await list({ filter: odata`PartitionKey eq ${'other'} and RowKey ge ${'1'} and RowKey lt ${'8'}` })).toEqual(expected('other', '1', '8'));
    expect(narrowedBy).toEqual([]);
  });
});
