import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../scripts/azurite';

export const BOT_ENTRY = path.join(__dirname, '..', '..', 'dist', 'host', 'main.js');

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** stdout and stderr as they arrived, interleaved. */
  output(): string;
  /** Every byte written to stdout so far (decoded once, so a character split across chunks is intact). */
  stdout(): string;
  /** Every byte written to stderr so far. */
  stderr(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The built bot (`npm run build`) as a real child process, as production runs it. */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  let output = '';
  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', BOT_ENTRY], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => {
    stdoutChunks.push(c);
    output += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderrChunks.push(c);
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // 2 to 4 s here, alone or beside the rest of the suite; the room is for a machine loaded further still.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited during start-up: ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`bot did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stdout: () => Buffer.concat(stdoutChunks).toString('utf8'),
    stderr: () => Buffer.concat(stderrChunks).toString('utf8'),
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGINT') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
