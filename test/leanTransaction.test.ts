import { createHttpHeaders, HttpClient, PipelineRequest } from '@azure/core-rest-pipeline';
import { TableClient, TransactionAction } from '@azure/data-tables';
import { transactionBody, useLeanTransactions } from '../storage/leanTransaction';
import { isStorageUnavailable, statusOf, TABLES } from '../storage/tableStore';
import { FakeCredential } from './support/fakeCredential';
import { createTestStore } from './support/store';
import { connectionStringFor } from '../scripts/azurite';

/** Azurite's published development account on its usual port: no account of anyone's. */
const EMULATOR = connectionStringFor('127.0.0.1', 10002);

/** Keeps every request instead of sending it, and answers as a storage account accepting the batch would. */
class RecordingHttpClient implements HttpClient {
  readonly requests: PipelineRequest[] = [];
  async sendRequest(request: PipelineRequest) {
    this.requests.push(request);
    return { request, status: 202, headers: createHttpHeaders({ 'content-type': 'multipart/mixed; boundary=batchresponse_x' }), bodyAsText: '--changesetresponse_x\r\nHTTP/1.1 204 No Content\r\n\r\n--changesetresponse_x--' };
  }
}

/** The body and headers the SDK itself sends for these operations (its own transaction code, not ours). */
async function sdkRequest(client: TableClient, http: RecordingHttpClient, actions: TransactionAction[]): Promise<PipelineRequest> {
  await client.submitTransaction(actions);
  return http.requests.at(-1)!;
}

function idsIn(body: string): { batchId: string; changesetId: string } {
  return { batchId: /^--batch_([0-9a-f-]{36})/.exec(body)![1]!, changesetId: /boundary=changeset_([0-9a-f-]{36})/.exec(body)![1]! };
}

const P = "school'o";
/** Keys as this product writes them, and every character that needs escaping in a key's URL. */
const AWKWARD_KEYS = ['case|20261123T090000Z-CC5URB', "o'brien", "''", 'a/b c', 'd#?&=+', '100%', 'café ✓ 😀', '(x),[y]*!~:;@$', 'outbox|x.s0', 'open|2026-11-23|c|attendance.child'];

const CASES: Array<[string, TransactionAction[]]> = [
  ['a case and its rows (this product\'s shapes)', [
    ['create', { partitionKey: P, rowKey: 'case|1', ref: 'ATT-GTVCN', caseType: 'attendance', status: 'open', json0: '{"a":"b \\" c","d":[1,2]}\n', jsonChunks: 1 }],
    ['create', { partitionKey: P, rowKey: 'pending|1.s0', dueAt: '2026-11-23T09:00:00.000Z', stage: 0, done: false, note: null, gone: undefined }],
    ['update', { partitionKey: P, rowKey: 'auditchain', seq: 12, hash: 'ab'.repeat(32) }, 'Replace', { etag: 'W/"datetime\'2026-12-03T05%3A56%3A24.2051927Z\'"' }],
    ['delete', { partitionKey: P, rowKey: 'pending|0.s1' }],
  ]],
  ['every kind and mode', [
    ['create', { partitionKey: P, rowKey: 'c', n: -3, f: 1.5, big: 2 ** 40, tiny: 1e-7, t: true, when: new Date('2026-01-02T03:04:05.678Z') }],
    ['update', { partitionKey: P, rowKey: 'u1', v: 1 }],
    ['update', { partitionKey: P, rowKey: 'u2', v: 1 }, 'Merge'],
    ['update', { partitionKey: P, rowKey: 'u3', v: 1 }, 'Replace'],
    ['update', { partitionKey: P, rowKey: 'u4', v: 1 }, 'Merge', { etag: 'W/"x"' }],
    ['upsert', { partitionKey: P, rowKey: 'p1', v: 1 }],
    ['upsert', { partitionKey: P, rowKey: 'p2', v: 1 }, 'Merge'],
    ['upsert', { partitionKey: P, rowKey: 'p3', v: 1 }, 'Replace'],
    ['delete', { partitionKey: P, rowKey: 'd' }],
  ]],
  ...AWKWARD_KEYS.map((k): [string, TransactionAction[]] => [
    `keys that need escaping: ${k}`,
    [
      ['create', { partitionKey: k, rowKey: k, text: `${k} "quoted" \\ \t\r\n` }],
      ['update', { partitionKey: k, rowKey: `${k}${k}`, v: 2 }, 'Replace', { etag: '*' }],
      ['upsert', { partitionKey: k, rowKey: `x${k}`, v: 3 }, 'Merge'],
      ['delete', { partitionKey: k, rowKey: `${k}x` }],
    ],
  ]),
  ['the SDK\'s own field names (an entity read back and written again)', [
    ['upsert', { partitionKey: P, rowKey: 'r', etag: 'W/"old"', timestamp: '2026-01-01T00:00:00Z', v: 'x' }, 'Replace'],
  ]],
];

