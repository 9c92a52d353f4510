import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { until, closeLogPanel, openPlayground, playgroundChat, UI_WAIT_MS } from '../support/chromium';
import { RunningProduct, startProduct } from '../support/launcher';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'playground');
/** An iPhone SE-sized window: the narrowest phone Teams supports well. */
const PHONE = { width: 375, height: 812 };

/** Drives the Playground as a person would (see playgroundChat), counting every click and every message typed. */
function driver(page: Page) {
  let interactions = 0;
  const chat = playgroundChat(page);
  return {
    card: chat.card,
    get interactions() {
      return interactions;
    },
    async press(name: string) {
      interactions++;
      await chat.press(chat.card(), name);
    },
    async fill(placeholder: string, text: string) {
      interactions++;
      await chat.card().getByPlaceholder(placeholder).fill(text);
    },
    async type(text: string) {
      interactions++;
      await chat.type(text);
    },
    async tick(label: string) {
      interactions++;
      await chat.card().getByText(label, { exact: true }).click();
    },
  };
}

/**
 * The Agents Playground in a phone-sized window (375 px wide), in Debian's Chromium: a teacher's
 * attendance concern for a demo child takes at most six interactions; the DSL's approval buttons
 * are in the first 900 px of her card, and after Approve the outcome is on screen. Screenshots go
 * to test-output/playground/phone-*.png.
 */
describe('on a phone-sized screen, in the Playground', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-phone-'));
  let product: RunningProduct | undefined;
  let browser: BrowserContext | undefined;

  beforeAll(() => mkdirSync(SHOTS, { recursive: true }));
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('a teacher raises an attendance concern in six interactions; the DSL approves a suspension worry without scrolling for the buttons', async () => {
    product = await startProduct({}, { dataDir, keepData: true });
    let page: Page;
    ({ browser, page } = await openPlayground(product.playgroundUrl, { viewport: PHONE }));
    const d = driver(page);
    await d.card().getByText('Children with a social worker').first().waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await closeLogPanel(page);
    await page.screenshot({ path: path.join(SHOTS, 'phone-0-opened.png') });

    await d.press('Attendance concern');
    await d.fill('For example: Sam Thistlewood', 'Poppy Lanternwick');
    await d.press('Next');
    await d.tick('Absent today, and nobody has told us why');
    await d.press('Next');
    const confirm = d.card();
    await confirm.getByText('Who does what, and by when').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, 'phone-1-attendance-confirm.png'), fullPage: true });
    // Each person once: the DSL's name appears in one block only.
    expect(await confirm.getByText(/^Megan Bowen, DSL$/).count()).toBe(1);
    await d.press('Send');
    await d.card().getByText(/^Sent: ATT-/).waitFor({ state: 'visible' });
    expect(d.interactions).toBeLessThanOrEqual(6);
    // The used form cards have no buttons left: only the receipt and the welcome have none to begin with.
    await until('the used cards to be made read-only', async () => (await page.getByRole('button', { name: 'Next', exact: true }).count()) === 0);
    await page.screenshot({ path: path.join(SHOTS, 'phone-2-attendance-sent.png'), fullPage: true });

    // A worry about a suspension for Sam, in care: it needs the DSL's approval.
    await d.type('suspension');
    await d.fill('For example: Sam Thistlewood', 'Sam Thistlewood');
    await d.press('Next');
    await d.type('He became very upset after family time and pushed over a chair.');
    await d.press('Next');
    await d.type('no');
    await d.press('Send');
    await d.card().getByText(/^Sent: SUS-/).waitFor({ state: 'visible' });
    await browser.close();
    browser = undefined;
    expect(await product.stop()).toBe(0);

    product = await startProduct({ PLAYGROUND_AS: 'dsl' }, { dataDir, keepData: true });
    ({ browser, page } = await openPlayground(product.playgroundUrl, { viewport: PHONE }));
    await closeLogPanel(page);
    const approval = page.locator('.ac-adaptiveCard', { hasText: 'Decision needed: Worry about a suspension' });
    await approval.waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await approval.scrollIntoViewIfNeeded();
    const cardBox = await approval.boundingBox();
    const approve = approval.getByRole('button', { name: 'Approve and send', exact: true });
    const buttonBox = await approve.boundingBox();
    expect(cardBox && buttonBox).toBeTruthy();
    expect(buttonBox!.y + buttonBox!.height - cardBox!.y).toBeLessThanOrEqual(900);
    // The plan is folded away until asked for.
    expect(await approval.getByText(/^Source:/).first().isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'phone-3-dsl-card.png') });

    await approve.click();
    // The card now opens with the outcome, where the DSL pressed; a one-line reply follows below it.
    const onCard = page.getByText(/^Approved by Megan Bowen at /).last();
    await onCard.waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await until('the outcome to be on screen', async () => {
      const box = await onCard.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height;
    });
    await page.getByText(/^Approved SUS-[A-Z0-9]+: 2 messages going outside school now\.$/).last().waitFor({ state: 'attached', timeout: UI_WAIT_MS });
    await page.screenshot({ path: path.join(SHOTS, 'phone-4-approved.png') });
  }, 300_000);
});
