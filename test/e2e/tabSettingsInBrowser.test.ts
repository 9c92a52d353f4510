import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DEMO_SCHOOL_ID } from '../../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../../demo/seed';
import { PupilRepository } from '../../storage/pupilRepository';
import { RecordAuditRepository } from '../../storage/recordAuditRepository';
import { SchoolRepository } from '../../storage/schoolRepository';
import { TABLES, TableStore } from '../../storage/tableStore';
import { launchChromium, openTabAs, seriousAccessibilityProblems } from '../support/chromium';
import { startTestApp, TestApp } from '../support/app';
import { azuriteConnectionString, uniquePrefix } from '../support/store';
import { ORLA, seedWillowbrook, WILLOW_ID, willowbrookProfile } from '../support/trustSchool';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'tab');
const ICS = path.join(__dirname, '..', 'fixtures', 'term-dates-sample.ics');

/** The little of the browser's globals this file touches inside the page (it is type-checked for Node). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null; activeElement: { id: string } | null };
}

async function seed(): Promise<string> {
  const prefix = uniquePrefix();
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
  await store.ensureTables();
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupils = new PupilRepository(store.client(TABLES.pupils));
  await seedDemoSchoolIfEmpty(schools, pupils);
  await seedWillowbrook(store, willowbrookProfile(), [ORLA]);
  return prefix;
}

/**
 * The Settings view in Debian's Chromium, in local mode with the development sign-in: the DSL gives
 * the Designated Teacher's role to someone else with the person picker, checks and saves term dates
 * from the sample iCalendar file, adds a Virtual School contact, and finds a problem in the profile
 * by its line; someone on two schools switches school; a trust's administrator starts a new school
 * from the template. Every step is checked with axe-core, and the view at 320 px and in high
 * contrast. Screenshots go to test-output/tab/.
 */
