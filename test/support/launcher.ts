import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/azurite';
import { takePlaygroundTurn } from './playgroundTurn';

const LAUNCHER = path.join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

export interface RunningProduct {
  playgroundUrl: string;
  botPort: number;
  dataDir: string;
  /** What a person sees on the console. */
  output(): string;
  /** The bot's JSON log (the launcher writes it to <data>/logs/bot.log, not the console). */
  botLog(): string;
  /** Ctrl-C, as a person would stop it; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the README's first command (the built launcher) on a fresh data folder. */
export async function startProduct(env: Record<string, string> = {}, o: { dataDir?: string; keepData?: boolean } = {}): Promise<RunningProduct> {
  const dataDir = o.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'swbot-product-'));
  const release = await takePlaygroundTurn();
  const botPort = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [LAUNCHER], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(botPort), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const botLog = () => {
    try {
      return readFileSync(path.join(dataDir, 'logs', 'bot.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 60_000;
  let port: string | undefined;
  while (!(port = /Ready\. Open http:\/\/localhost:(\d+)/.exec(output)?.[1])) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      release();
      throw new Error(`the product did not start:\n${output}\nThe bot's log:\n${botLog()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    playgroundUrl: `http://127.0.0.1:${port}`,
    botPort,
    dataDir,
    output: () => output,
    botLog,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
      release();
      if (!o.keepData) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
