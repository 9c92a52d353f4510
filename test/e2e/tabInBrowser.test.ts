import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser } from 'playwright-core';
import { DEMO_SCHOOL_ID, DEMO_STAFF } from '../../demo/demoSchool';
import { RecordAuditRepository } from '../../storage/recordAuditRepository';
import { TABLES } from '../../storage/tableStore';
import { postActivity } from '../support/activities';
import { launchChromium, openTabAs, seriousAccessibilityProblems } from '../support/chromium';
import { startTestApp, TestApp } from '../support/app';
import { ConnectorStub } from '../support/connectorStub';
import { attendanceUpToConfirm, confirmActivity } from '../support/httpFlows';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'tab');

/** The little of the browser's globals this file touches inside the page (it is type-checked for Node). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null };
}

/**
 * The dashboard tab in Debian's Chromium, in local mode with the development sign-in, against the
 * synthetic demo school: the DT sees the cohort and opens a child's chronology (and that opening
 * is in the audit trail); a class teacher is refused the same record; the DSL, on a phone, searches
 * and filters the children, marks an action done with a note and exports the chronology. Every
 * view is checked with axe-core, at 320 and 375 px wide, and in Teams' dark and high-contrast
 * themes. Screenshots go to test-output/tab/.
 */
describe('the dashboard tab, in a real browser', () => {
  let connector: ConnectorStub;
  let app: TestApp;
  let browser: Browser;
  let audit: RecordAuditRepository;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    connector = new ConnectorStub();
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url });
    audit = new RecordAuditRepository(app.store.client(TABLES.cases));
    // A concern about Sam (a child in care), so the chronology has something in it.
    const draftId = await attendanceUpToConfirm(app.url, connector, 'conv-tab-e2e', 'Sam Thistlewood');
    expect((await postActivity(app.url, confirmActivity(connector, 'conv-tab-e2e', draftId))).status).toBe(200);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await connector?.stop();
  });

  const openAs = (name: string, o: { width?: number; theme?: 'dark' | 'contrast' } = {}) => openTabAs(browser, app.url, name, o);


  it('the DT signs in, sees the demo cohort, opens a child’s chronology, and the opening is in the audit trail', async () => {
    const { page, problems } = await openAs('Adele Vance');
    const cohort = page.getByRole('table', { name: /Children in the cohort/ });
    await cohort.waitFor();
    await expect(cohort.getByRole('link', { name: 'Sam Thistlewood' }).isVisible()).resolves.toBe(true);
    // Children on a child protection plan are the DSL's, not the DT's.
    await expect(cohort.getByText('Amara Windmere').count()).resolves.toBe(0);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '01-dt-cohort.png'), fullPage: true });
    // The check can fail: an unlabelled field added to the page is caught.
    await page.evaluate("document.getElementById('view').append(Object.assign(document.createElement('input'), { id: 'canary' }))");
    expect((await seriousAccessibilityProblems(page)).join(' ')).toMatch(/#canary/);
    await page.evaluate("document.getElementById('canary').remove()");

    const before = (await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01')).length;
    await cohort.getByRole('link', { name: 'Sam Thistlewood' }).click();
    await page.getByRole('heading', { name: 'Sam Thistlewood', level: 2 }).waitFor();
    await page.getByRole('heading', { name: /Attendance concern ATT-/ }).waitFor();
    await expect(page.getByText('Attendance concern raised').isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '02-dt-chronology.png'), fullPage: true });

    const log = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)).toMatchObject({ action: 'viewedChronology', actor: { aadObjectId: DEMO_STAFF.dt.aadObjectId, name: 'Adele Vance' } });
    // And the page itself lists who has opened the record.
    await expect(page.getByRole('list').filter({ hasText: 'Adele Vance,' }).count()).resolves.toBeGreaterThan(0);

    for (const [section, shot] of [['Actions and PEPs', '03-dt-actions'], ['This week', '04-dt-digest'], ['Load the register', '05-dt-register']] as const) {
      await page.getByRole('navigation').getByRole('link', { name: section }).click();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent === '');
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('a class teacher is refused the same child’s record, and the refusal is recorded', async () => {
    const { page } = await openAs('Alex Wilber');
    await page.getByText('This dashboard is for the DSL').waitFor();
    await expect(page.getByRole('navigation').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: path.join(SHOTS, '06-teacher-home.png'), fullPage: true });

    await page.evaluate("location.hash = '#/child/demo-p01'");
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('not yours to open');
    await expect(page.getByText('Thistlewood').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SHOTS, '07-teacher-refused.png'), fullPage: true });
    const log = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    expect(log.at(-1)).toMatchObject({ action: 'refused', actor: { name: 'Alex Wilber' } });
    await page.context().close();
  }, 60_000);

  it('the DSL works from the dashboard on a phone (375 px): searches and filters the children, marks an action done with a note, and exports the chronology', async () => {
    const { page, problems } = await openAs('Megan Bowen', { width: 375 });
    const overflow = () => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    const cohort = page.getByRole('table', { name: /Children in the cohort/ });
    await cohort.waitFor();
    await expect(cohort.getByRole('link', { name: 'Amara Windmere' }).isVisible()).resolves.toBe(true);

    // Search as she types: part of a family name.
    await page.getByLabel('Search by name').pressSequentially('thist');
    await page.getByRole('status').filter({ hasText: 'Showing 1 of' }).waitFor();
    await expect(cohort.getByRole('link').allTextContents()).resolves.toEqual(['Sam Thistlewood']);
    await page.screenshot({ path: path.join(SHOTS, '10-dsl-375-search.png'), fullPage: true });

    // Filters: children in care with open actions, sorted by attendance; a child on a protection plan drops out.
    await page.getByLabel('Search by name').fill('');
    // On a phone the filters are folded under the search box.
    await expect(page.getByLabel('Status').isVisible()).resolves.toBe(false);
    await page.getByText('Filters and sorting').click();
    await page.getByLabel('Status').selectOption({ label: 'In care' });
    await page.getByLabel('Actions', { exact: true }).selectOption({ label: 'With open actions' });
    await page.getByLabel('Sort by').selectOption({ label: 'Lowest attendance' });
    await page.getByRole('status').filter({ hasText: /Showing \d+ of \d+ children, sorted by lowest attendance/ }).waitFor();
    const names = await cohort.getByRole('link').allTextContents();
    expect(names).toContain('Sam Thistlewood');
    expect(names).not.toContain('Amara Windmere');
    expect(page.url()).toContain('status=inCare');
    await expect(page.getByText('Filters and sorting (2 in use)').isVisible()).resolves.toBe(true);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, '11-dsl-375-filtered.png'), fullPage: true });

    // Mark one of Sam's actions done, with how it ended and a note.
    await page.getByRole('navigation').getByRole('link', { name: 'Actions and PEPs' }).click();
    const actions = page.getByRole('table', { name: /Open actions/ });
    await actions.waitFor();
    const samRow = actions.getByRole('row').filter({ hasText: 'Sam Thistlewood' }).first();
    const label = (await samRow.locator('td[data-label="Action"]').textContent())!;
    const samBefore = await actions.getByRole('row').filter({ hasText: 'Sam Thistlewood' }).count();
    await samRow.getByText('Mark done or give to someone').click();
    await samRow.getByLabel('Done, and more is needed').check();
    const note = 'Carers phoned (synthetic): a review meeting is booked.';
    await samRow.getByLabel('Note').fill(note);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, '12-dsl-375-mark-done.png'), fullPage: true });
    await samRow.getByRole('button', { name: 'Mark done' }).click();
    const flash = page.getByRole('status').filter({ hasText: 'Done, and more is needed' });
    await flash.waitFor();
    await expect(flash.textContent()).resolves.toContain(label);
    await expect(actions.getByRole('row').filter({ hasText: 'Sam Thistlewood' }).count()).resolves.toBe(samBefore - 1);
    await page.screenshot({ path: path.join(SHOTS, '13-dsl-375-marked-done.png'), fullPage: true });

    // Sam's record: the chronology newest first, with the note; filtered by kind.
    await actions.getByRole('link', { name: 'Sam Thistlewood' }).first().click();
    await page.getByRole('heading', { name: 'Sam Thistlewood', level: 2 }).waitFor();
    const timeline = page.getByRole('list', { name: 'Chronology' });
    await expect(timeline.getByRole('listitem').first().textContent()).resolves.toContain('Opened this record');
    await expect(timeline.getByText(`Note: ${note}`).isVisible()).resolves.toBe(true);
    await page.getByLabel(/^Openings of the record/).uncheck();
    await page.getByRole('status').filter({ hasText: 'hidden: openings of the record' }).waitFor();
    await expect(timeline.getByText('Opened this record').count()).resolves.toBe(0);
    await expect(timeline.getByRole('listitem').first().textContent()).resolves.toContain(`Done, and more is needed: ${label}`);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    expect(await overflow()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, '14-dsl-375-chronology.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Download as PDF' }).isVisible()).resolves.toBe(false);
    await page.screenshot({ path: path.join(SHOTS, '15-dsl-chronology-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // Export: a PDF download, on record before the file is made.
    const exports = () => audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01').then((log) => log.filter((e) => e.action === 'exportedChronology').length);
    const before = await exports();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^chronology-demo-p01-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = path.join(SHOTS, 'chronology-from-browser.pdf');
    await download.saveAs(file);
    await page.getByText(/^Downloaded chronology-demo-p01/).waitFor();
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Chronology: Sam Thistlewood');
    expect(text).toContain('Carers phoned (synthetic)');
    expect(await exports()).toBe(before + 1);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  const layouts: Array<[string, { width?: number; theme?: 'dark' | 'contrast' }]> = [
    ['320 px wide', { width: 320 }],
    ['dark theme', { theme: 'dark' }],
    ['high-contrast theme', { theme: 'contrast' }],
    ['320 px wide, high contrast', { width: 320, theme: 'contrast' }],
  ];
  it.each(layouts)('works %s: no serious accessibility problems, nothing wider than the screen', async (label, options) => {
    const { page, problems } = await openAs('Megan Bowen', options);
    const slug = label.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await page.getByRole('table', { name: /Children in the cohort/ }).waitFor();
    const views: Array<[string, () => Promise<void>]> = [
      ['cohort', async () => undefined],
      ['chronology', async () => {
        await page.getByRole('link', { name: 'Sam Thistlewood' }).click();
        await page.getByRole('heading', { name: 'Sam Thistlewood', level: 2 }).waitFor();
      }],
      ['digest', async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'This week' }).click();
        await page.getByRole('heading', { name: /Week of/ }).waitFor();
      }],
    ];
    for (const [view, open] of views) {
      await open();
      expect({ view, problems: await seriousAccessibilityProblems(page) }).toEqual({ view, problems: [] });
      if (options.width) {
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect({ view, overflow }).toEqual({ view, overflow: 0 });
      }
      await page.screenshot({ path: path.join(SHOTS, `08-${slug}-${view}.png`), fullPage: true });
    }
    if (options.theme) await expect(page.evaluate("document.documentElement.getAttribute('data-theme')")).resolves.toBe(options.theme);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
