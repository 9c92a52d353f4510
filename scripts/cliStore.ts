import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Config } from '../host/config';
import { SchoolProfile } from '../policy/schoolProfile';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { storageOptions } from '../host/credentials';
import { connectionStringFor, RunningAzurite, startAzuriteProcess, waitForPort } from './azurite';

/**
 * Storage for the command-line tools, with every table created: the configured account; or locally the Azurite that
 * `npm start` is running (it writes its port to the data folder); or, if none is running, an Azurite
 * of our own on the same data folder, stopped (and saved) when the tool finishes.
 */
export async function cliStore(config: Config): Promise<{ store: TableStore; close: () => Promise<void> }> {
  const opened = await openCliStore(config);
  // Every command works on a fresh store: the tables are created if the bot has never run.
  try {
    await opened.store.ensureTables();
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

async function openCliStore(config: Config): Promise<{ store: TableStore; close: () => Promise<void> }> {
  if (config.storage) return { store: new TableStore(storageOptions(config.storage, config.tablePrefix, 'operator')), close: async () => undefined };
  const portFile = path.join(config.dataDir, 'azurite.port');
  if (existsSync(portFile)) {
    const port = Number(readFileSync(portFile, 'utf8').trim());
    try {
      await waitForPort(port, 300);
      return { store: new TableStore({ connectionString: connectionStringFor('127.0.0.1', port), tablePrefix: config.tablePrefix }), close: async () => undefined };
    } catch {
      // npm start is not running: use the data folder directly
    }
  }
  const azurite: RunningAzurite = await startAzuriteProcess(path.join(config.dataDir, 'azurite'));
  return { store: new TableStore({ connectionString: azurite.connectionString, tablePrefix: config.tablePrefix }), close: () => azurite.stop() };
}

/**
 * A tool's work on one school: opens storage, finds the school, runs the work and closes storage.
 * A school that is not in the store is said in one line, and the tool exits with `missingExitCode`.
 */
export async function withSchool(config: Config, schoolId: string, missingExitCode: number, work: (store: TableStore, school: SchoolProfile) => Promise<void>): Promise<void> {
  const { store, close } = await cliStore(config);
  try {
    const school = await new SchoolRepository(store.client(TABLES.schools)).get(schoolId);
    if (!school) {
      process.stderr.write(`No school with the id "${schoolId}". Set it up first: npm run school -- init --id ${schoolId} --name "<school name>" (README, "Setting up your school").\n`);
      process.exitCode = missingExitCode;
      return;
    }
    await work(store, school);
  } finally {
    await close();
  }
}

/** `--name value` and `--flag` arguments. */
export function parseArgs(argv: readonly string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.set(a.slice(2), next);
      i++;
    } else out.set(a.slice(2), true);
  }
  return out;
}
