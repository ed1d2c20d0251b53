/**
 * Debian's chromium driven by playwright-core (Playwright's own browser
 * download does not work on these machines). Browser tests are mandatory in CI
 * (PAPERBOY_REQUIRE_BROWSER=1 or CI=true): a missing browser fails there, and
 * only skips, loudly, on a developer machine without chromium.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export function browserRequired(): boolean {
  return process.env.PAPERBOY_REQUIRE_BROWSER === '1' || process.env.CI === 'true';
}

const MISSING =
  'chromium not found (looked at CHROMIUM_PATH, ' +
  CANDIDATES.join(', ') +
  '); install it with `apt-get install -y --no-install-recommends chromium` or set CHROMIUM_PATH';

/**
 * `describe` for tests that need a browser. Without chromium: a failing test
 * when a browser is required, otherwise a skipped suite and a loud warning.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (findChromium()) {
    describe(name, body);
  } else if (browserRequired()) {
    describe(name, () => {
      it('has a browser to run in', () => {
        throw new Error(`${MISSING}. Browser tests are mandatory here (PAPERBOY_REQUIRE_BROWSER=1 or CI=true).`);
      });
    });
  } else {
    console.warn(
      `\n${'!'.repeat(78)}\n!! BROWSER TESTS SKIPPED: "${name}": ${MISSING}.\n` +
        `!! CI (.ci/run) runs them; install chromium to run them here.\n${'!'.repeat(78)}\n`,
    );
    describe.skip(name, body);
  }
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<LaunchedBrowser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(MISSING);
  // playwright-core's launch() already gives every browser a fresh temporary profile
  // (it refuses an explicit --user-data-dir), so no state leaks between runs.
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
    },
  };
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Run axe-core on the page as it is now; the violations in a form that reads well in a failed assertion. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    type AxeResults = { violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.slice(0, 300)),
    }));
  });
}
