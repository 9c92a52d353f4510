import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isoDate } from '../policy/dates';
import { governorsReport, reportCsv } from '../policy/governorsReport';
import { CLA, CPLA, CWSW_CIN, profile, pupil } from './policy/fixtures';
import { startTestApp, TestApp } from './support/app';
import { runTool } from './support/runTool';
import { azuriteConnectionString } from './support/store';
import { DIGEST_NOT_POSTED } from '../services/digestService';

const TERM = { name: 'Autumn 2026', start: isoDate('2026-09-02'), end: isoDate('2026-12-18'), breaks: [] };

describe("the governors' termly report", () => {
  const school = profile('leys', { ppPlusNotes: '=HYPERLINK("http://evil.example") tutoring, as agreed at PEPs' });
  const cla = [1, 2, 3, 4].map((i) => pupil([CLA], { id: `c${i}`, attendancePercent: 90 + i }));
  const others = [
    ...[1, 2, 3].map((i) => pupil([CPLA], { id: `p${i}`, attendancePercent: 85 })),
    ...Array.from({ length: 10 }, (_, i) => pupil([], { id: `n${i}`, attendancePercent: 96 })),
    pupil([CWSW_CIN], { id: 'w1' }),
  ];

  it('counts by cohort, PEP compliance, attendance against peers and suspensions, hiding small numbers', () => {
    const r = governorsReport({
      school,
      term: TERM,
      pupils: [...cla, ...others],
      pepDates: new Map([
        ['c1', ['2026-10-01']],
        ['c2', ['2026-09-30']],
        ['c3', ['2026-11-20']],
        ['c4', ['2026-06-01']],
      ]),
      suspensions: [
        { pupilId: 'c1', days: 2, permanent: false },
        { pupilId: 'c1', days: 1, permanent: false },
        { pupilId: 'p1', days: 3, permanent: false },
      ],
    });
    expect(r.cohort.map((c) => [c.label, c.count.display])).toEqual([
      ['In care (looked after)', '4'],
      ['Previously in care (adoption, SGO, CAO)', '3'],
      ['With a social worker now (CiN or CP plan)', 'fewer than 3'],
      ['Had a social worker in the last 6 years', '0'],
      ['Kinship care', '0'],
      ['Covered by the policy, in all', '8'],
    ]);
    // 3 of 4 had a PEP this term: the 1 without would show through a percentage, so it is not shown.
    expect(r.pep.withPep.display).toBe('3');
    expect(r.pep.percent).toBeUndefined();
    expect(r.attendance.peers.average).toBe(96);
    expect(r.attendance.cohort.average).toBe(89.3); // (91 + 92 + 93 + 94 + 3 × 85) / 7
    expect(r.attendance.cohort).toMatchObject({ withFigures: 7, persistent: { display: '3' }, persistentPercent: 42.9, severe: { display: '0' } });
    expect(r.suspensions).toMatchObject({ cohortDays: 6, repeated: { display: 'fewer than 3' } });
    const csv = reportCsv(r);
    expect(csv).toContain(`pupil premium plus,Notes,"'=HYPERLINK(""http://evil.example"") tutoring, as agreed at PEPs",`);
  });
});

