import { startInProcessAzurite } from '../../scripts/azurite';

/**
 * One in-memory Azurite for the whole run, in jest's parent process. Every test makes its own
 * tables (a unique prefix), so tests never see each other's rows. Tests that need to restart or
 * break storage start their own.
 */
export default async function globalSetup(): Promise<void> {
  const azurite = await startInProcessAzurite();
  process.env.TEST_AZURITE_CONNECTION_STRING = azurite.connectionString;
  (globalThis as { __azurite?: { stop(): Promise<void> } }).__azurite = azurite;
}
