import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * The first `npm start` (or `npm test`) on a fresh clone installs the dependencies
 * (scripts/ensure-installed.js). That takes minutes, so it says what it is doing and shows progress
 * rather than looking hung. Shown with a stand-in for npm that unpacks a made-up lock file's
 * packages one by one, as `npm ci` does, in a few seconds.
 */
describe('npm start installs dependencies the first time, with progress', () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'swbot-install-'));
  const fakeNpm = path.join(project, 'fake-npm.js');
  const otherPlatform = process.platform === 'win32' ? 'linux' : 'win32';
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  beforeAll(() => {
    const packages: Record<string, object> = { '': { name: 'install-fixture' } };
    for (let i = 1; i <= 20; i++) packages[`node_modules/package-${i}`] = { version: '1.0.0' };
    for (let i = 1; i <= 10; i++) packages[`node_modules/@scope/package-${i}`] = { version: '1.0.0' };
    // Nested copies are not counted; packages for another computer are never unpacked here.
    packages['node_modules/package-1/node_modules/package-2'] = { version: '0.9.0' };
    packages['node_modules/for-another-computer'] = { version: '1.0.0', optional: true, os: [otherPlatform] };
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
    mkdirSync(path.join(project, 'scripts'));
    copyFileSync(path.join(ROOT, 'scripts', 'ensure-installed.js'), path.join(project, 'scripts', 'ensure-installed.js'));
    // npm ci as it behaves with its output not on a terminal: a deprecation notice, then nothing
    // until the end. It makes every package's folder first, then unpacks the packages into them one
    // after another as they arrive.
    writeFileSync(
      fakeNpm,
      `const fs = require('node:fs');
fs.appendFileSync('npm-calls.log', JSON.stringify(process.argv.slice(2)) + '\\n');
process.stderr.write('npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.\\n');
if (fs.existsSync('FAIL')) {
  process.stderr.write('npm error code E404\\nnpm error 404 Not Found - GET https://registry.npmjs.org/no-such-package\\n');
  process.exit(1);
}
const packages = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')).packages;
const names = Object.keys(packages).filter((n) => n && !packages[n].os && n.split('node_modules/').length === 2);
fs.rmSync('node_modules', { recursive: true, force: true });
for (const name of names) fs.mkdirSync(name, { recursive: true });
let i = 0;
const next = setInterval(() => {
  if (i < names.length) return fs.writeFileSync(names[i++] + '/package.json', '{}');
  clearInterval(next);
  fs.writeFileSync('node_modules/.package-lock.json', '{}');
  console.log('added ' + names.length + ' packages in 5s');
}, 150);
`,
    );
  });

  function start(): { status: number | null; output: string; lines: string[] } {
    const result = spawnSync(process.execPath, [path.join(project, 'scripts', 'ensure-installed.js')], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', npm_execpath: fakeNpm },
    });
    const output = `${result.stdout}${result.stderr}`;
    return { status: result.status, output, lines: output.split('\n').filter((l) => l !== '') };
  }
  const npmCalls = () => (existsSync(path.join(project, 'npm-calls.log')) ? readFileSync(path.join(project, 'npm-calls.log'), 'utf8').trim().split('\n') : []);

  it('says it is installing and that it may take a few minutes, shows the packages unpacked so far, and says when it is done', () => {
    const first = start();
    expect(first.status).toBe(0);
    expect(first.lines[0]).toBe('Installing dependencies with npm ci (first run: node_modules is not there yet). The first time this can take a few minutes...');
    expect(first.lines.at(-1)).toMatch(/^Dependencies installed in \d+ s\.$/);
    const progress = first.lines.slice(1, -1);
    for (const line of progress) expect(line).toMatch(/^ {2}(\[[#.]{30}\] \d+ of 30 packages, \d+ s|installing: all 30 packages unpacked, finishing \(\d+ s\))$/);
    const counts = progress.map((l) => Number(/(\d+) of 30/.exec(l)?.[1] ?? 30));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(new Set(counts).size).toBeGreaterThanOrEqual(4);
    // npm's own notices are kept back when all is well.
    expect(first.output).not.toContain('deprecated');
    expect(npmCalls()).toEqual(['["ci","--no-audit","--no-fund"]']);
  });

  it('says nothing and installs nothing when the dependencies are installed already', () => {
    expect(start()).toEqual({ status: 0, output: '', lines: [] });
    expect(npmCalls()).toHaveLength(1);
  });

  it('installs again, saying why, when package-lock.json changed since', () => {
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(project, 'package-lock.json'), later, later);
    const again = start();
    expect(again.status).toBe(0);
    expect(again.lines[0]).toBe('Installing dependencies with npm ci (package-lock.json changed since the last install). The first time this can take a few minutes...');
    expect(npmCalls()).toHaveLength(2);
  });

  it("shows npm's own messages when the install fails, and stops there", () => {
    rmSync(path.join(project, 'node_modules'), { recursive: true, force: true });
    writeFileSync(path.join(project, 'FAIL'), '');
    const failed = start();
    expect(failed.status).toBe(1);
    expect(failed.output).toContain('npm error 404 Not Found - GET https://registry.npmjs.org/no-such-package');
    expect(failed.lines.at(-1)).toBe("npm ci failed (exit code 1): npm's messages are above.");
  });
});
