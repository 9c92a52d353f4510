import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { digestCard } from '../../cards/digestCard';
import { DEMO_SCHOOL_ID, demoPupils, demoSchool } from '../../demo/demoSchool';
import { addDays, IsoDate, isoDate } from '../../policy/dates';
import { buildDigest } from '../../policy/digest';
import { Pupil, pupilSchema } from '../../policy/pupil';
import { AttendanceWeek } from '../../policy/schoolFigures';
import { loadSchoolProfile } from '../../policy/schoolProfile';
import { AttendanceHistoryRepository } from '../../storage/attendanceHistoryRepository';
import { PupilRepository } from '../../storage/pupilRepository';
import { TABLES } from '../../storage/tableStore';
import { startTestApp, TestApp } from '../support/app';
import { cardInPlayground, CardPlayground } from '../support/cardInPlayground';
import { launchChromium, openPlayground, openTabAs, seriousAccessibilityProblems } from '../support/chromium';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'digest');
const TERM_MONDAY = isoDate('2026-11-30');

/** The browser's globals this file reads inside the page (it is type-checked for Node). */
interface PageGlobals {
  document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
}

/** Twenty synthetic pupils the policy does not cover, so the whole school is more than the demo's few. */
function peers(schoolId: string): Pupil[] {
  return Array.from({ length: 20 }, (_, i) =>
    pupilSchema.parse({ id: `peer-${i}`, schoolId, givenName: 'Peer', familyName: `Synthetic${i}`, yearGroup: String((i % 6) + 1), dateOfBirth: '2017-01-01', statuses: [], attendancePercent: 92 + (i % 7), synthetic: true }),
  );
}

/** Five earlier weeks of made-up figures, the covered children slipping while the whole school holds. */
function history(thisWeek: IsoDate): AttendanceWeek[] {
  return [89.9, 89.4, 88.8, 88.5, 88.1].map((c, i) => ({ weekOf: addDays(thisWeek, -7 * (5 - i)), cohortAverage: c, cohortWithFigures: 11, schoolAverage: 92.9 - i * 0.1, schoolWithFigures: 32 }));
}

/**
 * The digest's charts as people see them: the card in the Agents Playground (which draws Teams'
 * charts), and the dashboard's "This week" in Chromium at a desktop and a phone's width. Pictures
 * in test-output/digest/.
 */
describe('the digest charts, in a real browser', () => {
  beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

  describe('the card, as Teams draws it', () => {
    let playground: CardPlayground;
    let browser: BrowserContext;
    let page: Page;
    const monday = isoDate('2026-11-30');

    beforeAll(async () => {
      const school = loadSchoolProfile(demoSchool);
      const pupils = [...demoPupils.map((p) => pupilSchema.parse({ ...p, schoolId: school.id })), ...peers(school.id)];
      const digest = buildDigest({
        school,
        now: new Date('2026-11-30T08:00:00Z'),
        today: monday,
        weekStart: monday,
        pupils,
        newCases: [{ ref: 'ATT-7KD2Q', caseType: 'attendance' }, { ref: 'SUS-3MX8P', caseType: 'suspension' }, { ref: 'ATT-9WW4R', caseType: 'attendance' }],
        awaitingDecision: [{ ref: 'SUS-3MX8P', raisedAt: '2026-11-27T10:00:00Z' }],
        openActions: [],
        recordedPeps: new Map(),
        termSuspensions: [],
        waitingForInstall: 0,
        attendanceHistory: history(monday),
      });
      playground = await cardInPlayground(digestCard(digest));
      ({ browser, page } = await openPlayground(playground.url));
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await playground?.stop();
    });

    it('shows the counts as whole-number bars with their labels in full, and attendance as two lines on whole-number gridlines', async () => {
      await page.locator('[data-lexical-editor="true"]').click();
      await page.keyboard.type('digest');
      await page.keyboard.press('Enter');
      const card = page.locator('.ac-adaptiveCard').last();
      await card.getByText('Weekly digest: children with a social worker, week of Mon 30 Nov 2026').waitFor();
      // Each label drawn in full: none wider than the room it has (Teams cuts such a label short with "…").
      for (const label of ['Previously in care', 'Social worker now', 'Covered by the policy', 'Whole school', '26 Oct', '30 Nov']) {
        const drawn = card.getByText(label, { exact: true });
        expect(await drawn.count()).toBeGreaterThan(0);
        for (const one of await drawn.all()) expect(await one.evaluate((e: { scrollWidth: number; clientWidth: number }) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
      }
      // The line's gridlines, 75 to 100 in fives: never a fraction.
      const gridlines = (await card.locator('svg text').allTextContents()).map((t) => t.trim()).filter((t) => /^\d+(\.\d+)?$/.test(t));
      expect(gridlines.map(Number).sort((a, b) => a - b)).toEqual([75, 80, 85, 90, 95, 100]);
      // Tall enough for the whole card to be on screen at once, as a picture of it.
      await page.setViewportSize({ width: 1100, height: 2800 });
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(SHOTS, '1-card-in-playground.png') });
      await card.getByRole('button', { name: 'Show the figures week by week' }).click();
      await card.getByText('Week of Mon 2 Nov 2026').waitFor();
      await card.screenshot({ path: path.join(SHOTS, '2-card-figures-week-by-week.png') });
    });
  });

  describe('the dashboard’s "This week"', () => {
    let app: TestApp;
    let browser: Browser;

    beforeAll(async () => {
      // The bot's clock set to a Monday in term: on the real date, the five earlier weeks would cross
      // 1 August in the first weeks of a school year, where the line rightly starts again.
      app = await startTestApp({ CLOCK_START: `${TERM_MONDAY}T08:00:00Z` });
      await new PupilRepository(app.store.client(TABLES.pupils)).saveAll(DEMO_SCHOOL_ID, peers(DEMO_SCHOOL_ID));
      const weeks = new AttendanceHistoryRepository(app.store.client(TABLES.cases));
      for (const w of history(TERM_MONDAY)) await weeks.record(DEMO_SCHOOL_ID, w, new Date(`${TERM_MONDAY}T08:00:00Z`));
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await app?.stop();
    });

    it.each([
      [1100, '3-tab-this-week'],
      [375, '4-tab-this-week-375-px'],
    ])('at %i px: bars on whole-number scales, the attendance line with every figure in its table, nothing cut off', async (width, shot) => {
      const { page, problems } = await openTabAs(browser, app.url, 'Megan Bowen', { width });
      await page.getByRole('navigation').getByRole('link', { name: 'This week' }).click();
      const table = page.getByRole('table', { name: 'The figures, week by week (%)' });
      await table.waitFor();
      // Six weeks: the five kept and this one, each with both figures in words.
      expect(await table.locator('tbody tr').count()).toBe(6);
      await expect(table.innerText()).resolves.toContain('88.1%');
      const ticks = await page.locator('.bar-tick').allInnerTexts();
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.every((t) => /^\d+$/.test(t))).toBe(true);
      const view = await page.locator('#view').innerText();
      expect(view).toContain('Persistently absent (10%+ missed), of the children covered');
      expect(view).toContain('of whom severely absent (50%+)');
      const overflow = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
      expect(overflow).toBeLessThanOrEqual(width);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: true });
      await page.locator('#view .grid').screenshot({ path: path.join(SHOTS, `${shot}-charts.png`) });
      await page.context().close();
    });
  });
});
