import { randomBytes } from 'node:crypto';
import { TableStore } from '../../storage/tableStore';

export function azuriteConnectionString(): string {
  const cs = process.env.TEST_AZURITE_CONNECTION_STRING;
  if (!cs) throw new Error('TEST_AZURITE_CONNECTION_STRING is not set: run the tests through jest (globalSetup starts Azurite)');
  return cs;
}

export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A fresh set of tables on the shared test Azurite. */
export async function createTestStore(connectionString = azuriteConnectionString()): Promise<TableStore> {
  const store = new TableStore({ connectionString, tablePrefix: uniquePrefix() });
  await store.ensureTables();
  return store;
}
