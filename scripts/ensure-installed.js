// Runs before `npm start` and `npm test` so that each works as the single command on a fresh
// clone: installs exactly what package-lock.json pins (`npm ci`) when node_modules is missing or
// older than the lock file. Plain JavaScript because nothing is installed when it runs.
//
// The first install takes minutes. npm itself says nothing until the end when its output is not
// a terminal, and a wall of deprecation notices when it is, so its output is kept back (and shown
// only if it fails) and progress is told instead: packages unpacked out of those the lock file
// lists for this computer, and the time taken.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setInterval, clearInterval } = require('node:timers');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const modules = path.join(root, 'node_modules');
const installed = path.join(modules, '.package-lock.json');
/** How often progress is looked at; on a terminal the line is redrawn each time. */
const LOOK_EVERY_MS = 500;
/** In a log (not a terminal) a line per tenth of the packages, and one at least this often. */
const QUIET_AT_MOST_MS = 20_000;
/** What is kept of npm's output to show when it fails: its last lines say why. */
const KEEP_CHARS = 20_000;

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The top-level packages the lock file lists that npm will unpack on this computer. */
function expectedPackages() {
  try {
    const packages = JSON.parse(fs.readFileSync(lock, 'utf8')).packages || {};
    const fits = (list, value) => !Array.isArray(list) || list.includes(value) || (list.some((v) => v.startsWith('!')) && !list.includes(`!${value}`));
    const libc = process.platform !== 'linux' ? undefined : process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
    return Object.entries(packages).filter(
      ([name, meta]) =>
        /^node_modules\/(?:@[^/]+\/)?[^/]+$/.test(name) && fits(meta.os, process.platform) && fits(meta.cpu, process.arch) && (!libc || fits(meta.libc, libc)),
    ).length;
  } catch {
    return 0;
  }
}

/**
 * Top-level packages unpacked so far. npm makes every package's folder first and fills them as the
 * downloads arrive, so a package counts once its package.json is there.
 */
function unpackedPackages() {
  const unpacked = (folder) => fs.existsSync(path.join(folder, 'package.json'));
  let count = 0;
  let entries;
  try {
    entries = fs.readdirSync(modules, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const folder = path.join(modules, entry.name);
    if (!entry.name.startsWith('@')) count += unpacked(folder) ? 1 : 0;
    else {
      try {
        count += fs.readdirSync(folder).filter((name) => unpacked(path.join(folder, name))).length;
      } catch {
        // a scope folder npm is replacing right now: counted next time
      }
    }
  }
  return count;
}

function elapsed(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function progressLine(done, total, ms) {
  if (total === 0) return `  installing: ${elapsed(ms)}`;
  if (done >= total) return `  installing: all ${total} packages unpacked, finishing (${elapsed(ms)})`;
  const width = 30;
  const filled = Math.floor((done / total) * width);
  return `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done} of ${total} packages, ${elapsed(ms)}`;
}

function install(reason) {
  const total = expectedPackages();
  const startedAt = Date.now();
  const tty = Boolean(process.stdout.isTTY);
  process.stdout.write(`Installing dependencies with npm ci (${reason}). The first time this can take a few minutes...\n`);
  const npmCli = process.env.npm_execpath;
  const args = ['ci', '--no-audit', '--no-fund'];
  const child = npmCli
    ? spawn(process.execPath, [npmCli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('npm', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-KEEP_CHARS);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let lastTenth = -1;
  let lastLineAt = startedAt;
  const look = () => {
    const done = unpackedPackages();
    const line = progressLine(done, total, Date.now() - startedAt);
    if (tty) return process.stdout.write(`\r${line}\x1b[K`);
    const tenth = total === 0 ? 0 : Math.min(10, Math.floor((done / total) * 10));
    if (tenth > lastTenth || Date.now() - lastLineAt >= QUIET_AT_MOST_MS) {
      lastTenth = Math.max(lastTenth, tenth);
      lastLineAt = Date.now();
      process.stdout.write(`${line}\n`);
    }
  };
  const ticker = setInterval(look, LOOK_EVERY_MS);

  child.once('close', (code) => {
    clearInterval(ticker);
    if (tty) process.stdout.write('\r\x1b[K');
    if (code !== 0) {
      process.stderr.write(`${output.trimEnd()}\nnpm ci failed (exit code ${code}): npm's messages are above.\n`);
      process.exit(code || 1);
    }
    process.stdout.write(`Dependencies installed in ${elapsed(Date.now() - startedAt)}.\n`);
  });
}

const installedAt = mtime(installed);
if (installedAt === undefined) install('first run: node_modules is not there yet');
else if ((mtime(lock) ?? 0) > installedAt) install('package-lock.json changed since the last install');
