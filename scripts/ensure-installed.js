// Runs before `npm start` and `npm test` so that each works as the single command on a fresh
// clone: installs exactly what package-lock.json pins (`npm ci`) when node_modules is missing or
// older than the lock file. Plain JavaScript because nothing is installed when it runs.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

const installedAt = mtime(installed);
if (installedAt === undefined || (mtime(lock) ?? 0) > installedAt) {
  process.stdout.write('Installing dependencies (npm ci), once...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('npm ci failed: see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}
