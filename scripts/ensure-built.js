// Runs before `npm start`: builds (`npm run build`) only when one of its inputs changed since the
// last build that succeeded, so a second start takes a moment rather than a full compile. Plain
// JavaScript because it runs before anything is built.
//
// The inputs are every TypeScript and JSON file of the project outside the folders that are made
// by tools (their content, size and modification time, so even a `touch` rebuilds), the installed
// dependencies (node_modules/.package-lock.json: new type definitions can change the output) and
// the build command itself (package.json is a JSON file of the project). A build that fails or is
// interrupted leaves no stamp, so the next start builds again.
'use strict';
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { setInterval, clearInterval } = require('node:timers');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp.json');
/** What `npm start` runs from dist: if any is missing (dist partly deleted), build whatever the stamp says. */
const OUTPUTS = ['dist/scripts/start.js', 'dist/host/main.js', 'dist/tab/client/app.js'];
/** Made by tools (and git's own), never an input of the build; the same folders .gitignore names. */
const NOT_SOURCES = new Set(['node_modules', 'dist', 'build', 'coverage', 'devTools', 'test-output', '.data', '.git', 'bench/results', 'appPackage/build']);
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|json)$/;
/** On a terminal the progress line is redrawn every second; in a log, a line every 10 seconds. */
const TICK_MS = process.stdout.isTTY ? 1000 : 10_000;

function sourceFiles(dir = '') {
  const found = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !NOT_SOURCES.has(relative)) found.push(...sourceFiles(relative));
    else if (entry.isFile() && SOURCE_FILE.test(entry.name)) found.push(relative);
  }
  return found;
}

function digestOf(relative) {
  const file = path.join(root, relative);
  const stat = fs.statSync(file);
  const content = createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 32);
  return `${content}:${stat.size}:${stat.mtimeMs}`;
}

/** Every input with its digest, in a stable order. */
function currentInputs() {
  const inputs = {};
  for (const relative of [...sourceFiles().sort(), 'node_modules/.package-lock.json']) {
    try {
      inputs[relative] = digestOf(relative);
    } catch {
      inputs[relative] = 'missing';
    }
  }
  return inputs;
}

function readStamp() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    return stamp && typeof stamp.inputs === 'object' && stamp.inputs !== null ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Why a build is needed, in a few words, or undefined when dist is up to date. */
function reasonToBuild(stamp, inputs) {
  if (!stamp) return 'no earlier build';
  const missing = OUTPUTS.filter((output) => !fs.existsSync(path.join(root, output)));
  if (missing.length > 0) return `${missing[0]} is missing`;
  const names = new Set([...Object.keys(inputs), ...Object.keys(stamp.inputs)]);
  const changed = [...names].filter((name) => inputs[name] !== stamp.inputs[name]);
  if (changed.length === 0) return undefined;
  const shown = changed.slice(0, 3).join(', ');
  return changed.length > 3 ? `${changed.length} files changed, among them ${shown}` : `changed: ${shown}`;
}

function seconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function build(reason, lastBuildMs) {
  const startedAt = Date.now();
  const usual = lastBuildMs ? `; the last build took ${seconds(lastBuildMs)}` : '';
  process.stdout.write(`Building the bot (TypeScript; ${reason})...\n`);
  // The stamp goes first, so an interrupted build is never taken for a finished one.
  fs.rmSync(stampFile, { force: true });
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli ? [process.execPath, [npmCli, 'run', 'build', '--silent']] : ['npm', ['run', 'build', '--silent']];
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: !npmCli && process.platform === 'win32' });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const ticker = setInterval(() => {
    const line = `  still building: ${seconds(Date.now() - startedAt)}${usual}`;
    process.stdout.write(process.stdout.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }, TICK_MS);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearInterval(ticker);
      if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
      resolve({ ok: code === 0, code, output, tookMs: Date.now() - startedAt });
    });
  });
}

async function main() {
  const inputs = currentInputs();
  const stamp = readStamp();
  const reason = reasonToBuild(stamp, inputs);
  if (!reason) {
    process.stdout.write('The build is up to date (nothing changed since the last one).\n');
    return;
  }
  const result = await build(reason, stamp && stamp.tookMs);
  if (!result.ok) {
    process.stderr.write(`${result.output.trimEnd()}\nThe build failed (the TypeScript errors are above).\n`);
    process.exit(result.code || 1);
  }
  // The inputs as read before the build: a file saved during it makes the next start build again.
  fs.writeFileSync(stampFile, JSON.stringify({ builtAt: new Date().toISOString(), tookMs: result.tookMs, inputs }));
  process.stdout.write(`Built in ${seconds(result.tookMs)}.\n`);
}

main().catch((err) => {
  process.stderr.write(`Could not build: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
