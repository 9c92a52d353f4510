import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * `npm start` builds only when something the build reads has changed (scripts/ensure-built.js).
 * Shown on a small project laid out like this one (the bot, the launcher and the tab's page, built
 * by this project's own `npm run build` command), so that each build takes seconds and this tree's
 * dist is left alone.
 */
describe('npm start builds only when something changed', () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'swbot-build-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const write = (relative: string, content: string) => {
    mkdirSync(path.dirname(path.join(project, relative)), { recursive: true });
    writeFileSync(path.join(project, relative), content);
  };

  beforeAll(() => {
    const buildCommand = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
    write('package.json', JSON.stringify({ name: 'build-fixture', private: true, scripts: { build: buildCommand } }));
    // The libraries and lib check as this project's own tsconfig.json has them.
    write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'commonjs', strict: true, skipLibCheck: true, outDir: 'dist', rootDir: '.', types: [] }, include: ['host', 'scripts', 'services'] }));
    write('tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', exclude: ['node_modules', 'dist'] }));
    write('tab/client/tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2020', lib: ['ES2020', 'DOM'], strict: true, skipLibCheck: true, types: [], outDir: '../../dist/tab/client', rootDir: '.' }, include: ['app.ts'] }));
    write('tab/client/app.ts', "export const greeting: string = 'Hello';\n");
    write('host/main.ts', "import { helper } from '../services/deep/nested/helper';\nexport const main = (): number => helper(1);\n");
    write('services/deep/nested/helper.ts', 'export function helper(n: number): number {\n  return n + 1;\n}\n');
    write('scripts/start.ts', 'export const started = true;\n');
    mkdirSync(path.join(project, 'scripts'), { recursive: true });
    copyFileSync(path.join(ROOT, 'scripts', 'ensure-built.js'), path.join(project, 'scripts', 'ensure-built.js'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  });

  /** `npm start`'s build step, as npm runs it. */
  function start(): { status: number | null; output: string } {
    const result = spawnSync(process.execPath, [path.join(project, 'scripts', 'ensure-built.js')], { cwd: project, encoding: 'utf8', env: { ...process.env } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  /** Every file under dist with its modification time. */
  function distTimes(): Record<string, number> {
    const times: Record<string, number> = {};
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else times[path.relative(project, p)] = statSync(p).mtimeMs;
      }
    };
    walk(path.join(project, 'dist'));
    return times;
  }

  /** Sets a file's modification time a little later, as saving it in an editor would. */
  function touch(relative: string): void {
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(project, relative), later, later);
  }

  it('builds the first time, saying so, and the outputs are there', () => {
    const first = start();
    expect(first.status).toBe(0);
    expect(first.output).toMatch(/^Building the bot \(TypeScript; no earlier build\)\.\.\.\nBuilt in \d+ s\.\n$/);
    expect(Object.keys(distTimes())).toEqual(expect.arrayContaining(['dist/host/main.js', 'dist/scripts/start.js', 'dist/tab/client/app.js', 'dist/services/deep/nested/helper.js']));
  });

  it('does not build again when nothing changed: it says "up to date" and dist is untouched', () => {
    const before = distTimes();
    const again = start();
    expect(again).toEqual({ status: 0, output: 'The build is up to date (nothing changed since the last one).\n' });
    expect(distTimes()).toEqual(before);
  });

  it('builds again when a source file is touched, deep in a folder or in the tab, and names it', () => {
    touch('services/deep/nested/helper.ts');
    const before = distTimes();
    const rebuilt = start();
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.output).toContain('Building the bot (TypeScript; changed: services/deep/nested/helper.ts)...');
    expect(distTimes()['dist/services/deep/nested/helper.js']).toBeGreaterThan(before['dist/services/deep/nested/helper.js']!);
    expect(start().output).toContain('up to date');

    touch('tab/client/app.ts');
    expect(start().output).toContain('changed: tab/client/app.ts');
  });

  it('builds again when a file changes but keeps its time and size (the content counts too)', () => {
    const file = path.join(project, 'tab/client/app.ts');
    const { atime, mtime } = statSync(file);
    writeFileSync(file, "export const greeting: string = 'Hullo';\n");
    utimesSync(file, atime, mtime);
    const rebuilt = start();
    expect(rebuilt.output).toContain('changed: tab/client/app.ts');
    expect(readFileSync(path.join(project, 'dist/tab/client/app.js'), 'utf8')).toContain('Hullo');
  });

  it('builds again for a new source file, a changed tsconfig, or an output deleted from dist', () => {
    write('services/newService.ts', 'export const added = 1;\n');
    expect(start().output).toContain('changed: services/newService.ts');
    write('tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', exclude: ['node_modules', 'dist', 'nothing'] }));
    expect(start().output).toContain('changed: tsconfig.build.json');
    rmSync(path.join(project, 'dist/host/main.js'));
    const rebuilt = start();
    expect(rebuilt.output).toContain('dist/host/main.js is missing');
    expect(statSync(path.join(project, 'dist/host/main.js')).isFile()).toBe(true);
    expect(start().output).toContain('up to date');
  });

  it('stops with the TypeScript errors when the build fails, and never takes a failed build for a finished one', () => {
    write('services/deep/nested/helper.ts', 'export function helper(n: number): number {\n  return n + "1";\n}\n');
    const failed = start();
    expect(failed.status).not.toBe(0);
    expect(failed.output).toContain("services/deep/nested/helper.ts(2,3): error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(failed.output).toContain('The build failed (the TypeScript errors are above).');
    // Nothing changed since, but the last build did not succeed: it is tried again.
    const retried = start();
    expect(retried.status).not.toBe(0);
    expect(retried.output).not.toContain('up to date');
    write('services/deep/nested/helper.ts', 'export function helper(n: number): number {\n  return n + 2;\n}\n');
    expect(start().status).toBe(0);
    expect(start().output).toContain('up to date');
  });

  it('tells that it is still building, every ten seconds, when a build takes a while', () => {
    const slowBuild = `node -e "setTimeout(() => {}, 11000)" && ${(JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build}`;
    write('package.json', JSON.stringify({ name: 'build-fixture', private: true, scripts: { build: slowBuild } }));
    const slow = start();
    expect(slow.status).toBe(0);
    const [first, ...rest] = slow.output.trimEnd().split('\n');
    const last = rest.pop();
    expect(first).toBe('Building the bot (TypeScript; changed: package.json)...');
    // On a loaded machine the build takes longer than its 11 s wait, and there is a line for each further ten seconds.
    expect(rest.length).toBeGreaterThanOrEqual(1);
    expect(rest).toEqual(rest.map((_, i) => expect.stringMatching(new RegExp(`^ {2}still building: ${(i + 1) * 10} s; the last build took \\d+ s$`))));
    const builtIn = Number(/^Built in (\d+) s\.$/.exec(last ?? '')?.[1]);
    expect(builtIn).toBeGreaterThanOrEqual(11);
    // "Built in" is rounded to the second: 29.6 s reads 30 s after two lines.
    expect(Math.abs(rest.length - Math.floor(builtIn / 10))).toBeLessThanOrEqual(1);
  }, 120_000);
});
