import { odata, TableClient } from '@azure/data-tables';
import { performance } from 'node:perf_hooks';
import { median } from './stats';

/** What one storage call costs on its own, and how many rows the table holds: the floor under every turn. */
export interface StorageFloor {
  rows: number;
  pointReadMs: number;
  rangeQueryMs: number;
}

/**
 * Measured from the benchmark's process with nothing else running, so that a turn's latency can be
 * read against it. Stock Azurite answered both by scanning (a point read the partition, a range
 * query the whole table), so they grew with its rows; as patched here (patches/azurite+3.35.0.patch)
 * both use the RowKey index, as Azure Table Storage seeks them, and should stay flat as rows grow.
 */
export async function storageFloor(table: TableClient, schoolId: string): Promise<StorageFloor> {
  let rows = 0;
  let someRowKey: string | undefined;
  for await (const row of table.listEntities({ queryOptions: { select: ['RowKey'] } })) {
    rows++;
    someRowKey ??= String(row.rowKey);
  }
  const point: number[] = [];
  const range: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    if (someRowKey) await table.getEntity(schoolId, someRowKey).catch(() => undefined);
    point.push(performance.now() - t0);
    const t1 = performance.now();
    const listed = table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${'pending|'} and RowKey lt ${'pending|\uffff'}` } });
    for await (const _ of listed) void _;
    range.push(performance.now() - t1);
  }
  return { rows, pointReadMs: median(point), rangeQueryMs: median(range) };
}