describe('the dashboard tab’s Settings, in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let audit: RecordAuditRepository;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startTestApp({ TABLE_PREFIX: await seed() });
    audit = new RecordAuditRepository(app.store.client(TABLES.cases));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const openAs = (name: string, o: { width?: number; theme?: 'dark' | 'contrast' } = {}) => openTabAs(browser, app.url, name, o);

  const settled = (page: Page) => page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent === '');

  async function openSettings(page: Page): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 2, name: /^Settings/ }).waitFor();
    await settled(page);
  }

  it('the DSL gives the Designated Teacher’s role to someone else, saves term dates and a Virtual School, and finds a problem in the profile by its line', async () => {
    const { page, problems } = await openAs('Megan Bowen');
    await openSettings(page);
    await page.getByRole('heading', { name: 'Settings for Oakfield Primary (demo)', level: 2 }).waitFor();
    const roles = page.getByRole('table', { name: 'Who holds each role' });
    await expect(roles.getByRole('row', { name: /Designated Teacher/ }).textContent()).resolves.toContain('Adele Vance');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '20-settings-dsl.png'), fullPage: true });

    // Roles: the picker, Give, and the service's own summary, focused so it is read out.
    await page.getByLabel('Role', { exact: true }).selectOption('DT');
    await expect(page.locator('#role-hint').textContent()).resolves.toContain('takes it from Adele Vance');
    await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Lynne Robbins (lynne.robbins@oakfield.example.org)' });
    await page.getByRole('button', { name: 'Give the role' }).click();
    const flash = page.locator('#flash-roles');
    await flash.waitFor();
    await expect(flash.textContent()).resolves.toMatch(/Lynne Robbins is now the Designated Teacher.*\(was Adele Vance\)/);
    await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).resolves.toBe('flash-roles');
    await expect(page.getByRole('table', { name: 'Who holds each role' }).getByRole('row', { name: /Designated Teacher/ }).textContent()).resolves.toContain('Lynne Robbins');
    expect((await audit.settingsLog(DEMO_SCHOOL_ID)).at(-1)).toMatchObject({ action: 'roleGiven', actor: { name: 'Megan Bowen' }, detail: { role: 'DT', person: 'Lynne Robbins' } });
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '21-settings-role-given.png'), fullPage: true });

    // Term dates: check the file (the changes shown, nothing saved), then save.
    await page.getByLabel('Term dates file').setInputFiles(ICS);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('The file is fine. Saving it would change:').waitFor();
    await page.getByText(/Term dates changed: 3 terms/).waitFor();
    await page.getByText(/Sports day/).waitFor();
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '22-settings-term-dates-checked.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save the term dates' }).click();
    await page.locator('#flash-termDates', { hasText: 'The term dates are saved' }).waitFor();
    await page.getByText(/^3: Autumn term/).waitFor();

    // A Virtual School contact, the authority chosen from England's list.
    await page.getByLabel('Local authority', { exact: true }).selectOption('822');
    await page.getByLabel('Virtual School’s name').fill('Bedford Virtual School (synthetic)');
    await page.getByLabel('Email address').fill('virtualschool@bedford-vs.example.org');
    await page.getByRole('button', { name: 'Save the contact' }).click();
    await page.locator('#flash-virtualSchools', { hasText: 'Bedford (822)' }).waitFor();
    await expect(page.getByRole('table', { name: /Virtual School contacts/ }).getByRole('row', { name: /Bedford \(822\)/ }).count()).resolves.toBe(1);

    // Advanced: a broken setting is reported with its line, and "Go to line" takes you there.
    const box = page.getByLabel('School profile (YAML)');
    const yaml = await box.inputValue();
    const broken = yaml.replace('email: exclusions@herts-la.example.org', 'email: not-an-email-address');
    const line = broken.split('\n').findIndex((l) => l.includes('not-an-email-address')) + 1;
    await box.fill(broken);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText(new RegExp(`^line ${line}, exclusionsContact\\.email: `)).waitFor();
    await page.getByRole('button', { name: `Go to line ${line}` }).click();
    await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).resolves.toBe('profile-yaml');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '23-settings-profile-problem.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('someone on two schools switches school; the digest says why it is not posted', async () => {
    const { page, problems } = await openAs('Isaiah Langer');
    const switcher = page.getByLabel('School', { exact: true });
    await expect(switcher.isVisible()).resolves.toBe(true);
    await expect(page.locator('#title').textContent()).resolves.toBe('Oakfield Primary (demo)');
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);
    await switcher.selectOption(WILLOW_ID);
    await page.locator('#title', { hasText: 'Willowbrook Primary (synthetic)' }).waitFor();
    const cohort = page.getByRole('table', { name: /Children in the cohort/ });
    await cohort.getByRole('link', { name: 'Orla Pennywhistle' }).waitFor();
    await expect(cohort.getByText('Sam Thistlewood').count()).resolves.toBe(0);
    await page.getByRole('navigation').getByRole('link', { name: 'This week' }).click();
    await page.getByText('The weekly digest is not being posted in Teams.').waitFor();
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '24-switched-school-digest.png'), fullPage: true });
    await openSettings(page);
    await page.getByRole('heading', { name: 'Settings for Willowbrook Primary (synthetic)' }).waitFor();
    await page.getByText('No channel is chosen for the weekly digest yet.').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('a trust’s administrator starts a new school from the template', async () => {
    const { page, problems } = await openAs('Jordan Ashcombe');
    await page.getByRole('heading', { level: 2, name: /^Settings/ }).waitFor();
    await settled(page);
    await page.getByRole('heading', { name: 'New school', level: 3 }).waitFor();
    await page.getByLabel('School id').fill('riverside-synthetic');
    await page.getByLabel('School name').fill('Riverside Primary (synthetic)');
    await page.getByRole('button', { name: 'Start from the template' }).click();
    const box = page.getByLabel('The new school’s profile (YAML)');
    await box.waitFor();
    await expect(box.inputValue()).resolves.toMatch(/^trustId: "chiltern-trust"$/m);
    await page.locator('#settings-new-school').getByRole('button', { name: 'Check', exact: true }).click();
    await page.locator('#settings-new-school').getByText(/problems? found, so nothing was saved/).waitFor();
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, '25-settings-new-school.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  const layouts: Array<[string, { width?: number; theme?: 'dark' | 'contrast' }]> = [
    ['320 px wide', { width: 320 }],
    ['high contrast', { theme: 'contrast' }],
  ];
  it.each(layouts)('the Settings view works %s: no serious accessibility problems, nothing wider than the screen', async (label, options) => {
    const { page, problems } = await openAs('Patti Fernandez', options);
    await openSettings(page);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    if (options.width) {
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBe(0);
    }
    await page.screenshot({ path: path.join(SHOTS, `26-settings-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
