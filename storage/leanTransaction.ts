import { randomUUID } from 'node:crypto';
import { createHttpHeaders, createPipelineRequest, HttpClient, PipelineResponse } from '@azure/core-rest-pipeline';
import { RestError, TableClient, TableTransactionResponse, TransactionAction } from '@azure/data-tables';

/**
 * Entity-group transactions written as @azure/data-tables 13.3 writes them, without its cost.
 *
 * The SDK builds a transaction by running each operation through a whole request pipeline of a new
 * TableClient, only to catch the request at the end and copy it into the batch body. For a case's
 * 24 rows that was about 1 MB allocated and 1 ms of CPU (`npm run bench` builds it both ways): a
 * sixth of all the dialog bot allocated in issue 20's heap profile, the largest single item.
 * Here the same body is written directly, byte for byte what the SDK sends
 * (`test/leanTransaction.test.ts` compares the two), and sent through the client's own pipeline:
 * its credential, retries, per-try timeout and storage timing apply as to every other call.
 *
 * Only entities of plain values (strings, numbers, booleans, null, dates) are written here; any
 * other value, or a client whose URL carries a SAS, goes through the SDK's own path.
 */

const CRLF = '\r\n';

/** The SDK's own renames of its entity fields (serialization.js `propertyCaseMap`). */
const WIRE_NAMES: Readonly<Record<string, string>> = { partitionKey: 'PartitionKey', rowKey: 'RowKey', etag: 'odata.etag', timestamp: 'Timestamp' };

/** The entity as the SDK serialises it, or undefined where a value needs the SDK's typed handling. */
function entityJson(entity: Readonly<Record<string, unknown>>): string | undefined {
  const wire: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entity)) {
    const key = WIRE_NAMES[name] ?? name;
    if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      wire[key] = value;
    } else if (value instanceof Date) {
      wire[key] = value;
      wire[`${key}@odata.type`] = 'Edm.DateTime';
    } else {
      return undefined;
    }
  }
  return JSON.stringify(wire);
}