describe('transactions written by this product are the ones the SDK writes', () => {
  it.each([
    ['Azurite (a connection string, plain http)', () => ({ client: (h: HttpClient) => TableClient.fromConnectionString(EMULATOR, 'cases', { httpClient: h, allowInsecureConnection: true }), url: 'http://127.0.0.1:10002/devstoreaccount1' })],
    ['Azure (the managed identity, https)', () => ({ client: (h: HttpClient) => new TableClient('https://swbotdemo.table.core.windows.net', 'tprefixcases', new FakeCredential(), { httpClient: h }), url: 'https://swbotdemo.table.core.windows.net' })],
  ])('on %s: the same body, byte for byte, for every kind of operation', async (_where, setup) => {
    const { client, url } = setup();
    for (const [what, actions] of CASES) {
      const sdkHttp = new RecordingHttpClient();
      const sdkClient = client(sdkHttp);
      const sdk = await sdkRequest(sdkClient, sdkHttp, actions);
      const sdkBody = String(sdk.body);
      const { batchId, changesetId } = idsIn(sdkBody);
      expect({ what, body: transactionBody(url, sdkClient.tableName, actions, batchId, changesetId) }).toEqual({ what, body: sdkBody });
    }
  });

  it('sends it with the same headers, through the client\'s own pipeline (its credential and retries)', async () => {
    const sdkHttp = new RecordingHttpClient();
    const sdk = await sdkRequest(TableClient.fromConnectionString(EMULATOR, 'cases', { httpClient: sdkHttp, allowInsecureConnection: true }), sdkHttp, CASES[0]![1]);
    const leanHttp = new RecordingHttpClient();
    const lean = TableClient.fromConnectionString(EMULATOR, 'cases', { httpClient: leanHttp, allowInsecureConnection: true });
    useLeanTransactions(lean, leanHttp, true);
    const result = await lean.submitTransaction(CASES[0]![1]);
    expect(result.status).toBe(202);
    const ours = leanHttp.requests.at(-1)!;
    expect([ours.method, ours.url]).toEqual([sdk.method, sdk.url]);
    // Each request has its own id, date and signature; every other header is the SDK's.
    const perRequest = new Set(['x-ms-client-request-id', 'x-ms-date', 'authorization', 'content-type']);
    const headers = (r: PipelineRequest) => Object.fromEntries([...r.headers].filter(([k]) => !perRequest.has(k.toLowerCase())));
    expect(headers(ours)).toEqual(headers(sdk));
    expect(ours.headers.get('authorization')).toMatch(/^SharedKeyLite devstoreaccount1:/);
    expect(ours.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batch_[0-9a-f-]{36}$/);
  });

  it('refuses rows of two partitions, as the SDK does', async () => {
    const table = (await createTestStore()).client(TABLES.cases);
    await expect(table.submitTransaction([['create', { partitionKey: 'a', rowKey: 'r' }], ['create', { partitionKey: 'b', rowKey: 'r' }]])).rejects.toThrow('All operations in a transaction must target the same partitionKey');
  });

  it('leaves to the SDK what it does not write itself (typed values such as Int64 or binary)', () => {
    expect(transactionBody('http://x/a', 'cases', [['create', { partitionKey: 'p', rowKey: 'r', big: BigInt(2) ** BigInt(62) }]], 'b', 'c')).toBeUndefined();
    expect(transactionBody('http://x/a', 'cases', [['create', { partitionKey: 'p', rowKey: 'r', bytes: new Uint8Array([1]) }]], 'b', 'c')).toBeUndefined();
    expect(transactionBody('http://x/a', 'cases', [['create', { partitionKey: 'p', rowKey: 'r', typed: { value: '1', type: 'Int64' } }]], 'b', 'c')).toBeUndefined();
  });
});

