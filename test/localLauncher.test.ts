import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { freePort } from '../scripts/azurite';

const LAUNCHER = path.join(__dirname, '..', 'dist', 'scripts', 'start.js');

/**
 * The README's first command (`npm start` = build, then this launcher) from a fresh data folder:
 * Azurite, the bot and the Agents Playground come up; a message typed into the Playground gets the
 * welcome card; Ctrl-C (SIGINT) stops all three and Azurite saves its data.
 */
describe('local launcher (npm start)', () => {
  let launcher: ChildProcess | undefined;
  let dataDir: string;
  afterAll(() => {
    if (launcher && launcher.exitCode === null) launcher.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings up Azurite, the bot and the Playground; the Playground gets the welcome card; Ctrl-C stops all cleanly', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-launch-'));
    // As an earlier run might have left them: a folder and a key anyone on the machine could read.
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'digest.key'), 'an old key', { mode: 0o644 });
    const botPort = await freePort();
    let output = '';
    launcher = spawn(process.execPath, [LAUNCHER], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(botPort), LOG_LEVEL: 'warn' },
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
