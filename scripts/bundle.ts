import { cpSync, createWriteStream, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { z } from 'zod';

/**
 * `npm run bundle`: the production artefact. App Service runs it from the zip as it is (read-only,
 * WEBSITE_RUN_FROM_PACKAGE=1) with `node dist/host/main.js`, so everything is built and installed
 * here: the compiled code, the tab's static files, and the production dependencies only (no
 * Azurite, no Playground, no TypeScript). Nothing is built or installed on the server.
 */

/** What the server runs: dist/ without the benchmark, and the tab's static files. */
const COPIED = ['dist', 'tab/static'];
const LEFT_OUT = ['dist/bench'];

const NEVER_LOADED = /(\.d\.[cm]?ts|\.[cm]?ts|\.map|\.md|\.markdown)$/i;

/** DEP0111: restify's spdy loads http-deceiver, which touches a deprecated Node internal; harmless, and noisy at every start. */
export const START_COMMAND = 'node --disable-warning=DEP0111 dist/host/main.js';
export const PRODUCTION_NODE = '22.x';

export interface BundleResult {
  zip: string;
  files: number;
  bytes: number;
}

export async function buildBundle(root: string, outDir: string): Promise<BundleResult> {
  if (!existsSync(path.join(root, 'dist', 'host', 'main.js')) || !existsSync(path.join(root, 'dist', 'tab', 'client', 'app.js'))) {
    throw new Error('dist/ is not built: run "npm run build" first (npm run bundle does)');
  }
  const staging = path.join(outDir, 'bundle');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const from of COPIED) cpSync(path.join(root, from), path.join(staging, from), { recursive: true });
  for (const left of LEFT_OUT) rmSync(path.join(staging, left), { recursive: true, force: true });
  // The lock file decides every version; package.json keeps its dependency lists (npm ci checks
  // they match the lock) and gains the one script App Service would otherwise guess.
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  manifest.scripts = { start: START_COMMAND };
  // Development and the tests run on Node 20 or 22; the server runs Node 22 LTS (Node 20's support
  // ended on 30 April 2026), which the bundle's smoke test uses.
  manifest.engines = { node: PRODUCTION_NODE };
  writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(path.join(root, 'package-lock.json'), path.join(staging, 'package-lock.json'));
  copyProductionPackages(root, staging);

  const zip = new JSZip();
  let files = 0;
  for (const file of walk(staging)) {
    const rel = path.relative(staging, file).split(path.sep).join('/');
    zip.file(rel, readFileSync(file), { unixPermissions: statSync(file).mode & 0o777, date: new Date('2026-01-01T00:00:00Z') });
    files++;
  }
  const target = path.join(outDir, 'bundle.zip');
  await pipeline(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' }), createWriteStream(target));
  return { zip: target, files, bytes: statSync(target).size };
}

/** The parts of package-lock.json (lockfileVersion 2 or 3) that place each installed package. */
const lockFileSchema = z.object({
  packages: z.record(
    z.string(),
    z.object({ version: z.string().optional(), dev: z.boolean().optional(), optional: z.boolean().optional(), devOptional: z.boolean().optional(), link: z.boolean().optional() }),
  ),
});

/** What the drift check reads of an installed package's own package.json. */
const installedManifestSchema = z.object({ version: z.string().optional() });

/**
 * botbuilder-dialogs' install script deletes these three, so that its recognizers share the one
 * recognizers-text-number at the top (1.3.1, not the 1.1.4 they ask for). The bot is developed and
 * tested without them, so it ships without them: `npm ci --ignore-scripts`, as the bundle used to
 * install, kept them, and the server ran a number recognizer the tests never had.
 */
const REMOVED_BY_INSTALL_SCRIPTS = new Set(
  ['recognizers-text-suite', 'recognizers-text-date-time', 'recognizers-text-number-with-unit'].map((p) => `node_modules/@microsoft/${p}/node_modules/@microsoft/recognizers-text-number`),
);

/**
 * The production dependencies, copied from this tree's own node_modules to the places the lock file
 * gives them: the packages `npm ci --omit=dev --omit=optional` would install (the only optional one
 * is the Node 22 binary the tests run the bundle on), as their install scripts left them, without
 * installing them again (34 of the bundle's 58 s, and the registry). Each package's version is
 * checked against the lock, so a node_modules that has drifted from it (an `npm install` of
 * something else) stops the bundle rather than shipping what was not reviewed.
 */
function copyProductionPackages(root: string, staging: string): void {
  const lock = lockFileSchema.parse(JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')));
  const production = Object.entries(lock.packages)
    .filter(([place, entry]) => place.startsWith('node_modules/') && !entry.dev && !entry.optional && !entry.devOptional)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [place, entry] of production) {
    if (REMOVED_BY_INSTALL_SCRIPTS.has(place)) continue;
    if (entry.link) throw new Error(`${place} is a link in package-lock.json; the bundle copies installed packages only`);
    const from = path.join(root, place);
    const installed = existsSync(path.join(from, 'package.json')) ? installedManifestSchema.parse(JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8'))).version : undefined;
    if (installed !== entry.version) {
      throw new Error(`${place} is ${installed === undefined ? 'not installed' : `version ${String(installed)}`}, but package-lock.json has ${entry.version ?? 'no version'}: run "npm ci" first`);
    }
    // A package's own node_modules may hold development packages; the production ones in it have entries of their own.
    // Type declarations, source maps and documentation are left out as they are copied: never loaded
    // at run time, and more than a third of the files a cold start would otherwise unpack.
    const nested = path.join(from, 'node_modules');
    const wanted = (source: string) => source !== nested && !(NEVER_LOADED.test(path.basename(source)) && lstatSync(source).isFile());
    // eslint-disable-next-line no-restricted-syntax -- which files to copy, not a table query
    cpSync(from, path.join(staging, place), { recursive: true, filter: wanted });
  }
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) yield* walk(full);
    else if (stat.isFile()) yield full;
  }
}

async function main(): Promise<void> {
  // Run from dist/scripts/.
  const root = path.resolve(__dirname, '..', '..');
  const result = await buildBundle(root, path.join(root, 'build'));
  process.stdout.write(
    `Wrote ${path.relative(root, result.zip)}: ${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(1)} MB. ` +
      `Deploy it to App Service (run from package); it starts with "${START_COMMAND}" on Node 22.\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`The bundle could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