describe('transactions on Azurite, through the store\'s clients', () => {
  it('writes every row at once and answers with each row\'s ETag, in order', async () => {
    const table = (await createTestStore()).client(TABLES.cases);
    const actions: TransactionAction[] = [
      ['create', { partitionKey: P, rowKey: "case|o'brien 😀", n: 1, when: new Date('2026-01-02T03:04:05.678Z') }],
      ['create', { partitionKey: P, rowKey: 'b', n: 2 }],
      ['upsert', { partitionKey: P, rowKey: 'c', n: 3 }, 'Replace'],
    ];
    // Written here, not left to the SDK.
    expect(transactionBody(table.url, table.tableName, actions, 'b', 'c')).toContain("RowKey='c'");
    const result = await table.submitTransaction(actions);
    expect(result.subResponses.map((r) => r.status)).toEqual([204, 204, 204]);
    const first = await table.getEntity<{ n: number; when: Date }>(P, "case|o'brien 😀");
    expect(first.n).toBe(1);
    expect(new Date(first.when).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(result.subResponses.map((r) => r.etag)).toEqual([first.etag, (await table.getEntity(P, 'b')).etag, (await table.getEntity(P, 'c')).etag]);
  });

  it('writes nothing when one row fails, and the error says why as the SDK\'s does (409 exists, 412 changed)', async () => {
    const table = (await createTestStore()).client(TABLES.cases);
    await table.createEntity({ partitionKey: P, rowKey: 'taken', n: 0 });
    const exists = await table.submitTransaction([['create', { partitionKey: P, rowKey: 'new' }], ['create', { partitionKey: P, rowKey: 'taken' }]]).catch((e: unknown) => e);
    expect(statusOf(exists)).toBe(409);
    expect(exists).toMatchObject({ name: 'RestError', code: 'EntityAlreadyExists' });
    expect(isStorageUnavailable(exists)).toBe(false);
    await expect(table.getEntity(P, 'new')).rejects.toMatchObject({ statusCode: 404 });

    const changed = await table.submitTransaction([['create', { partitionKey: P, rowKey: 'new' }], ['update', { partitionKey: P, rowKey: 'taken', n: 1 }, 'Replace', { etag: 'W/"datetime\'2000-01-01T00%3A00%3A00Z\'"' }]]).catch((e: unknown) => e);
    expect(statusOf(changed)).toBe(412);
    await expect(table.getEntity(P, 'new')).rejects.toMatchObject({ statusCode: 404 });
    expect((await table.getEntity<{ n: number }>(P, 'taken')).n).toBe(0);
  });

  it('still writes, through the SDK, a row with a value it leaves to the SDK', async () => {
    const table = (await createTestStore()).client(TABLES.cases);
    await table.submitTransaction([['create', { partitionKey: P, rowKey: 'int64', big: { value: '4611686018427387904', type: 'Int64' } }]]);
    const row = await table.getEntity<{ big: { value: string } }>(P, 'int64', { disableTypeConversion: true });
    expect(row.big.value).toBe('4611686018427387904');
  });
});
