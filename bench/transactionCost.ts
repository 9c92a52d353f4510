import { PerformanceObserver } from 'node:perf_hooks';
import { createHttpHeaders, HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { TableClient, TransactionAction } from '@azure/data-tables';
import { useLeanTransactions } from '../storage/leanTransaction';
import { ownCpu } from './processes';
import { connectionStringFor } from '../scripts/azurite';

/** Azurite's published development account on its usual port: no account of anyone's. The requests never leave this process. */
const EMULATOR = connectionStringFor('127.0.0.1', 10002);

/** Answers every request at once, as an account accepting the batch would, so only the building is measured. */
const ACCEPTING: HttpClient = {
  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    return { request, status: 202, headers: createHttpHeaders({ 'content-type': 'multipart/mixed; boundary=batchresponse_bench' }), bodyAsText: '' };
  },
};

/** A case's transaction as Send writes it: the case (6.6 KB of JSON), 22 rows it causes, and the audit chain's head. */
function caseTransaction(): TransactionAction[] {
  const pk = 'oakfield-demo';
  const row = JSON.stringify({ note: 'x'.repeat(560) });
  return [
    ['create', { partitionKey: pk, rowKey: 'case|20261123T090000Z-BENCH', ref: 'ATT-BENCH', caseType: 'attendance', status: 'open', raisedOn: '2026-11-23', json0: 'c'.repeat(6600), jsonChunks: 1 }],
    ...Array.from({ length: 22 }, (_, i): TransactionAction => ['create', { partitionKey: pk, rowKey: `outbox|20261123T090000Z-BENCH.s${i}`, caseId: 'c', status: 'pending', channel: 'teams', json0: row, jsonChunks: 1 }]),
    ['update', { partitionKey: pk, rowKey: 'auditchain', seq: 5, hash: 'ab'.repeat(32) }, 'Replace', { etag: 'W/"datetime\'2026-11-23T09%3A00%3A00Z\'"' }],
  ];
}

export interface TransactionCost {
  /** CPU ms to build and send one case's transaction (the storage's answer costs nothing here). */
  cpuMs: number;
  /** Garbage collections per 100 transactions: how much each one allocates. */
  gcsPer100: number;
}

async function measure(client: TableClient, count: number): Promise<TransactionCost> {
  for (let i = 0; i < Math.min(200, count); i++) await client.submitTransaction(caseTransaction());
  let gcs = 0;
  const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const before = ownCpu();
  for (let i = 0; i < count; i++) await client.submitTransaction(caseTransaction());
  const cpuMs = (ownCpu() - before) / count;
  // GC entries are delivered after the collection: give the last ones a turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return { cpuMs, gcsPer100: (gcs / count) * 100 };
}

/**
 * A case's transaction (24 rows) built and sent `count` times the SDK's way and this product's way
 * (`storage/leanTransaction.ts`), in this process, against an HTTP client that answers at once.
 */
export async function transactionCosts(count: number): Promise<{ sdk: TransactionCost; lean: TransactionCost }> {
  const client = () => TableClient.fromConnectionString(EMULATOR, 'cases', { httpClient: ACCEPTING, allowInsecureConnection: true });
  const lean = client();
  useLeanTransactions(lean, ACCEPTING, true);
  const sdk = await measure(client(), count);
  return { sdk, lean: await measure(lean, count) };
}
