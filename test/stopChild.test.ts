import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { stopChild } from '../scripts/stopChild';

/**
 * `npm start`'s Ctrl-C stops the Playground, then the bot, then Azurite, and says "Stopped." only
 * when they have. A child that does not stop when asked is killed, and counted stopped once it has
 * exited, so nothing is left holding its port behind the launcher.
 */
function listeningChild(ignoreAsk: boolean): Promise<{ child: ChildProcess; port: number }> {
  const script = `${ignoreAsk ? "process.on('SIGTERM', () => {});" : ''}
    const srv = require('node:net').createServer().listen(0, '127.0.0.1', () => process.stdout.write(srv.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, port: Number(chunk.toString().trim()) }));
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('stopping a child of the launcher', () => {
  it.each([
    ['asks it to stop and waits until it has', false, 20_000, 'SIGTERM'],
    ['kills one that does not stop when asked, and returns only once it has exited', true, 300, 'SIGKILL'],
  ] as const)('%s', async (_what, ignoreAsk, timeoutMs, endedBy) => {
    const { child, port } = await listeningChild(ignoreAsk);
    await stopChild(child, 'SIGTERM', timeoutMs);
    expect(child.signalCode).toBe(endedBy);
    expect(await refused(port)).toBe(true);
  }, 30_000);

  it('has nothing to do for a child already gone', async () => {
    const { child } = await listeningChild(false);
    await stopChild(child, 'SIGTERM', 20_000);
    await stopChild(child, 'SIGTERM', 20_000);
    await stopChild(undefined, 'SIGTERM', 20_000);
    expect(child.signalCode).toBe('SIGTERM');
  }, 30_000);
});
