import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { z } from 'zod';
import { BOT_COMMANDS } from '../appPackage/appText';
import { ACCENT_COLOUR, decodePng, DecodedImage, isWhiteOrTransparent, loadIcons, type AppIcons } from '../appPackage/icons';
import { buildManifest, MANIFEST_SCHEMA_URL, type TeamsManifest } from '../appPackage/manifest';
import { PNG } from 'pngjs';
import { packageSettingsFromEnv, type PackageSettings } from '../appPackage/settings';
import { teamsRuleProblems } from '../appPackage/teamsRules';
import { loadManifestSchema, MANIFEST_SCHEMA_PATH, manifestProblems, schemaProblems } from '../appPackage/validation';
import { buildAppPackage } from '../appPackage/zip';
import { recogniseIntent } from '../dialogs/intents';
import { runCommand } from './support/runTool';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'dist', 'scripts', 'package.js');
const BOT_APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const SAMPLE_ENV = { MicrosoftAppId: BOT_APP_ID, PUBLIC_BASE_URL: 'https://swbot.example.org' };
const PACKAGE_VERSION = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))).version;

function settingsFrom(env: Record<string, string>): PackageSettings {
  const result = packageSettingsFromEnv(env, { packageVersion: PACKAGE_VERSION });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.settings;
}

function problemsFrom(env: Record<string, string>): string[] {
  const result = packageSettingsFromEnv(env, { packageVersion: PACKAGE_VERSION });
  return result.ok ? [] : result.problems;
}

const schema = loadManifestSchema();
const sampleManifest = (): TeamsManifest => buildManifest(settingsFrom(SAMPLE_ENV));

const ICONS_DIR = path.join(ROOT, 'appPackage', 'icons');

function shippedIcons(): AppIcons {
  const loaded = loadIcons(ICONS_DIR);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.icons;
}

const readPng = decodePng;
const pngSize = (bytes: Buffer) => {
  const { width, height } = decodePng(bytes);
  return { width, height };
};

/** A PNG of one colour, for a trust's own (here, wrong) icons. */
function solidPng(size: number, rgba: readonly [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) png.data.set(rgba, i);
  return PNG.sync.write(png);
}

function pixelsOf(image: DecodedImage, predicate: (r: number, g: number, b: number, a: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += 4) if (predicate(image.pixels[i]!, image.pixels[i + 1]!, image.pixels[i + 2]!, image.pixels[i + 3]!)) count++;
  return count;
}

const whiteOrTransparent = isWhiteOrTransparent;

