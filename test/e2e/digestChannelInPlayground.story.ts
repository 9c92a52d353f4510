import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BrowserContext, Locator, Page } from 'playwright-core';
import { openPlayground, STORY_STEP_MS } from '../support/chromium';
import { RunningProduct, startProduct } from '../support/launcher';
import { runTool } from '../support/runTool';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'playground');

/**
 * The leadership channel chosen in Teams, in the Agents Playground and Debian's Chromium: as the
 * demo DSL, open the team's General channel; the app has posted a set-up card there (not the welcome
 * with concern buttons); press "Use this channel for the weekly digest"; `npm run digest` then posts
 * into it, where before it said in plain words why it could not.
 */
describe('the digest channel, chosen from the card in a Teams channel', () => {
  let product: RunningProduct;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    product = await startProduct({ PLAYGROUND_AS: 'dsl' });
    ({ browser, page } = await openPlayground(product.playgroundUrl));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (product) await product.stop();
  }, 60_000);

  const digest = () => runTool('digest.js', ['--school', 'oakfield-demo'], { PATH: process.env.PATH ?? '', DATA_DIR: product.dataDir, BOT_URL: `http://127.0.0.1:${product.botPort}`, LOG_LEVEL: 'silent' });
  const card = (): Locator => page.locator('.ac-adaptiveCard').last();

  it('before a channel is chosen, npm run digest says why nothing was posted', async () => {
    const run = await digest();
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^Not posted\. No channel is chosen for the weekly digest yet\. Add the app to the senior leadership team in Teams/);
  }, STORY_STEP_MS);

  it('the General channel shows the set-up card, with no concern buttons', async () => {
    // The Playground's channel list sits outside its scrolling area: select it as a keyboard user would.
    const general = page.getByRole('treeitem', { name: 'My Team - General' });
    await general.focus();
    await page.keyboard.press('Enter');
    await card().getByText('Set up the safeguarding assistant').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, '30-team-setup-card.png') });
    const channelText = await page.locator('.ac-adaptiveCard').allInnerTexts();
    expect(channelText.join('\n')).not.toMatch(/Attendance concern|Worried a child may be suspended/);
    expect(await card().getByRole('button', { name: 'Use this channel for the weekly digest' }).isVisible()).toBe(true);
  }, STORY_STEP_MS);

  it('the DSL presses "Use this channel for the weekly digest": the card says so, and the digest goes there', async () => {
    await card().getByRole('button', { name: 'Use this channel for the weekly digest', exact: true }).click();
    await page.getByText('The weekly digest for Oakfield Primary (demo) is posted in this channel (chosen by Megan Bowen).').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, '31-digest-channel-chosen.png') });
    const run = await digest();
    expect([run.status, run.stdout]).toEqual([0, 'Posted the digest of oakfield-demo to its leadership channel.\n']);
    await page.getByText(/Weekly digest/i).first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, '32-digest-posted-in-channel.png') });
  }, STORY_STEP_MS);
});
