import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { Readable } from 'node:stream';
import { freePort } from '../scripts/azurite';
import { errorReported, openBotLogFile } from '../scripts/botLogFile';

const LAUNCHER = path.join(__dirname, '..', 'dist', 'scripts', 'start.js');

/**
 * The README's first command (`npm start` = build, then this launcher) from a fresh data folder:
 * Azurite, the bot and the Agents Playground come up; a message typed into the Playground gets the
 * welcome card; Ctrl-C (SIGINT) stops all three and Azurite saves its data. The console carries the
 * launcher's own lines, not the bot's JSON log, which goes to <data>/logs/bot.log.
 */
describe('local launcher (npm start)', () => {
  let launcher: ChildProcess | undefined;
  let dataDir: string;
  afterAll(async () => {
    // After a failed expectation: Ctrl-C first, so the launcher stops the processes it started (they
    // run detached, and would otherwise outlive it and keep this test run waiting on their output).
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher!.once('exit', resolve));
      launcher.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('brings up Azurite, the bot and the Playground; the Playground gets the welcome card; Ctrl-C stops all cleanly', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-launch-'));
    // As an earlier run might have left them: a folder and a key anyone on the machine could read.
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'digest.key'), 'an old key', { mode: 0o644 });
    const botPort = await freePort();
    let output = '';
    launcher = spawn(process.execPath, [LAUNCHER], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(botPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    launcher.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => launcher!.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 60_000;
    while (!/Ready\. Open http:\/\/localhost:(\d+)/.test(output)) {
      if (launcher.exitCode !== null || Date.now() > deadline) throw new Error(`launcher did not get ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const readyLines = output.split('\n').filter((l) => l.startsWith('Ready.'));
    expect(readyLines).toHaveLength(1);
    const botLog = path.join(dataDir, 'logs', 'bot.log');
    expect(output).toContain(`The bot's log: ${botLog}`);
    const playground = `http://127.0.0.1:${/Ready\. Open http:\/\/localhost:(\d+)/.exec(output)![1]}`;

    const config = (await (await fetch(`${playground}/_internal/v1/config`)).json()) as {
      config: { personalChat: { id: string }; currentUser: { id: string } };
    };
    const ws = new WebSocket(`${playground.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const posted = await fetch(`${playground}/_conversation/v1/conversations/${config.config.personalChat.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'text', text: 'hello', textFormat: 'plain', from: { id: config.config.currentUser.id } }),
    });
    expect(posted.status).toBe(200);
    const cardDeadline = Date.now() + 15_000;
    while (!frames.some((f) => f.includes('application/vnd.microsoft.card.adaptive'))) {
      if (Date.now() > cardDeadline) throw new Error(`no card arrived; frames: ${frames.join('\n')}\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    ws.close();
    const card = frames.find((f) => f.includes('application/vnd.microsoft.card.adaptive'))!;
    expect(card).toContain('Children with a social worker: Oakfield Primary (demo)');
    expect(card).toContain('Demo school: every child and member of staff here is made up');

    launcher.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
    // What a person sees: the launcher's own lines, no JSON log line, no HTTP warning.
    const outDir = path.join(__dirname, '..', 'test-output', 'localLauncher');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'console.txt'), output);
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
    expect(output).not.toMatch(/\b405\b|Method ?Not ?Allowed|"level"/i);
    expect(lines[0]).toBe('Starting Azurite (the Azure Tables emulator)...');
    expect(lines.at(-1)).toBe(`Stopped. The bot's log is ${botLog}.`);
    // ...and the bot's log has it all, the start and the stop, and no warning: not even for the
    // Playground's check that the bot is up (HEAD /api/messages, sent when its configuration was asked for).
    const logged = readFileSync(botLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; event?: string; status?: number });
    expect(logged.map((l) => l.event)).toEqual(expect.arrayContaining(['listening', 'stopping', 'stopped']));
    expect(logged.filter((l) => l.level >= 40)).toEqual([]);
    // Azurite saved its database on SIGINT.
    expect(existsSync(path.join(dataDir, 'azurite', '__azurite_db_table__.json'))).toBe(true);
    // The data folder is its owner's only (0700), and so is every file in it (0600), the old key too.
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    const files = listFiles(dataDir);
    expect(files.length).toBeGreaterThan(3);
    expect(files.filter((f) => mode(f) & 0o077).map((f) => `${path.relative(dataDir, f)} ${mode(f).toString(8)}`)).toEqual([]);
    expect(readFileSync(path.join(dataDir, 'digest.key'), 'utf8')).not.toBe('an old key');
    // Nothing was left listening.
    await expect(fetch(`http://127.0.0.1:${botPort}/healthz`)).rejects.toThrow();
    await expect(fetch(`${playground}/_internal/v1/config`)).rejects.toThrow();
  }, 90_000);
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

/**
 * The bot's log while `npm start` runs: the file it goes to, and what of it reaches the console.
 * The bot's output is fed in as the launcher feeds it (a stream of lines).
 */
describe("the bot's log file under npm start", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-botlog-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const line = (level: number, fields: Record<string, unknown>) => JSON.stringify({ level, time: '2026-11-30T09:00:00.000Z', service: 'sw-cohort-bot', ...fields });

  async function run(lines: string[], now: () => number = Date.now): Promise<{ told: string[]; errors: number; file: string }> {
    const told: string[] = [];
    const log = openBotLogFile(dataDir, (l) => told.push(l), now);
    log.follow(Readable.from(lines.map((l) => `${l}\n`)));
    await log.finish(5000);
    return { told, errors: log.errors, file: path.join(dataDir, 'logs', 'bot.log') };
  }

  it('writes every line to logs/bot.log (owner only) and tells the console of errors only, saying where the details are', async () => {
    const { told, errors, file } = await run([
      line(30, { event: 'listening', msg: 'bot listening' }),
      line(40, { event: 'httpError', status: 413, msg: 'request refused' }),
      line(50, { event: 'turnError', msg: 'a turn failed', err: { name: 'RestError', message: 'The table specified does not exist.' } }),
      'not JSON at all',
    ]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(told).toEqual([`The bot reported an error [turnError]: a turn failed (The table specified does not exist). Details in ${file}`]);
    expect(errors).toBe(1);
  });

  it('keeps the previous run\'s log beside the new one, and starts the new one empty', async () => {
    await run([line(30, { event: 'first run' })]);
    await run([line(30, { event: 'second run' })]);
    expect(readFileSync(path.join(dataDir, 'logs', 'bot.previous.log'), 'utf8')).toContain('first run');
    const current = readFileSync(path.join(dataDir, 'logs', 'bot.log'), 'utf8');
    expect(current).toContain('second run');
    expect(current).not.toContain('first run');
  });

  it('tells the same kind of error once a minute, however often it is logged, and counts them all', async () => {
    let clock = 0;
    const failing = line(50, { event: 'storageUnreachable', msg: 'storage is not reachable' });
    const { told, errors } = await run(
      [failing, failing, line(60, { event: 'fatal', msg: 'cannot go on' }), failing],
      () => (clock += 25_000),
    );
    // storageUnreachable at 25 s (told), 50 s (quiet), fatal at 75 s (told: another kind), storageUnreachable at 100 s (75 s on: told).
    expect(told.map((t) => /\[(\w+)\]/.exec(t)?.[1])).toEqual(['storageUnreachable', 'fatal', 'storageUnreachable']);
    expect(errors).toBe(4);
  });

  it('cannot redraw or flood the console: control characters go, and a long message is cut', () => {
    const told = errorReported(line(50, { msg: `\u001b[2J\u001b[Hcleared${'x'.repeat(500)}`, err: { message: 'two\nlines' } }), 'bot.log')!.consoleLine;
    expect(told).not.toMatch(/\p{Cc}/u);
    expect(told).toContain(' (two lines). Details in bot.log');
    expect(told.length).toBeLessThan(400);
    expect(errorReported(line(40, { msg: 'a warning' }), 'bot.log')).toBeUndefined();
    expect(errorReported('{"level":"50"}', 'bot.log')).toBeUndefined();
    // An error whose fields are not the usual shape is still told.
    expect(errorReported(line(50, { msg: 42, err: 'socket hang up', event: 'jobFailed' }), 'bot.log')?.consoleLine).toBe('The bot reported an error [jobFailed]: jobFailed. Details in bot.log');
  });
});