describe('the package settings from the environment', () => {
  it('needs only the bot id and the public address, and fills in the rest', () => {
    const s = settingsFrom({ MicrosoftAppId: BOT_APP_ID.toUpperCase(), PUBLIC_BASE_URL: 'https://SWBot.Example.org/' });
    expect(s).toEqual({
      teamsAppId: BOT_APP_ID,
      botAppId: BOT_APP_ID,
      tabAppId: BOT_APP_ID,
      version: PACKAGE_VERSION,
      publicBaseUrl: 'https://swbot.example.org',
      host: 'swbot.example.org',
      nameSuffix: '',
      developer: {
        name: 'School safeguarding team',
        websiteUrl: 'https://swbot.example.org/tab/',
        privacyUrl: 'https://swbot.example.org/tab/privacy.html',
        termsOfUseUrl: 'https://swbot.example.org/tab/terms.html',
      },
    });
  });

  it('takes every optional value when given, and treats blank values as unset', () => {
    const s = settingsFrom({
      ...SAMPLE_ENV,
      PUBLIC_BASE_URL: 'https://bot.example.org:8443',
      TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555',
      APP_VERSION: '2.10.0',
      APP_NAME_SUFFIX: ' (test)',
      DEVELOPER_NAME: 'Oakfield Academy Trust',
      DEVELOPER_WEBSITE_URL: 'https://oakfield.example.org/',
      PRIVACY_URL: 'https://oakfield.example.org/privacy',
      TERMS_URL: '',
    });
    expect(s.teamsAppId).toBe('11111111-2222-3333-4444-555555555555');
    expect(s.botAppId).toBe(BOT_APP_ID);
    expect(s.host).toBe('bot.example.org:8443');
    expect(s.version).toBe('2.10.0');
    expect(s.developer).toEqual({
      name: 'Oakfield Academy Trust',
      websiteUrl: 'https://oakfield.example.org/',
      privacyUrl: 'https://oakfield.example.org/privacy',
      termsOfUseUrl: 'https://bot.example.org:8443/tab/terms.html',
    });
  });

  it('names each missing variable on its own line', () => {
    const problems = problemsFrom({});
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^MicrosoftAppId: is not set/);
    expect(problems[1]).toMatch(/^PUBLIC_BASE_URL: is not set/);
  });

  it.each([
    ['http://swbot.example.org', /^PUBLIC_BASE_URL: must start with https:\/\//],
    ['swbot.example.org', /^PUBLIC_BASE_URL: must be a full address starting with https:\/\//],
    ['https://swbot.example.org/bot', /^PUBLIC_BASE_URL: must be just the https:\/\/ address of the host, with no path/],
    ['https://swbot.example.org/?x=1', /^PUBLIC_BASE_URL: must be just the https:\/\/ address/],
    ['https://user:secret@swbot.example.org', /^PUBLIC_BASE_URL: must not contain a user name or password/],
  ])('rejects PUBLIC_BASE_URL=%s with a message naming it', (url, message) => {
    const problems = problemsFrom({ ...SAMPLE_ENV, PUBLIC_BASE_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports every bad value at once, one line per variable, quoting what it got', () => {
    const problems = problemsFrom({
      MicrosoftAppId: 'my-bot',
      PUBLIC_BASE_URL: 'https://swbot.example.org',
      TEAMS_APP_ID: '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
      APP_VERSION: '1.0',
      APP_NAME_SUFFIX: ' (a very long suffix)',
      DEVELOPER_NAME: 'x'.repeat(33),
      PRIVACY_URL: 'http://oakfield.example.org/privacy',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['MicrosoftAppId', 'TEAMS_APP_ID', 'APP_VERSION', 'APP_NAME_SUFFIX', 'DEVELOPER_NAME', 'PRIVACY_URL']);
    expect(problems[0]).toContain('"my-bot"');
    expect(problems[2]).toContain('"1.0"');
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it("says when a bad version came from package.json", () => {
    const result = packageSettingsFromEnv(SAMPLE_ENV, { packageVersion: '1.0.0-beta.1' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([expect.stringMatching(/^APP_VERSION: .*"1\.0\.0-beta\.1".*package\.json/)]);
  });
});

describe('the manifest', () => {
  it(`passes the official v1.30 schema, loaded from disk (${path.relative(ROOT, MANIFEST_SCHEMA_PATH)})`, async () => {
    expect(await schemaProblems(sampleManifest(), schema)).toEqual([]);
    expect(teamsRuleProblems(sampleManifest())).toEqual([]);
  });

  it('passes with every optional setting too', async () => {
    const manifest = buildManifest(
      settingsFrom({ ...SAMPLE_ENV, PUBLIC_BASE_URL: 'https://bot.example.org:8443/', TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555', APP_NAME_SUFFIX: ' (test)', DEVELOPER_NAME: 'x'.repeat(32) }),
    );
    expect(await manifestProblems(manifest, schema)).toEqual([]);
    expect(manifest.name.short).toBe('Social worker policy (test)');
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
  });

  it('declares schema v1.30', () => {
    const manifest = sampleManifest();
    expect(manifest.$schema).toBe(MANIFEST_SCHEMA_URL);
    expect(manifest.$schema).toBe('https://developer.microsoft.com/en-us/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.30');
    expect(schema).toMatchObject({ properties: { manifestVersion: { const: '1.30' } } });
  });

  it('has the bot in personal, team and group-chat scopes, with the command menu', () => {
    const [bot, ...others] = sampleManifest().bots ?? [];
    expect(others).toEqual([]);
    expect(bot).toMatchObject({ botId: BOT_APP_ID, scopes: ['personal', 'team', 'groupChat'], supportsFiles: false, isNotificationOnly: false });
    expect(bot?.commandLists).toEqual([{ scopes: ['personal'], commands: BOT_COMMANDS.map((c) => ({ title: c.title, description: c.description })) }]);
    expect(bot?.commandLists?.[0]?.commands.map((c) => c.title)).toEqual(['attendance', 'suspension', 'new starter', 'pep', 'help']);
  });

  it('offers only commands the bot understands', () => {
    const expected: Record<string, string> = { attendance: 'attendance', suspension: 'suspension', 'new starter': 'admission', pep: 'pep' };
    for (const { title } of BOT_COMMANDS) {
      const intent = recogniseIntent(title);
      if (title === 'help') expect(intent).toEqual({ kind: 'help' });
      else expect(intent).toEqual({ kind: 'start', dialog: expected[title] });
    }
  });

  it('has the dashboard as a personal tab at https://<host>/tab/, and keeps the chat', () => {
    expect(sampleManifest().staticTabs).toEqual([
      { entityId: 'dashboard', name: 'Dashboard', contentUrl: 'https://swbot.example.org/tab/', websiteUrl: 'https://swbot.example.org/tab/', scopes: ['personal'] },
      { entityId: 'conversations', scopes: ['personal'] },
    ]);
  });

  it('names the tab\'s own Entra app for single sign-on when the bot is a managed identity (TAB_APP_ID)', () => {
    const TAB_APP_ID = '7d3e9c41-52b8-4f0e-9a61-2c4b8e1f0a93';
    const manifest = buildManifest(settingsFrom({ ...SAMPLE_ENV, TAB_APP_ID }));
    expect(manifest.webApplicationInfo).toEqual({ id: TAB_APP_ID, resource: `api://swbot.example.org/${TAB_APP_ID}` });
    // The bot itself is still the managed identity's app id.
    expect(manifest.bots?.[0]?.botId).toBe(BOT_APP_ID);
    expect(() => settingsFrom({ ...SAMPLE_ENV, TAB_APP_ID: 'not-a-guid' })).toThrow(/TAB_APP_ID/);
  });

  it('has single sign-on and valid domains as bare hosts', () => {
    const manifest = sampleManifest();
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_APP_ID, resource: `api://swbot.example.org/${BOT_APP_ID}` });
    expect(manifest.validDomains).toEqual(['swbot.example.org']);
    for (const domain of manifest.validDomains ?? []) expect(domain).not.toMatch(/:\/\/|\//);
    expect(manifest.permissions).toEqual(['identity', 'messageTeamMembers']);
    expect(manifest.defaultInstallScope).toBe('personal');
    expect(manifest.accentColor).toBe(ACCENT_COLOUR);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('keeps a port in validDomains and the SSO resource', () => {
    const manifest = buildManifest(settingsFrom({ ...SAMPLE_ENV, PUBLIC_BASE_URL: 'https://bot.example.org:8443' }));
    expect(manifest.validDomains).toEqual(['bot.example.org:8443']);
    expect(manifest.webApplicationInfo?.resource).toBe(`api://bot.example.org:8443/${BOT_APP_ID}`);
    expect(manifest.staticTabs?.[0]?.contentUrl).toBe('https://bot.example.org:8443/tab/');
  });

  it('tells people it is for school staff and holds sensitive safeguarding information', () => {
    const { description } = sampleManifest();
    expect(description.full).toMatch(/school staff/);
    expect(description.full).toMatch(/sensitive safeguarding information/);
  });
});

describe('validation can fail', () => {
  it('the schema reports a bad app id, a bad colour and a missing field', async () => {
    const good = sampleManifest();
    const { developer: _developer, ...withoutDeveloper } = good;
    const broken = { ...withoutDeveloper, id: 'not-a-guid', accentColor: 'teal' } as unknown as TeamsManifest;
    const problems = await schemaProblems(broken, schema);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/id /), expect.stringMatching(/^\/accentColor /), expect.stringContaining("must have required property 'developer'")]));
  });

  it('the schema reports an over-long short name and a bot scope it does not know', async () => {
    const good = sampleManifest();
    const broken = { ...good, name: { short: 'x'.repeat(31) }, bots: [{ ...good.bots![0]!, scopes: ['channel'] }] } as unknown as TeamsManifest;
    const problems = await schemaProblems(broken, schema);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/name\/short /), expect.stringMatching(/^\/bots\/0\/scopes\/0 /)]));
  });

  it('our Teams rules report what the schema lets through: a scheme in validDomains, and tab and SSO hosts not listed', async () => {
    const good = sampleManifest();
    const broken: TeamsManifest = { ...good, validDomains: ['https://swbot.example.org'] };
    expect(await schemaProblems(broken, schema)).toEqual([]);
    const problems = await manifestProblems(broken, schema);
    expect(problems).toEqual([
      expect.stringMatching(/^validDomains\[0\]: must be a bare host name .*"https:\/\/swbot\.example\.org"/),
      'staticTabs[0].contentUrl: its host swbot.example.org must be listed in validDomains',
      'webApplicationInfo.resource: its host swbot.example.org must be listed in validDomains',
    ]);
  });

  it('our Teams rules hold bot commands to Teams\' length limits', () => {
    const good = sampleManifest();
    const bot = good.bots![0]!;
    const broken: TeamsManifest = { ...good, bots: [{ ...bot, commandLists: [{ scopes: ['personal'], commands: [{ title: 'x'.repeat(33), description: 'y'.repeat(129) }, { title: 'help' }, { title: 'Help' }] }] }] };
    expect(teamsRuleProblems(broken)).toEqual([
      'bots[0].commandLists[0].commands[0].title: must be at most 32 characters',
      'bots[0].commandLists[0].commands[0].description: must be at most 128 characters',
      'bots[0].commandLists[0].commands[2].title: "Help" appears twice in the same list',
    ]);
  });
});

describe('the icons', () => {
  it('are the PNG files in appPackage/icons/, and pass the checks Teams applies', () => {
    expect(loadIcons(ICONS_DIR)).toEqual({ ok: true, icons: { color: readFileSync(path.join(ICONS_DIR, 'color.png')), outline: readFileSync(path.join(ICONS_DIR, 'outline.png')) } });
  });

  it('the colour icon is 192x192: teal background, white shield, transparent corners', () => {
    const png = shippedIcons().color;
    expect(pngSize(png)).toEqual({ width: 192, height: 192 });
    const image = readPng(png);
    const at = (x: number, y: number): number[] => [...image.pixels.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    expect(at(0, 0)[3]).toBe(0);
    expect(at(10, 96)).toEqual([0x0f, 0x6e, 0x6e, 255]);
    expect(at(96, 60)).toEqual([255, 255, 255, 255]);
    expect(pixelsOf(image, (r, g, b, a) => a === 255 && r === 0x0f && g === 0x6e && b === 0x6e)).toBeGreaterThan(192 * 192 * 0.5);
  });

  it('the outline icon is 32x32, only white or fully transparent, with a visible shape', () => {
    const png = shippedIcons().outline;
    expect(pngSize(png)).toEqual({ width: 32, height: 32 });
    const image = readPng(png);
    expect(pixelsOf(image, (r, g, b, a) => !whiteOrTransparent(r, g, b, a))).toBe(0);
    const opaque = pixelsOf(image, (_r, _g, _b, a) => a === 255);
    expect(opaque).toBeGreaterThan(200);
    expect(opaque).toBeLessThan(32 * 32 - 200);
  });

  describe("a trust's own icons", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'trust-icons-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('are taken as they are when they fit', async () => {
      await writeFile(path.join(dir, 'color.png'), solidPng(192, [200, 30, 60, 255]));
      await writeFile(path.join(dir, 'outline.png'), solidPng(32, [255, 255, 255, 128]));
      const loaded = loadIcons(dir);
      expect(loaded.ok).toBe(true);
      if (loaded.ok) expect([...readPng(loaded.icons.color).pixels.subarray(0, 4)]).toEqual([200, 30, 60, 255]);
    });

    it('are refused, each problem named with its file, when the size, the colours or the format are wrong, or one is missing', async () => {
      await writeFile(path.join(dir, 'color.png'), solidPng(180, [200, 30, 60, 255]));
      await writeFile(path.join(dir, 'outline.png'), solidPng(32, [0, 0, 0, 255]));
      expect(loadIcons(dir)).toEqual({
        ok: false,
        problems: [
          `${path.join(dir, 'color.png')}: the colour icon must be 192x192 pixels, not 180x180`,
          `${path.join(dir, 'outline.png')}: the outline icon must be white on transparent only; 1024 pixels have another colour`,
        ],
      });
      await writeFile(path.join(dir, 'color.png'), 'not a png');
      await rm(path.join(dir, 'outline.png'));
      expect(loadIcons(dir)).toEqual({
        ok: false,
        problems: [`${path.join(dir, 'color.png')}: the colour icon is not a PNG file that can be read`, `${path.join(dir, 'outline.png')}: the outline icon is missing (a 32x32 PNG)`],
      });
    });
  });

  it('the package is reproducible', async () => {
    expect((await buildAppPackage(sampleManifest(), shippedIcons())).equals(await buildAppPackage(sampleManifest(), shippedIcons()))).toBe(true);
  });
});

/** The package script and the build, run with only the environment given (and PATH). */
const run = (command: string, args: readonly string[], env: Record<string, string>) => runCommand(command, args, { PATH: process.env.PATH ?? '', ...env });

const SOURCES = [
  path.join(ROOT, 'scripts', 'package.ts'),
  ...readdirSync(path.join(ROOT, 'appPackage'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(ROOT, 'appPackage', f)),
];

function builtIsFresh(): boolean {
  if (!existsSync(SCRIPT)) return false;
  const built = statSync(SCRIPT).mtimeMs;
  return SOURCES.every((source) => statSync(source).mtimeMs <= built);
}

describe('npm run package (the built script)', () => {
  let dir: string;

  beforeAll(async () => {
    // `npm test` builds first; when this file is run on its own, build if the script is missing or stale.
    if (!builtIsFresh()) {
      const build = await run('npm', ['run', 'build', '--silent'], { HOME: process.env.HOME ?? '' });
      if (!builtIsFresh()) throw new Error(`npm run build did not produce ${SCRIPT}:\n${build.stdout}${build.stderr}`);
    }
  }, 120_000);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'app-package-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a zip of exactly manifest.json, color.png and outline.png, which match what was built', async () => {
    const out = path.join(dir, 'nested', 'app.zip');
    const result = await run(process.execPath, [SCRIPT, '--out', out], { ...SAMPLE_ENV, APP_NAME_SUFFIX: ' (test)' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const bytes = await readFile(out);
    expect(result.stdout).toContain(`${out} (${bytes.length} bytes)`);

    const zip = await JSZip.loadAsync(bytes);
    expect(Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const manifest: unknown = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest).toEqual(buildManifest(settingsFrom({ ...SAMPLE_ENV, APP_NAME_SUFFIX: ' (test)' })));
    expect(await schemaProblems(manifest as TeamsManifest, schema)).toEqual([]);

    const color = await zip.file('color.png')!.async('nodebuffer');
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    expect(pixelsOf(readPng(outline), (r, g, b, a) => !whiteOrTransparent(r, g, b, a))).toBe(0);
    expect(readPng(color).pixels.length).toBe(192 * 192 * 4);
  });

  it('refuses with one line naming a missing setting, and writes no zip', async () => {
    const out = path.join(dir, 'app.zip');
    const result = await run(process.execPath, [SCRIPT, '--out', out], { PUBLIC_BASE_URL: 'https://swbot.example.org' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^Configuration error: MicrosoftAppId: is not set/)]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("takes a trust's own icons from APP_ICONS_DIR, and refuses wrong ones without writing a zip", async () => {
    const icons = path.join(dir, 'icons');
    await mkdir(icons);
    await writeFile(path.join(icons, 'color.png'), solidPng(192, [200, 30, 60, 255]));
    await writeFile(path.join(icons, 'outline.png'), solidPng(32, [255, 255, 255, 255]));
    const out = path.join(dir, 'app.zip');
    const good = await run(process.execPath, [SCRIPT, '--out', out], { ...SAMPLE_ENV, APP_ICONS_DIR: icons });
    expect(good.status).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(out));
    expect((await zip.file('color.png')!.async('nodebuffer')).equals(await readFile(path.join(icons, 'color.png')))).toBe(true);

    await rm(out);
    await writeFile(path.join(icons, 'outline.png'), solidPng(32, [0, 120, 212, 255]));
    const bad = await run(process.execPath, [SCRIPT, '--out', out], { ...SAMPLE_ENV, APP_ICONS_DIR: icons });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('The icons are not what Teams accepts, so no package was written');
    expect(bad.stderr).toContain('outline.png: the outline icon must be white on transparent only');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an http:// address the same way', async () => {
    const out = path.join(dir, 'app.zip');
    const result = await run(process.execPath, [SCRIPT, '--out', out], { ...SAMPLE_ENV, PUBLIC_BASE_URL: 'http://swbot.example.org' });
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^Configuration error: PUBLIC_BASE_URL: must start with https:\/\//)]);
    expect(existsSync(out)).toBe(false);
  });
});
