import { TableClient, TableServiceClient } from '@azure/data-tables';

/** The tables this product keeps. Each repository owns one; tests give every run its own prefix. */
export const TABLES = {
  botState: 'botstate',
  schools: 'schools',
  pupils: 'pupils',
  conversationRefs: 'convrefs',
  cases: 'cases',
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

export interface TableStoreOptions {
  connectionString: string;
  /** Prepended to every table name (letters and digits only): lets tests share one Azurite. */
  tablePrefix?: string;
}

/**
 * One place that knows how to reach Azure Table Storage (or Azurite): repositories ask it for
 * their table client, so connection settings and retry policy are decided once.
 */
export class TableStore {
  private readonly clients = new Map<string, TableClient>();
  private readonly service: TableServiceClient;
  private readonly insecure: boolean;

  constructor(private readonly options: TableStoreOptions) {
    if (options.tablePrefix !== undefined && !/^[A-Za-z][A-Za-z0-9]{0,20}$/.test(options.tablePrefix)) {
      throw new Error(`table prefix must be letters and digits, starting with a letter: ${options.tablePrefix}`);
    }
    // Azurite listens on plain http on loopback; a production account is always https.
    this.insecure = /UseDevelopmentStorage=true|TableEndpoint=http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(options.connectionString);
    this.service = TableServiceClient.fromConnectionString(options.connectionString, {
      allowInsecureConnection: this.insecure,
      retryOptions: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
    });
  }

  tableName(name: TableName): string {
    return `${this.options.tablePrefix ?? ''}${name}`;
  }

  client(name: TableName): TableClient {
    const full = this.tableName(name);
    let client = this.clients.get(full);
    if (!client) {
      client = TableClient.fromConnectionString(this.options.connectionString, full, {
        allowInsecureConnection: this.insecure,
        retryOptions: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000 },
      });
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

/** Azure SDK errors carry the HTTP status in `statusCode` (their `code` was undefined on Azurite). */
export function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const code = (err as { statusCode: unknown }).statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}
