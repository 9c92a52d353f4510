import { spawn } from 'node:child_process';
import { connectionStringFor, freePort, waitForPort } from '../../scripts/azurite';

export interface MemoryAzurite {
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * Azurite of its own, in memory, in a child process: storage on the second core and the bot on
 * this one, which roughly halves the run compared with the shared in-process Azurite.
 */
export async function startMemoryAzurite(): Promise<MemoryAzurite> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [require.resolve('azurite/dist/src/table/main.js'), '--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 15_000);
  return {
    connectionString: connectionStringFor('127.0.0.1', port),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
