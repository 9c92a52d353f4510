import { ChildProcess } from 'node:child_process';

/**
 * Stops a child process: `signal` first, and SIGKILL if it has not exited within `timeoutMs`.
 * Resolves only once it has exited, killed or not, so the launcher says "Stopped." with nothing
 * left holding a port.
 */
export function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
