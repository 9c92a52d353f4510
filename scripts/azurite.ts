import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Azurite, the official Azure Storage emulator, is the local and test stand-in for Azure Table
 * Storage. The account name and key below are Azurite's published development credentials, not a
 * secret.
 */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function connectionStringFor(host: string, port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://${host}:${port}/${DEV_ACCOUNT};`;
}

export interface RunningAzurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

/** In-process, in-memory Azurite for tests: about 5 ms to start once the module is loaded. */
export async function startInProcessAzurite(port = 0): Promise<RunningAzurite> {
  // Loaded here, not at the top: the production bundle has no Azurite (a development dependency),
  // and the command-line tools that import this file use it only when no storage is configured.
  const { default: TableConfiguration } = require('azurite/dist/src/table/TableConfiguration') as typeof import('azurite/dist/src/table/TableConfiguration');
  const { default: TableServer } = require('azurite/dist/src/table/TableServer') as typeof import('azurite/dist/src/table/TableServer');
  const config = new TableConfiguration('127.0.0.1', port, undefined, undefined, false, false, undefined, undefined, false, true, '', '', '', undefined, false, true);
  const server = new TableServer(config);
  await server.start();
  const actualPort = Number(new URL(server.getHttpServerAddress()).port);
  return {
    connectionString: connectionStringFor('127.0.0.1', actualPort),
    port: actualPort,
    stop: () => server.close(),
  };
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const address = srv.address();
        const chosen = typeof address === 'object' && address ? address.port : port;
        srv.close(() => resolve(chosen));
      });
    });
  if (preferred !== undefined) {
    try {
      return await tryPort(preferred);
    } catch {
      // taken: fall through to any free port
    }
  }
  return tryPort(0);
}

export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Azurite as a child process writing to disk under `location`. It saves its database only on
 * SIGINT (SIGTERM exits without saving), so `stop` sends SIGINT and waits.
 */
/**
 * @param nodeArgs flags for Azurite's own Node process (the benchmark's --cpu-prof profiles it too).
 * @param options.inMemory keep nothing on disk (`location` unused): no save every few seconds.
 * @param options.https serve https with this certificate and key (PEM files) and, as Azure does,
 *   check bearer tokens (Azurite's basic OAuth: issuer, audience and lifetime, not the signature).
 */
export async function startAzuriteProcess(
  location: string,
  preferredPort = 10002,
  nodeArgs: readonly string[] = [],
  options: { inMemory?: boolean; https?: { cert: string; key: string } } = {},
): Promise<RunningAzurite & { child: ChildProcess }> {
  if (!options.inMemory) mkdirSync(location, { recursive: true });
  const port = await freePort(preferredPort);
  const bin = require.resolve('azurite/dist/src/table/main.js');
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      bin,
      ...['--tableHost', '127.0.0.1', '--tablePort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
      // Azurite refuses --location together with --inMemoryPersistence.
      ...(options.inMemory ? ['--inMemoryPersistence'] : ['--location', path.resolve(location)]),
      ...(options.https ? ['--cert', options.https.cert, '--key', options.https.key, '--oauth', 'basic'] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  // Its error output is only there to be piped; left unread after exit, the pipe would keep the caller alive.
  const exited = new Promise<void>((resolve) => child.once('exit', () => (child.stderr?.destroy(), resolve())));
  await Promise.race([
    waitForPort(port, 15_000),
    exited.then(() => {
      throw new Error('Azurite exited during start-up');
    }),
  ]);
  return {
    child,
    port,
    connectionString: options.https
      ? `DefaultEndpointsProtocol=https;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=https://127.0.0.1:${port}/${DEV_ACCOUNT};`
      : connectionStringFor('127.0.0.1', port),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}
