import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BrowserContext, Locator, Page } from 'playwright-core';
import { closeLogPanel, openPlayground, playgroundChat, STORY_STEP_MS, UI_WAIT_MS } from '../support/chromium';
import { RunningProduct, startProduct } from '../support/launcher';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'playground');
const STOPPED = 'Stopped. Nothing has been saved or sent. Type "menu" to start again.';

/**
 * What users found in the Agents Playground, tried again there as they tried it (Debian's Chromium,
 * the product started with the README's first command): a child and a worry in one sentence, a
 * misspelt name, "new starter" typed at the name step, and an attendance of 150 %.
 * Screenshots go to test-output/playground/recognition-*.png.
 */
describe('recognition in the Agents Playground', () => {
  let product: RunningProduct;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    product = await startProduct();
    ({ browser, page } = await openPlayground(product.playgroundUrl, { viewport: { width: 700, height: 1100 } }));
    await cards().last().getByText('Children with a social worker: Oakfield Primary (demo)').waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await closeLogPanel(page);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (product) expect(await product.stop()).toBe(0);
  }, 60_000);

  const chat = () => playgroundChat(page);
  const cards = () => chat().cards();
  const card = (): Locator => chat().card();
  const type = (text: string) => chat().type(text);
  const press = (c: Locator, name: string) => chat().press(c, name);

  /** Types a message that the bot answers in words only ("cancel"), and waits for the words. */
  async function typeFor(text: string, answer: string): Promise<void> {
    const before = await page.getByText(answer, { exact: true }).count();
    await page.locator('[data-lexical-editor="true"]').click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    const deadline = Date.now() + UI_WAIT_MS;
    while ((await page.getByText(answer, { exact: true }).count()) <= before) {
      if (Date.now() > deadline) throw new Error(`no "${answer}" after typing "${text}"`);
      await page.waitForTimeout(100);
    }
  }

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `recognition-${name}.png`) });
  }

  it('"I am worried Sam might get excluded" starts the suspension worry about Sam, without asking which child', async () => {
    const c = await type('I am worried Sam might get excluded');
    await c.getByText('What happened?').waitFor({ state: 'visible' });
    await c.getByText('About: Sam Thistlewood (Year 4)').waitFor({ state: 'visible' });
    await page.getByText('This is about Sam Thistlewood (Year 4). If that is not the child you mean, press Back or type "back".').last().waitFor({ state: 'visible' });
    await shot('1-sentence');
    await typeFor('cancel', STOPPED);
  }, STORY_STEP_MS);

  it('a misspelt name offers "did you mean" buttons, and the button chooses the child', async () => {
    let c = await type('attendance');
    await c.getByPlaceholder('For example: Sam Thistlewood').fill('sam thistelwood');
    c = await press(c, 'Next');
    await c.getByText('Did you mean one of these children?').waitFor({ state: 'visible' });
    await shot('2-did-you-mean');
    c = await press(c, 'Sam Thistlewood (Year 4)');
    await c.getByText('What has been happening?').waitFor({ state: 'visible' });
    await c.getByText('About: Sam Thistlewood (Year 4)').waitFor({ state: 'visible' });
  }, STORY_STEP_MS);

  it('an attendance of 150 % is asked again with the range, not sent as 100 %', async () => {
    let c = card();
    await c.getByText('Absent today, and nobody has told us why', { exact: true }).click();
    await c.getByPlaceholder('0 to 100').fill('150');
    c = await press(c, 'Next');
    await c.getByText('Attendance must be between 0 and 100%').first().waitFor({ state: 'visible' });
    await c.getByText('What has been happening?').waitFor({ state: 'visible' });
    await page.getByText('Attendance must be between 0 and 100%', { exact: true }).first().scrollIntoViewIfNeeded();
    await shot('3-out-of-range');
    await typeFor('cancel', STOPPED);
  }, STORY_STEP_MS);

  it('"new starter" typed at the name step starts the new-starter dialog instead of looking for a child', async () => {
    await type('suspension');
    const c = await type('new starter');
    await c.getByText(/^A child joining us: step 1 of/).waitFor({ state: 'visible' });
    await page.getByText('Stopped: Worry about a suspension. Nothing was saved.').last().waitFor({ state: 'visible' });
    expect(await page.getByText('I could not find that name on the register.', { exact: true }).count()).toBe(0);
    await shot('4-command-at-name-step');
  }, STORY_STEP_MS);
});
