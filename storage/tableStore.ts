import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, HttpClient } from '@azure/core-rest-pipeline';
import { RestError, TableClient, TableServiceClient, TableServiceClientOptions } from '@azure/data-tables';
import { useLeanTransactions } from './leanTransaction';

/** The tables this product keeps. Each repository owns one; tests give every run its own prefix. */
export const TABLES = {
  botState: 'botstate',
  schools: 'schools',
  pupils: 'pupils',
  conversationRefs: 'convrefs',
  cases: 'cases',
  staff: 'staff',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

export interface StorageRetry {
  /** Tries after the first, for dropped connections, timeouts and 5xx/408/429 answers. */
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** How long one try may wait for an answer before it counts as a dropped connection. */
  tryTimeoutMs: number;
}

/**
 * Without a per-try timeout, a request to a storage service that accepted the connection and then
 * went quiet waits forever, and the teacher who pressed Send waits with it. 6 s is above the 5 s a
 * table query page may legitimately run on the server, and far above a normal answer (milliseconds).
 */
export const DEFAULT_STORAGE_RETRY: StorageRetry = { maxRetries: 3, retryDelayMs: 200, maxRetryDelayMs: 2000, tryTimeoutMs: 6000 };

/**
 * A connection string (Azurite, or an account reached with its key), or an account's table
 * endpoint and a token credential (Azure, with the app's managed identity: no key anywhere).
 */
export type TableStoreOptions = ({ connectionString: string } | { endpoint: string; credential: TokenCredential }) & {
  /** Prepended to every table name (letters and digits only): lets tests share one Azurite. */
  tablePrefix?: string;
  /** Overrides of DEFAULT_STORAGE_RETRY (tests that break storage on purpose make these short). */
  retry?: Partial<StorageRetry>;
  /** Told how long each storage call took (telemetry's storage latency). */
  onCall?: (call: StorageCall) => void;
};

export interface StorageCall {
  method: string;
  /** The table (or "$batch" for a transaction): its name only, never a row's keys. */
  table: string;
  /** undefined when no answer came (dropped connection, timeout). */
  status: number | undefined;
  durationMs: number;
}

/**
 * One place that knows how to reach Azure Table Storage (or Azurite): repositories ask it for
 * their table client, so connection settings and retry policy are decided once.
 */
export class TableStore {
  private readonly clients = new Map<string, TableClient>();
  private readonly service: TableServiceClient;
  private readonly insecure: boolean;
  private readonly clientOptions: TableServiceClientOptions;
  /** One HTTP client (and pool of connections) for every table, which transactions are sent with too. */
  private readonly httpClient: HttpClient = createDefaultHttpClient();

  constructor(private readonly options: TableStoreOptions) {
    if (options.tablePrefix !== undefined && !/^[A-Za-z][A-Za-z0-9]{0,20}$/.test(options.tablePrefix)) {
      throw new Error(`table prefix must be letters and digits, starting with a letter: ${options.tablePrefix}`);
    }
    this.insecure = 'connectionString' in options && isLocalEmulator(options.connectionString);
    const retry = { ...DEFAULT_STORAGE_RETRY, ...options.retry };
    this.clientOptions = {
      allowInsecureConnection: this.insecure,
      httpClient: this.httpClient,
      retryOptions: { maxRetries: retry.maxRetries, retryDelayInMs: retry.retryDelayMs, maxRetryDelayInMs: retry.maxRetryDelayMs },
      additionalPolicies: [
        { policy: tryTimeoutPolicy(retry.tryTimeoutMs), position: 'perRetry' },
        ...(options.onCall ? [{ policy: timingPolicy(options.onCall), position: 'perRetry' as const }] : []),
      ],
    };
    this.service =
      'connectionString' in options
        ? TableServiceClient.fromConnectionString(options.connectionString, this.clientOptions)
        : new TableServiceClient(options.endpoint, options.credential, this.clientOptions);
  }

  tableName(name: TableName): string {
    return `${this.options.tablePrefix ?? ''}${name}`;
  }

  client(name: TableName): TableClient {
    const full = this.tableName(name);
    let client = this.clients.get(full);
    if (!client) {
      const o = this.options;
      client =
        'connectionString' in o
          ? TableClient.fromConnectionString(o.connectionString, full, this.clientOptions)
          : new TableClient(o.endpoint, full, o.credential, this.clientOptions);
      useLeanTransactions(client, this.httpClient, this.insecure);
      this.clients.set(full, client);
    }
    return client;
  }

  /** Creates every table that does not exist yet (idempotent; run once at start-up). */
  async ensureTables(): Promise<void> {
    await Promise.all(
      Object.values(TABLES).map(async (name) => {
        try {
          await this.service.createTable(this.tableName(name));
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
        }
      }),
    );
  }

  /** Used by the readiness probe: a cheap call that proves the account answers. */
  async ping(): Promise<void> {
    const iter = this.service.listTables().byPage({ maxPageSize: 1 });
    await iter.next();
  }
}

/**
 * Azurite listens on plain http on loopback; a production account is always https (and a token
 * credential is only ever sent over https), so only these may be reached without TLS.
 */
export function isLocalEmulator(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|TableEndpoint=http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(connectionString);
}

type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/**
 * Gives each try its own deadline. The SDK's HTTP client reports its own timeout as an abort, which
 * the retry policy never retries; reported as ETIMEDOUT instead, a try that got no answer is retried
 * like a dropped connection. A write retried this way may already have been applied: callers treat
 * 409 (exists) and 412 (changed) on a retry as they do for any other writer.
 */
function tryTimeoutPolicy(ms: number): PipelinePolicy {
  return {
    name: 'swTryTimeout',
    async sendRequest(request, next) {
      request.timeout = ms;
      try {
        return await next(request);
      } catch (err) {
        const callerAborted = request.abortSignal?.aborted === true;
        if (!callerAborted && err instanceof Error && err.name === 'AbortError') {
          throw new RestError(`storage did not answer within ${ms} ms`, { code: 'ETIMEDOUT', request });
        }
        throw err;
      }
    },
  };
}

/** The table a request goes to, from its URL's last segment cut before any keys ("cases(PartitionKey=…)" is "cases"). */
function tableOf(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  return decodeURIComponent(last).split('(')[0] ?? '';
}

/** Each try's method, table, answer and duration, for the storage metrics (no URL: it holds keys of rows). */
function timingPolicy(onCall: (call: StorageCall) => void): PipelinePolicy {
  return {
    name: 'swStorageTiming',
    async sendRequest(request, next) {
      const started = performance.now();
      try {
        const response = await next(request);
        onCall({ method: request.method, table: tableOf(request.url), status: response.status, durationMs: performance.now() - started });
        return response;
      } catch (err) {
        onCall({ method: request.method, table: tableOf(request.url), status: statusOf(err), durationMs: performance.now() - started });
        throw err;
      }
    },
  };
}

/**
 * Storage could not be reached or did not answer (after the SDK's own retries): a dropped
 * connection, a timeout, or a 5xx/408/429. Nothing about the request itself was wrong, so the same
 * request may succeed later; whether a write was applied is unknown until it is read back.
 */
export function isStorageUnavailable(err: unknown): boolean {
  // By name: the SDK's packages may each carry their own copy of the RestError class.
  if (!(err instanceof Error) || err.name !== 'RestError') return false;
  const status = statusOf(err);
  if (status === undefined) return true;
  return status === 408 || status === 429 || status >= 500;
}

/** Azure SDK errors carry the HTTP status in `statusCode` (their `code` was undefined on Azurite). */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const code = (err as { statusCode: unknown }).statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}
