import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { odata, TableServiceClient } from '@azure/data-tables';
import { startAzuriteProcess } from '../scripts/azurite';
import { cpuReader, threadCpuReader } from './processes';
import { isLocalEmulator } from '../storage/tableStore';

/**
 * Where `npm run bench` keeps its tables. By default its own Azurite; with
 * BENCH_TABLES_CONNECTION_STRING, a real Azure storage account, so that the budget can be measured
 * where Azure Table Storage is the store (Azurite, even as patched here, scans the whole table for
 * any query that names no RowKey range: see bench/partitionGrowth.ts). Everything the run writes is
 * synthetic, in tables whose names start with a fresh run id, and those tables, and only those, are
 * deleted at the end.
 */
export interface BenchStorage {
  connectionString: string;
  /** For the report: the emulator, or the account's name (never its key or signature). */
  description: string;
  /** Azurite, whose lookups grow with its rows: the report says so beside the figures that show it. */
  emulated: boolean;
  /** The table prefix for one set of tables (letters and digits, as TABLE_PREFIX takes). */
  prefix(name: string): string;
  /** The emulator's CPU time so far (ms), where it runs here: an account's work is done elsewhere. */
  cpuMs?: () => number;
  /** The same, summed over the emulator's threads to the nanosecond (for one turn at a time). */
  threadCpuMs?: () => number;
  /** The emulator's process, where it runs here (`--bot-own-core` keeps it off the bots' core). */
  pid?: number;
  /** Stops the emulator, or deletes the tables this run created in the account. */
  stop(): Promise<void>;
}

export const ACCOUNT_VARIABLE = 'BENCH_TABLES_CONNECTION_STRING';

export class BenchStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchStorageError';
  }
}

/** The part of a connection string that names the account, for the report. */
export function accountOf(connectionString: string): string {
  const field = (name: string) =>
    connectionString
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.toLowerCase().startsWith(`${name.toLowerCase()}=`))
      ?.slice(name.length + 1);
  const account = field('AccountName');
  if (account) return account;
  const endpoint = field('TableEndpoint');
  if (endpoint) {
    try {
      return new URL(endpoint).host;
    } catch {
      // Not a URL: reported as unnamed below rather than echoed.
    }
  }
  throw new BenchStorageError(`${ACCOUNT_VARIABLE} names no account: it needs AccountName=… (with AccountKey=…) or TableEndpoint=https://… (with SharedAccessSignature=…), as the storage account's "Access keys" page in the Azure portal gives it`);
}

/** Tables of one run in an account: a run id no existing table starts with, so no other table is ever touched. */
export async function accountRun(connectionString: string, runId = `b${randomBytes(4).toString('hex').slice(0, 6)}`): Promise<BenchStorage> {
  const account = accountOf(connectionString);
  if (!/^[a-z][a-z0-9]{5,9}$/.test(runId)) throw new BenchStorageError(`run id ${runId}: a letter then letters and digits, 6 to 10 in all`);
  let service: TableServiceClient;
  try {
    service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: isLocalEmulator(connectionString) });
  } catch (err) {
    // The SDK's message quotes the connection string it could not read: only its first words are kept.
    throw new BenchStorageError(`${ACCOUNT_VARIABLE} for ${account} could not be read as a connection string (${String(err instanceof Error ? err.message : err).split(/[:;]/)[0]})`);
  }
  // Only the tables that start with the run id's letter, in either case (Azure compares table names
  // without case), are listed: an account may hold thousands of others.
  const [lower, upper] = [runId[0]!, runId[0]!.toUpperCase()];
  const after = (c: string) => String.fromCharCode(c.charCodeAt(0) + 1);
  const ours = async () => {
    const names: string[] = [];
    for await (const t of service.listTables({ queryOptions: { filter: odata`(TableName ge ${lower} and TableName lt ${after(lower)}) or (TableName ge ${upper} and TableName lt ${after(upper)})` } })) if (t.name?.toLowerCase().startsWith(runId)) names.push(t.name);
    return names;
  };
  const already = await ours();
  if (already.length > 0) throw new BenchStorageError(`tables starting with ${runId} already exist in ${account} (${already.join(', ')}): run again for another run id`);
  return {
    connectionString,
    description: `Azure Table Storage account ${account} (tables ${runId}…, deleted at the end)`,
    emulated: false,
    prefix: (name) => `${runId}${name}`,
    stop: async () => {
      for (const name of await ours()) await service.deleteTable(name);
    },
  };
}

/**
 * The bench's storage: the account named by BENCH_TABLES_CONNECTION_STRING if it is set, otherwise
 * Azurite in this run's directory (in memory unless `onDisk`).
 */
export async function benchStorage(env: NodeJS.ProcessEnv, work: string, nodeArgs: readonly string[], onDisk: boolean): Promise<BenchStorage> {
  const account = env[ACCOUNT_VARIABLE]?.trim();
  if (account) return accountRun(account);
  const azurite = await startAzuriteProcess(path.join(work, 'azurite'), 0, nodeArgs, { inMemory: !onDisk });
  return {
    connectionString: azurite.connectionString,
    description: `Azurite ${onDisk ? 'on disk' : 'in memory'}`,
    emulated: true,
    prefix: (name) => name,
    ...(azurite.child.pid ? { pid: azurite.child.pid, cpuMs: cpuReader(azurite.child.pid), threadCpuMs: threadCpuReader(azurite.child.pid) } : {}),
    stop: () => azurite.stop(),
  };
}
