import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfigOrExit } from '../host/config';
import { DEMO_STAFF } from '../demo/demoSchool';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, openSync } from 'node:fs';
import { keepPrivate, privateFolder, writePrivateFile } from './privateFiles';
import { freePort, startAzuriteProcess, waitForPort } from './azurite';
import { PLAYGROUND_USERS, PlaygroundUser, playgroundConfig } from './playgroundConfig';
import { displayPath, openBotLogFile } from './botLogFile';
import { stopChild } from './stopChild';

/**
 * `npm start`. With a storage connection string (or in production) it runs the bot alone. In
 * local mode without one it brings up the whole local product: Azurite's table service (data
 * under ./.data), the bot, and the Microsoft 365 Agents Playground as the Teams client.
 * Ctrl-C stops them in order: Playground, then the bot (finishing in-flight turns), then Azurite
 * with SIGINT so it saves. The console carries the launcher's own lines and the bot's errors; the
 * bot's JSON log and the Playground's output go to files under <data>/logs.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BOT_ENTRY = path.join(ROOT, 'dist', 'host', 'main.js');
const PLAYGROUND_PORT = 56150;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);

  if (config.mode === 'production' || config.storage) {
    // Nothing to orchestrate: behave exactly like the bot process.
    require(BOT_ENTRY);
    return;
  }

  const as = (process.env.PLAYGROUND_AS ?? 'teacher') as PlaygroundUser;
  if (!PLAYGROUND_USERS.includes(as)) {
    process.stderr.write(`Configuration error: PLAYGROUND_AS must be one of ${PLAYGROUND_USERS.join(', ')} (got "${as}")\n`);
    process.exit(2);
  }
  // The data folder and everything in it (and all that Azurite, the bot and the Playground will
  // write there) are this user's only.
  keepPrivate();
  privateFolder(config.dataDir);
  // The Playground reads its users from .m365agentsplayground.yml in the folder it starts in.
  const playgroundDir = path.join(config.dataDir, 'playground', as);
  mkdirSync(playgroundDir, { recursive: true, mode: 0o700 });
  writePrivateFile(path.join(playgroundDir, '.m365agentsplayground.yml'), playgroundConfig(as));

  const botLog = openBotLogFile(config.dataDir, (line) => process.stderr.write(`${line}\n`));
  say('Starting Azurite (the Azure Tables emulator)...');
  const azurite = await startAzuriteProcess(path.join(config.dataDir, 'azurite'));
  // The command-line tools (digest, report) find this Azurite through its port file, and the
  // digest tool finds this run's key for POST /api/digest (made afresh each run, readable by us only).
  writePrivateFile(path.join(config.dataDir, 'azurite.port'), String(azurite.port));
  const digestKey = config.digestApiKey ?? randomBytes(24).toString('hex');
  writePrivateFile(path.join(config.dataDir, 'digest.key'), digestKey);
  let bot: ChildProcess | undefined;
  let playground: ChildProcess | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping: Playground, then the bot, then Azurite (saving its data)...');
    await stopChild(playground, 'SIGTERM', 5000);
    await stopChild(bot, 'SIGINT', config.shutdownGraceMs + 2000);
    await botLog.finish(2000);
    await azurite.stop();
    const errors = botLog.errors === 0 ? '' : ` (${botLog.errors === 1 ? 'one error' : `${botLog.errors} errors`} in this run)`;
    say(`Stopped. The bot's log is ${botLog.shownPath}${errors}.`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const botPort = await freePort(config.port);
    say(`Starting the bot (its log: ${botLog.shownPath})...`);
    // DEP0111 comes from a restify dependency and is harmless; keep the newcomer's console clean.
    // Its log lines (stdout) go to the file; what it writes to stderr (a configuration error) is for the console.
    bot = spawn(process.execPath, ['--disable-warning=DEP0111', BOT_ENTRY], {
      cwd: ROOT,
      env: { ...process.env, AZURE_TABLES_CONNECTION_STRING: azurite.connectionString, PORT: String(botPort), BOT_MODE: 'local', DIGEST_API_KEY: digestKey },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    botLog.follow(bot.stdout!);
    bot.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`The bot stopped unexpectedly (exit code ${code ?? 'none'}): see ${botLog.shownPath}\n`);
        void stopAll(1);
      }
    });
    await waitForPort(botPort, 30_000);

    const playgroundPort = await freePort(PLAYGROUND_PORT);
    say('Starting the Microsoft 365 Agents Playground...');
    // Its own chatter ("Listening on ...", "Waiting for connection ...") is for its log, not the console.
    const playgroundLog = path.join(config.dataDir, 'logs', 'playground.log');
    const playgroundOutput = openSync(playgroundLog, 'w', 0o600);
    chmodSync(playgroundLog, 0o600);
    playground = spawn(
      process.execPath,
      [
        require.resolve('@microsoft/m365agentsplayground/cli.js'),
        '-e', `http://127.0.0.1:${botPort}/api/messages`,
        '-c', 'msteams',
        '-p', String(playgroundPort),
        '--disable-telemetry',
      ],
      // Without TEAMSAPPTESTER_BROWSER=none the Playground exits trying to open a browser.
      { cwd: playgroundDir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', playgroundOutput, playgroundOutput], detached: true },
    );
    playground.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`The Agents Playground stopped unexpectedly (exit code ${code ?? 'none'}): see ${displayPath(playgroundLog)}\n`);
        void stopAll(1);
      }
    });
    await waitForPort(playgroundPort, 30_000);
    say(
      [
        `Ready. Open http://localhost:${playgroundPort} in your browser and say "hello" to the bot, as ${DEMO_STAFF[as].name} (${as}) at the demo school (synthetic pupils).`,
        `  The DT and DSL dashboard tab: http://127.0.0.1:${botPort}/tab/ (development sign-in: local mode only)`,
        `  The bot's log: ${botLog.shownPath} (its errors are shown here too)`,
        '  Ctrl-C stops everything.',
      ].join('\n'),
    );
  } catch (err) {
    process.stderr.write(`Could not start the local set-up: ${err instanceof Error ? err.message : String(err)}\n`);
    await stopAll(1);
  }
}

void main();
