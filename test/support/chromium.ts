import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/** Debian's Chromium, headless, as TOOLCHAIN.md says it runs here. */
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch(LAUNCH);
}

/**
 * How long a test waits for something the page will show: the Playground and the bot share two
 * cores with another test file (the crash soak or the fuzzing, at times), and in clean-clone CI a
 * card or a Fluent list has taken over 10 and 15 s to come. It costs nothing when it comes at once.
 */
export const UI_WAIT_MS = 45_000;

/** A story's step may wait for the page more than once: its own time limit is above one wait, so a slow page fails on what it waited for, not on jest's 30 s. */
export const STORY_STEP_MS = UI_WAIT_MS + 45_000;

/** A fresh Chromium profile on the Agents Playground, loaded and settled. */
export async function openPlayground(url: string, o: { timeoutMs?: number; viewport?: { width: number; height: number } } = {}): Promise<{ browser: BrowserContext; page: Page }> {
  const browser = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'swbot-chromium-')), { ...LAUNCH, viewport: o.viewport ?? { width: 1100, height: 1400 } });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(o.timeoutMs ?? UI_WAIT_MS);
  await page.goto(url, { waitUntil: 'networkidle' });
  return { browser, page };
}

/** Waits for something the page will show, checking every 200 ms, with room for a loaded machine. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = UI_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The Playground's log panel covers the chat in a narrow window: a person closes it first. */
export async function closeLogPanel(page: Page): Promise<void> {
  const panel = page.getByText('Log Panel', { exact: true });
  await panel.waitFor({ state: 'visible' });
  await page.getByRole('button', { name: 'Hide log panel' }).click();
  await panel.waitFor({ state: 'hidden' });
}

/** The Playground's chat, driven as a person would: type a message or press a card's button, then wait for the bot's next card (new, or the one pressed, moved on). */
export function playgroundChat(page: Page) {
  const cards = () => page.locator('.ac-adaptiveCard');
  const card = (): Locator => cards().last();
  /** Waits for the bot to answer with a new card and returns it. */
  async function nextCard(before: number): Promise<Locator> {
    const deadline = Date.now() + UI_WAIT_MS;
    while ((await cards().count()) <= before) {
      if (Date.now() > deadline) throw new Error(`no new card from the bot after ${before} cards`);
      await page.waitForTimeout(100);
    }
    return card();
  }
  return {
    cards,
    card,
    nextCard,
    async type(text: string): Promise<Locator> {
      const before = await cards().count();
      await page.locator('[data-lexical-editor="true"]').click();
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      return nextCard(before);
    },
    /**
     * Presses a button and returns the bot's next card: a new one below, or, for a form's button, the
     * same card moved on in place (the next question, or the receipt after Send). With `refill`, a
     * press that brings nothing within 10 s (a late redraw emptied the form, so its required fields
     * stopped it: seen twice in CI, never alone) is followed, as a person would, by filling the form
     * in again and pressing again, up to three times.
     */
    async press(c: Locator, name: string, { refill }: { refill?: () => Promise<void> } = {}): Promise<Locator> {
      // Moved on in place when its first line ("Attendance concern: step 2 of 3", or the receipt's
      // "Sent: …") changes: the rest also changes when the Playground draws the chat again and
      // empties what was filled in, which is not an answer.
      const firstLine = async () => (await c.innerText().catch(() => '')).trim().split('\n')[0] ?? '';
      const before = await cards().count();
      const was = await firstLine();
      const next = async (): Promise<Locator | undefined> => {
        if ((await cards().count()) > before) return card();
        const now = await firstLine();
        return now !== was && now !== '' ? c : undefined;
      };
      for (let tries = 1; ; tries++) {
        await c.getByRole('button', { name, exact: true }).click();
        const deadline = Date.now() + (refill ? 10_000 : UI_WAIT_MS);
        for (let found = await next(); ; found = await next()) {
          if (found) return found;
          if (Date.now() > deadline) break;
          await page.waitForTimeout(100);
        }
        if (!refill || tries === 3) throw new Error(`no new card from the bot after ${before} cards, and the card pressed still reads: ${(await c.innerText()).slice(0, 200)}`);
        await refill();
      }
    },
  };
}

/** Opens the tab and signs in with the development sign-in, as a person would: choose, then press. Console errors are collected. */
export async function openTabAs(browser: Browser, appUrl: string, name: string, o: { width?: number; theme?: 'dark' | 'contrast' } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1100, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_WAIT_MS);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${appUrl}/tab/${o.theme ? `?theme=${o.theme}` : ''}`);
  await page.getByRole('heading', { name: 'Development sign-in (local mode only)' }).waitFor();
  const option = await page.locator('#dev-user option', { hasText: name }).getAttribute('value');
  await page.getByLabel('Sign in as').selectOption(option!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who', { hasText: name }).waitFor();
  return { page, problems };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now, one line each. */
export async function seriousAccessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  // A string runs in the page (this file is type-checked for Node, which has no DOM types).
  const violations = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)")) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
