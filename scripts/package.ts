import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildManifest } from '../appPackage/manifest';
import { packageSettingsFromEnv } from '../appPackage/settings';
import { manifestProblems } from '../appPackage/validation';
import { loadIcons } from '../appPackage/icons';
import { buildAppPackage } from '../appPackage/zip';

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_OUT = path.join(ROOT, 'appPackage', 'build', 'appPackage.zip');
const DEFAULT_ICONS = path.join(ROOT, 'appPackage', 'icons');
const USAGE = 'Usage: MicrosoftAppId=<guid> PUBLIC_BASE_URL=https://<host> [TAB_APP_ID=<guid>] [APP_ICONS_DIR=<folder>] npm run package [-- --out <file.zip>]\n';

function packageJsonVersion(): string {
  return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))).version;
}

/**
 * `npm run package`: the Teams app package (manifest.json, color.png, outline.png) as a zip, with
 * values from the environment. The manifest is checked offline against the official v1.30 schema
 * and Teams' upload rules first; if anything is wrong, no zip is written.
 */
async function main(): Promise<void> {
  let out: string;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' } }, strict: true });
    out = path.resolve(values.out ?? DEFAULT_OUT);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }

  const parsed = packageSettingsFromEnv(process.env, { packageVersion: packageJsonVersion() });
  if (!parsed.ok) {
    for (const problem of parsed.problems) process.stderr.write(`Configuration error: ${problem}\n`);
    process.exit(1);
  }

  const manifest = buildManifest(parsed.settings);
  const problems = await manifestProblems(manifest);
  if (problems.length > 0) {
    process.stderr.write(`The manifest is not valid, so no package was written:\n${problems.map((p) => `  ${p}\n`).join('')}`);
    process.exit(1);
  }

  // A trust's own logo: a folder with its color.png and outline.png (see appPackage/README.md).
  const icons = loadIcons(path.resolve(process.env.APP_ICONS_DIR?.trim() || DEFAULT_ICONS));
  if (!icons.ok) {
    process.stderr.write(`The icons are not what Teams accepts, so no package was written:\n${icons.problems.map((p) => `  ${p}\n`).join('')}`);
    process.exit(1);
  }

  const zip = await buildAppPackage(manifest, icons.icons);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  const shown = path.relative(process.cwd(), out).startsWith('..') ? out : path.relative(process.cwd(), out);
  process.stdout.write(`Wrote ${shown} (${zip.length} bytes): Teams app ${manifest.id}, version ${manifest.version}, for ${manifest.validDomains?.join(', ') ?? ''}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`The app package could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
