import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { BrowserContext, Locator } from 'playwright-core';
import { until, openPlayground, playgroundChat, UI_WAIT_MS } from '../support/chromium';
import { RunningProduct, startProduct } from '../support/launcher';

const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'playground');

/**
 * The approval story in the Agents Playground: Alex (a class teacher) raises a worry about a
 * suspension for Sam, a demo child in care; the product is restarted as Megan (the DSL) with
 * PLAYGROUND_AS=dsl on the same data; her approval card is waiting; she approves; the email to the
 * Virtual School appears as an .eml file.
 */
describe('raise as a teacher, approve as the DSL, in the Playground', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-approval-'));
  let product: RunningProduct | undefined;
  let browser: BrowserContext | undefined;

  beforeAll(() => mkdirSync(SHOTS, { recursive: true }));
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('the DSL approves in Teams and the Virtual School email is written', async () => {
    product = await startProduct({}, { dataDir, keepData: true });
    ({ browser } = await (async () => {
      const opened = await openPlayground(product!.playgroundUrl);
      return { browser: opened.browser, page: opened.page };
    })());
    let page = browser.pages()[0]!;
    const card = (): Locator => page.locator('.ac-adaptiveCard').last();
    // A form's button moves its card on in place (the next question, or the receipt after Send); a typed answer brings a new card.
    const press = async (name: string) => void (await playgroundChat(page).press(card(), name));
    const type = async (text: string) => void (await playgroundChat(page).type(text));

    await card().getByText('Children with a social worker').first().waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await press('Worried a child may be suspended');
    await card().getByPlaceholder('For example: Sam Thistlewood').fill('Sam Thistlewood');
    await press('Next');
    await type('He became very upset after contact and pushed over a chair. He calmed with his key adult.');
    await press('Next');
    await type('no');
    await press('Send');
    await card().getByText(/^Sent: SUS-/).waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, 'approval-1-teacher-sent.png'), fullPage: true });
    await browser.close();
    browser = undefined;
    expect(await product.stop()).toBe(0);

    // Switch user: the same data, with the Playground's current user set to the DSL.
    product = await startProduct({ PLAYGROUND_AS: 'dsl' }, { dataDir, keepData: true });
    expect(product.output()).toContain('as Megan Bowen (dsl)');
    const opened = await openPlayground(product.playgroundUrl);
    browser = opened.browser;
    page = opened.page;
    // Installing the app releases the approval card that was waiting for her.
    const approval = page.locator('.ac-adaptiveCard', { hasText: 'Decision needed: Worry about a suspension' });
    await approval.waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await page.screenshot({ path: path.join(SHOTS, 'approval-2-dsl-card.png'), fullPage: true });
    await approval.getByRole('button', { name: 'Approve and send', exact: true }).click();
    await page.getByText(/^Approved by Megan Bowen at /).waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    await page.screenshot({ path: path.join(SHOTS, 'approval-3-approved.png'), fullPage: true });

    const emails = path.join(dataDir, 'emails');
    await until('the Virtual School email', () => {
      try {
        return readdirSync(emails).some((f) => f.endsWith('.eml'));
      } catch {
        return false;
      }
    });
    // Read as a mail program reads them (names quoted, lines encoded as RFC 5322 and MIME say).
    const eml = await Promise.all(readdirSync(emails).filter((f) => f.endsWith('.eml')).map((f) => simpleParser(readFileSync(path.join(emails, f)))));
    const toVs = eml.find((e) => (Array.isArray(e.to) ? e.to : [e.to]).some((t) => t?.value.some((a) => a.address === 'virtualschool@herts-vs.example.org' && a.name === 'Hertfordshire Virtual School (demo)')));
    expect(toVs).toBeDefined();
    expect(toVs!.text).toContain('  Child: Sam Thistlewood\n  Date of birth: Tue 14 Mar 2017\n  Year group: Year 4');
    expect(toVs!.text).not.toContain('pushed over a chair');
  }, 300_000);
});
