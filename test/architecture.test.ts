import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';

/**
 * The folder boundaries of docs/ARCHITECTURE.md are enforced by `npm run lint`
 * (eslint-plugin-boundaries, configured from architecture.mjs). These tests lint code placed in each
 * folder that imports each other folder and each restricted SDK, and check ESLint says no exactly
 * where the architecture says no, and yes everywhere else.
 */

const ROOT = path.join(__dirname, '..');

/** One real module of each part, to import from a probe. */
const TARGETS: Record<string, string> = {
  policy: 'policy/dates',
  cards: 'cards/adaptiveCard',
  storage: 'storage/tableStore',
  telemetry: 'telemetry/logger',
  delivery: 'delivery/proactive',
  services: 'services/caseService',
  dialogs: 'dialogs/registry',
  jobs: 'jobs/periodic',
  bot: 'bot/teamsBot',
  tab: 'tab/server/tabApi',
  tabClient: 'tab/client/app',
  demo: 'demo/demoSchool',
  host: 'host/config',
  appPackage: 'appPackage/manifest',
  infra: 'infra/template',
  scripts: 'scripts/cliStore',
  bench: 'bench/stats',
  test: 'test/support/store',
  types: 'types/azurite.d',
};

interface ProbeResult {
  file: string;
  fatal: string[];
  boundaryErrors: Array<{ line: number; message: string }>;
}
interface Lint {
  parts: Record<string, string>;
  mayImport: Record<string, string[]>;
  sdks: Array<{ modules: string[]; only: string[] }>;
  results: ProbeResult[];
}

function lintProbes(probes: Array<{ file: string; code: string }>): Promise<Lint> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'test', 'support', 'lintProbes.mjs')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (status) => (status === 0 ? resolve(JSON.parse(stdout) as Lint) : reject(new Error(`lint probes failed (${status}): ${stderr}`))));
    // Written a moment after the start, as a loaded machine may: the script must wait for its input
    // (a synchronous read of stdin failed with EAGAIN in one CI run).
    setTimeout(() => child.stdin.end(JSON.stringify(probes)), 200);
  });
}

function importLine(fromFile: string, target: string): string {
  let rel = path.relative(path.dirname(fromFile), target).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return `import * as m from '${rel}';`;
}

/** Part name -> the folder a probe file is put in. */
let lint: Lint;
const probeFile = (folder: string) => `${folder}/__boundaryProbe.ts`;

beforeAll(async () => {
  // Ask once for the folders, then lint one probe per part that imports every other part (a line
  // each), and one per part and SDK.
  const first = await lintProbes([]);
  const probes: Array<{ file: string; code: string }> = [];
  for (const folder of Object.values(first.parts)) {
    const file = probeFile(folder);
    probes.push({ file, code: Object.values(TARGETS).map((t) => importLine(file, t)).join('\n') + '\n' });
    probes.push({ file: file.replace('.ts', 'Sdk.ts'), code: first.sdks.flatMap((s) => s.modules).map((m) => `import * as x from '${m}';`).join('\n') + '\n' });
  }
  lint = await lintProbes(probes);
}, 120_000);

function errorsOf(file: string): ProbeResult {
  const found = lint.results.find((r) => r.file === file);
  if (!found) throw new Error(`no lint result for ${file}`);
  expect(found.fatal).toEqual([]);
  return found;
}

/** Which parts a folder's probe was refused, by line. */
function refusedParts(fromPart: string): string[] {
  const result = errorsOf(probeFile(lint.parts[fromPart]!));
  const names = Object.keys(TARGETS);
  return result.boundaryErrors.map((e) => names[e.line - 1]!).sort();
}

function refusedSdks(fromPart: string): string[] {
  const result = errorsOf(probeFile(lint.parts[fromPart]!).replace('.ts', 'Sdk.ts'));
  const modules = lint.sdks.flatMap((s) => s.modules);
  return result.boundaryErrors.map((e) => modules[e.line - 1]!).sort();
}

describe('folder boundaries (npm run lint)', () => {
  it('every part has a real module to import in this test, and every target exists', () => {
    expect(Object.keys(TARGETS).sort()).toEqual(Object.keys(lint.parts).sort());
    for (const target of Object.values(TARGETS)) expect(existsSync(path.join(ROOT, `${target}.ts`))).toBe(true);
  });

  // The boundaries the architecture exists for, written out here rather than read from the config.
  it.each([
    ['policy', ['cards', 'storage', 'services', 'bot', 'dialogs', 'delivery', 'host', 'tab', 'telemetry']],
    ['cards', ['storage', 'services', 'bot', 'dialogs', 'delivery', 'host']],
    ['storage', ['cards', 'services', 'bot', 'delivery', 'host']],
    ['services', ['bot', 'dialogs', 'jobs', 'tab', 'host']],
    ['delivery', ['services', 'bot', 'dialogs', 'jobs', 'host']],
    ['bot', ['tab', 'host', 'jobs']],
    ['tab', ['bot', 'dialogs', 'host', 'jobs', 'delivery']],
    ['dialogs', ['bot', 'host', 'storage', 'delivery']],
    ['jobs', ['bot', 'dialogs', 'host', 'tab']],
  ])('%s/ may not import %j', (from, forbidden) => {
    const refused = refusedParts(from);
    for (const part of forbidden) expect(refused).toContain(part);
  });

  it.each([
    ['services', ['botbuilder', 'botbuilder-dialogs', 'botframework-connector', 'restify', '@azure/data-tables']],
    ['policy', ['botbuilder', 'restify', '@azure/data-tables', '@microsoft/teams-js']],
    ['cards', ['botbuilder', 'restify', 'adaptivecards']],
    ['jobs', ['botbuilder', 'restify']],
    ['tab', ['botbuilder', '@azure/data-tables']],
    ['host', ['botbuilder', '@azure/data-tables']],
  ])('%s/ may not use the SDKs %j', (from, forbidden) => {
    const refused = refusedSdks(from);
    for (const sdk of forbidden) expect(refused).toContain(sdk);
  });

  it('bot/, dialogs/ and delivery/ may use botbuilder; storage/ the table client', () => {
    expect(refusedSdks('bot')).not.toContain('botbuilder');
    expect(refusedSdks('dialogs')).not.toContain('botbuilder-dialogs');
    expect(refusedSdks('delivery')).not.toContain('botbuilder');
    expect(refusedSdks('storage')).not.toContain('@azure/data-tables');
  });

  // Every line of the rule bites, and nothing else is refused: the matrix, part by part.
  it('refuses exactly the imports architecture.mjs does not allow, for every part', () => {
    for (const from of Object.keys(lint.parts)) {
      const allowed = new Set([from, ...(lint.mayImport[from] ?? [])]);
      const expected = Object.keys(TARGETS).filter((to) => !allowed.has(to)).sort();
      expect({ from, refused: refusedParts(from) }).toEqual({ from, refused: expected });
      const sdkExpected = lint.sdks.filter((s) => !s.only.includes(from)).flatMap((s) => s.modules).sort();
      expect({ from, refusedSdks: refusedSdks(from) }).toEqual({ from, refusedSdks: sdkExpected });
    }
  });

  it('the error names the rule and where to read about it', () => {
    const message = errorsOf(probeFile('bot')).boundaryErrors.find((e) => e.line === Object.keys(TARGETS).indexOf('tab') + 1)?.message;
    expect(message).toMatch(/^bot\/ may not import tab .*docs\/ARCHITECTURE\.md/);
  });
});