describe('the command-line tools on real storage', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.stop());
  const env = () => ({ PATH: process.env.PATH ?? '', AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: app.prefix, LOG_LEVEL: 'silent' });

  it('npm run report writes a PDF and a CSV; the PDF renders and reads as the report', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'swbot-report-'));
    const run = await runTool('report.js', ['--school', 'oakfield-demo', '--term', 'Autumn 2026', '--out', out], env());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const pdf = path.join(out, 'oakfield-demo-autumn-2026.pdf');
    expect(readFileSync(path.join(out, 'oakfield-demo-autumn-2026.csv'), 'utf8')).toContain('on roll,In care (looked after),3,');
    // Readable by their owner only, like everything the app writes.
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(out, 'oakfield-demo-autumn-2026.csv')).mode & 0o777).toBe(0o600);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Report to governors: Autumn 2026 (Wed 2 Sep 2026 to Fri 18 Dec 2026)');
    expect(text).toContain('DEMO DATA');
    expect(text).not.toMatch(/Thistlewood|Marchbank|Windmere/);
    expect(text).toMatch(/Persistently absent \(10% or more of\s+\d+ of 11/);
    // Every word inside the page's margins, and no two words of a line running into each other
    // (a label too long for its column would overlap the figure beside it).
    const words = [...execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' }).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</g)].map((m) => ({ x0: Number(m[1]), y: Math.round(Number(m[2])), x1: Number(m[3]), w: m[4] }));
    expect(words.length).toBeGreaterThan(100);
    expect(words.filter((w) => w.x0 < 55.9 || w.x1 > 595.28 - 55.9)).toEqual([]);
    const lines = new Map<number, typeof words>();
    for (const w of words) lines.set(w.y, [...(lines.get(w.y) ?? []), w]);
    const overlaps = [...lines.values()].flatMap((ws) => ws.sort((a, b) => a.x0 - b.x0).flatMap((w, i) => (i > 0 && w.x0 < ws[i - 1]!.x1 ? [`${ws[i - 1]!.w} / ${w.w}`] : [])));
    expect(overlaps).toEqual([]);
    // The first page, rendered as a picture, as a person would see it.
    const png = path.join(__dirname, '..', 'test-output', 'governors-report');
    mkdirSync(path.dirname(png), { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, png]);
    expect(statSync(`${png}.png`).size).toBeGreaterThan(5_000);
  });

  it('npm run report refuses an unknown term, naming the terms there are', async () => {
    const run = await runTool('report.js', ['--school', 'oakfield-demo', '--term', 'Michaelmas 2026'], env());
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No term called "Michaelmas 2026". Terms: Autumn 2025, Spring 2026');
  });

  it('npm run digest -- --dry-run prints the card', async () => {
    const run = await runTool('digest.js', ['--school', 'oakfield-demo', '--dry-run', '--at', '2026-11-30T08:00:00Z'], env());
    expect(run.status).toBe(0);
    const card = JSON.parse(run.stdout) as { type: string; body: Array<{ text?: string }> };
    expect(card.type).toBe('AdaptiveCard');
    expect(card.body[0]!.text).toBe('Weekly digest: children with a social worker, week of Mon 30 Nov 2026');
    expect(existsSync(path.join(__dirname, '..', 'dist', 'scripts', 'digest.js'))).toBe(true);
  });
});

describe('POST /api/digest', () => {
  const KEY = 'a-test-key-that-is-long-enough-123';
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ DIGEST_API_KEY: KEY });
  });
  afterAll(async () => app.stop());
  const post = (body: unknown, key?: string) =>
    fetch(`${app.url}/api/digest`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });

  it('refuses a missing or wrong key with 401', async () => {
    expect((await post({ school: 'oakfield-demo', dryRun: true })).status).toBe(401);
    expect((await post({ school: 'oakfield-demo', dryRun: true }, 'wrong-key-wrong-key-wrong-key')).status).toBe(401);
  });
  it('with the key: 400 for a bad body, 404 for an unknown school, the card for a dry run', async () => {
    expect((await post({ school: "x' or '1'='1" }, KEY)).status).toBe(400);
    expect((await post({ school: 'no-such-school' }, KEY)).status).toBe(404);
    const res = await post({ school: 'oakfield-demo', dryRun: true }, KEY);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { card: { type: string } }).card.type).toBe('AdaptiveCard');
  });
  it('posting without an SLT channel set says it was not posted', async () => {
    const res = await post({ school: 'oakfield-demo' }, KEY);
    expect(await res.json()).toEqual({ posted: false, reason: 'noChannel', explanation: DIGEST_NOT_POSTED.noChannel });
    expect(DIGEST_NOT_POSTED.noChannel).toMatch(/channel/);
  });
  it('is off (503) when no key is configured', async () => {
    const other = await startTestApp();
    try {
      expect((await fetch(`${other.url}/api/digest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(503);
    } finally {
      await other.stop();
    }
  });
});
