import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BrowserContext, Locator, Page } from 'playwright-core';
import { openPlayground, playgroundChat, STORY_STEP_MS, UI_WAIT_MS } from '../support/chromium';
import { RunningProduct, startProduct } from '../support/launcher';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'playground');

/**
 * A newcomer in the Microsoft 365 Agents Playground (Teams' local stand-in), in Debian's Chromium:
 * the product started with the README's first command, every guided dialog completed for a demo
 * pupil by clicking and typing as a person would. Screenshots go to test-output/playground/.
 */
describe('the Agents Playground, in a real browser', () => {
  let product: RunningProduct;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    product = await startProduct();
    ({ browser, page } = await openPlayground(product.playgroundUrl));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (product) expect(await product.stop()).toBe(0);
  }, 60_000);

  const chat = () => playgroundChat(page);
  const card = (): Locator => chat().card();
  const type = (text: string) => chat().type(text);
  const press = (c: Locator, name: string) => chat().press(c, name);

  /** Fluent UI draws its own checkbox over the real input: click the option's text, as a person would. */
  async function tick(c: Locator, option: string): Promise<void> {
    await c.getByText(option, { exact: true }).click();
    if (!(await c.getByRole('checkbox', { name: option }).isChecked())) throw new Error(`"${option}" did not tick`);
  }

  /** The Playground draws Input.Date as a calendar pop-up: pick today's date (the product runs on the real clock). */
  async function pickToday(dateInput: Locator): Promise<void> {
    await dateInput.click();
    const today = new Date();
    const label = `${today.getDate()}, ${today.toLocaleString('en-GB', { month: 'long' })}, ${today.getFullYear()}`;
    await page.getByRole('button', { name: label, exact: true }).click();
  }

  async function sendAndExpectReceipt(confirm: Locator, shot: string): Promise<string> {
    await confirm.getByText('Check and send').waitFor({ state: 'visible', timeout: 5_000 });
    await page.screenshot({ path: path.join(SHOTS, `${shot}-confirm.png`), fullPage: true });
    const receipt = await press(confirm, 'Send');
    const heading = await receipt.getByText(/^Sent: [A-Z]{3}-[A-Z2-9]{5}$/).textContent();
    await page.screenshot({ path: path.join(SHOTS, `${shot}-receipt.png`), fullPage: true });
    return heading ?? '';
  }

  it('greets a newcomer with the welcome card', async () => {
    await card().getByText('Children with a social worker: Oakfield Primary (demo)').waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await page.screenshot({ path: path.join(SHOTS, '0-welcome.png'), fullPage: true });
  }, STORY_STEP_MS);

  afterEach(async () => {
    await page.screenshot({ path: path.join(SHOTS, `last-${expect.getState().currentTestName?.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true });
  });

  it('completes an attendance concern for Sam, a demo child in care', async () => {
    let c = await press(card(), 'Attendance concern');
    await c.getByPlaceholder('For example: Sam Thistlewood').fill('Sam');
    c = await press(c, 'Next');
    await c.getByText('About: Sam Thistlewood (Year 4)').waitFor({ state: 'visible', timeout: 5_000 });
    await tick(c, 'Has missed sessions recently (a session is half a day)');
    await tick(c, 'A move of home or care placement');
    await c.getByLabel('Attendance so far this school year, if you know it, as a % (optional)').fill('88');
    await c.getByPlaceholder('For example: spoke to carer at pick-up on Tuesday').fill('Spoke to the foster carer at pick-up.');
    c = await press(c, 'Next');
    // Who does what, by person: the Virtual School is named in what the Designated Teacher does.
    await c.getByText(/The Virtual School is (told|contacted)/).first().waitFor({ state: 'visible', timeout: 5_000 });
    expect(await sendAndExpectReceipt(c, '1-attendance')).toMatch(/^Sent: ATT-/);
  }, STORY_STEP_MS);

  it('completes a worry about a suspension for Amara, typing the answers as messages', async () => {
    // The child and the worry are both read from the sentence: no need to name her again.
    let c = await type('I am worried Amara might be suspended');
    await c.getByText('About: Amara Windmere (Year 4)').waitFor({ state: 'visible', timeout: 5_000 });
    c = await type('She threw her book and ran out when the supply teacher raised his voice. She looked scared.');
    await tick(c, 'A soft start to the day');
    await press(c, 'Next');
    c = await type('no');
    expect(await sendAndExpectReceipt(c, '2-suspension')).toMatch(/^Sent: SUS-/);
  }, STORY_STEP_MS);

  it('completes a new admission for a child not on the register yet, status not known (the DSL checks it)', async () => {
    let c = await type('new starter');
    await c.getByText('No, not yet: they have not started, or the office has not added them', { exact: true }).click();
    c = await press(c, 'Next');
    await c.getByRole('textbox', { name: /First name/ }).fill('Robin');
    await c.getByRole('textbox', { name: /Surname/ }).fill('Notyetlisted');
    await c.getByRole('combobox', { name: /Year group/ }).click();
    await page.getByRole('option', { name: 'Year 3', exact: true }).click();
    await c.getByText('None of these, or not known yet', { exact: true }).click();
    c = await press(c, 'Next');
    await pickToday(c.getByPlaceholder('Select a date...').first());
    c = await press(c, 'Next');
    if (await c.getByText('Yes, that start date is right').isVisible()) {
      await c.getByText('Yes, that start date is right').click();
      c = await press(c, 'Next');
    }
    await c.getByText('Robin Notyetlisted (Year 3), not on the register yet').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await sendAndExpectReceipt(c, '3-admission')).toMatch(/^Sent: ADM-/);
  }, STORY_STEP_MS);
});