function keyText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `table(PartitionKey='…',RowKey='…')` as the SDK's URL template makes it: quotes doubled, then percent-encoded. */
function rowPath(table: string, partitionKey: string, rowKey: string): string {
  const key = (k: string) => encodeURIComponent(k.replace(/'/g, "''"));
  return `${encodeURIComponent(table)}(PartitionKey='${key(partitionKey)}',RowKey='${key(rowKey)}')`;
}

interface SubRequest {
  method: string;
  path: string;
  headers: string[];
  body?: string;
}

function subRequestOf(table: string, action: TransactionAction): SubRequest | undefined {
  const [kind, entity] = action;
  const partitionKey = keyText(entity.partitionKey);
  const rowKey = keyText(entity.rowKey);
  if (partitionKey === undefined || rowKey === undefined) return undefined;
  if (kind === 'delete') {
    return { method: 'DELETE', path: rowPath(table, partitionKey, rowKey), headers: ['Accept: application/json;odata=minimalmetadata', 'DataServiceVersion: 3.0', 'If-Match: *'] };
  }
  const body = entityJson(entity);
  if (body === undefined) return undefined;
  if (kind === 'create') {
    return {
      method: 'POST',
      path: encodeURIComponent(table),
      headers: ['Content-Type: application/json;odata=nometadata', 'Accept: application/json;odata=minimalmetadata', 'DataServiceVersion: 3.0', 'Prefer: return-no-content'],
      body,
    };
  }
  const mode = action[2] ?? 'Merge';
  if (mode !== 'Merge' && mode !== 'Replace') return undefined;
  const headers = ['Content-Type: application/json', 'DataServiceVersion: 3.0', 'Accept: application/json'];
  // An update is conditional (on its ETag, or "*": the row must exist); an upsert is not.
  if (kind === 'update') headers.push(`If-Match: ${action[3]?.etag ?? '*'}`);
  return { method: mode === 'Merge' ? 'PATCH' : 'PUT', path: rowPath(table, partitionKey, rowKey), headers, body };
}

/**
 * The multipart body of a transaction on `table` of the account at `accountUrl`, as the SDK writes
 * it (its blank lines included), or undefined if any operation is not one written here.
 */
export function transactionBody(accountUrl: string, table: string, actions: readonly TransactionAction[], batchId: string, changesetId: string): string | undefined {
  const base = withSlash(accountUrl);
  const parts = [`--batch_${batchId}${CRLF}content-type: multipart/mixed; boundary=changeset_${changesetId}${CRLF}${CRLF}`];
  for (const action of actions) {
    const sub = subRequestOf(table, action);
    if (!sub) return undefined;
    const lines = [`--changeset_${changesetId}${CRLF}content-type: application/http${CRLF}content-transfer-encoding: binary`, '', `${sub.method} ${new URL(sub.path, base).toString()} HTTP/1.1`, ...sub.headers, CRLF];
    if (sub.body !== undefined) lines.push(sub.body);
    parts.push(lines.join(CRLF));
  }
  return `${parts.join(CRLF)}${CRLF}--changeset_${changesetId}--${CRLF}--batch_${batchId}--${CRLF}`;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The answer to a transaction, read as the SDK reads it (TableTransaction.js `parseTransactionResponse`). */
export function parseTransactionResponse(response: PipelineResponse): TableTransactionResponse {
  const raw = response.bodyAsText ?? '';
  if (response.status < 200 || response.status >= 300) throw transactionError(raw, response.status, response);
  const parts = raw.split('--changesetresponse_');
  const subResponses = parts.slice(1, parts.length - 1).map((part) => {
    const status = Number.parseInt(/HTTP\/1.1 ([0-9]*)/.exec(part)?.[1] ?? '', 10);
    if (!Number.isInteger(status)) throw new Error(`Couldn't extract status from sub-response:\n ${part}`);
    const body = /\{(.*)\}/.exec(part);
    if (body) throw transactionError(body[0], status, response);
    const etag = /ETag: (.*)/.exec(part)?.[1];
    const rowKey = /RowKey='(.*)'/.exec(part)?.[1];
    return { status, ...(rowKey !== undefined ? { rowKey } : {}), ...(etag !== undefined ? { etag } : {}) };
  });
  return { status: response.status, subResponses, getResponseForEntity: (rowKey: string) => subResponses.find((r) => r.rowKey === rowKey) };
}

function transactionError(text: string, statusCode: number, response: PipelineResponse): RestError {
  let message = 'Transaction Failed';
  let code: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const error = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['odata.error'] : undefined;
    if (typeof error === 'object' && error !== null) {
      const e = error as { code?: unknown; message?: { value?: unknown } };
      if (typeof e.message?.value === 'string') message = e.message.value;
      if (typeof e.code === 'string') code = e.code;
    }
  } catch {
    // Not JSON: the generic message, as the SDK gives.
  }
  return new RestError(message, { ...(code !== undefined ? { code } : {}), statusCode, request: response.request, response });
}

/**
 * Gives `client` a `submitTransaction` that writes the batch itself and sends it with `httpClient`
 * (the one its pipeline was built with), falling back to the SDK's for anything not written here.
 * `allowInsecureConnection` as the client was given it (plain http to Azurite on loopback only).
 */
export function useLeanTransactions(client: TableClient, httpClient: HttpClient, allowInsecureConnection: boolean): void {
  const sdk = client.submitTransaction.bind(client);
  client.submitTransaction = async (actions, options) => {
    const batchId = randomUUID();
    const changesetId = randomUUID();
    const partitionKey = actions[0]?.[1].partitionKey;
    if (actions.some(([, entity]) => entity.partitionKey !== partitionKey)) throw new Error('All operations in a transaction must target the same partitionKey');
    const body = client.url.includes('?') || actions.length === 0 ? undefined : transactionBody(client.url, client.tableName, actions, batchId, changesetId);
    if (body === undefined) return sdk(actions, options);
    const request = createPipelineRequest({
      url: `${withSlash(client.url)}$batch`,
      method: 'POST',
      body,
      headers: createHttpHeaders({
        accept: 'application/json',
        'x-ms-version': '2019-02-02',
        DataServiceVersion: '3.0;',
        MaxDataServiceVersion: '3.0;NetFx',
        'Content-Type': `multipart/mixed; boundary=batch_${batchId}`,
        'Accept-Charset': 'UTF-8',
        Connection: 'Keep-Alive',
      }),
      allowInsecureConnection,
      ...(options?.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    return parseTransactionResponse(await client.pipeline.sendRequest(httpClient, request));
  };
}
