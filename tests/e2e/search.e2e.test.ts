/**
 * Search in a real browser (Debian chromium) against `astro preview` of the
 * fixture archive under BASE_PATH=/paperboy/: type a paper's title on
 * /paperboy/search/, click the result, land on its paper page under the base
 * path. Also: hostile titles stay text in results, no console errors or failed
 * requests, and the page explains itself when JavaScript is off.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loadFixture } from '../build/fixture.ts';
import { buildSite, FIXTURE_ARCHIVE, removeBuilds } from '../helpers/build-site.ts';
import { axeViolations, describeWithBrowser, launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts';
import { startPreview, type Preview } from '../helpers/preview.ts';

const SITE = 'https://example.github.io';
const BASE = '/paperboy/';
const fixture = loadFixture();
const TARGET_ID = '2407.01489';
const HOSTILE_ID = '2401.99999';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 600_000 });

describeWithBrowser('search in chromium (astro preview, BASE_PATH=/paperboy/)', () => {
  let preview: Preview;
  let launched: LaunchedBrowser;
  let context: BrowserContext;
  let problems: string[] = [];

  beforeAll(async () => {
    // Three index shards (47 papers, 20 per shard): results must come from every one of them.
    process.env.PAPERBOY_SEARCH_SHARD_PAPERS = '20';
    const build = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE });
    delete process.env.PAPERBOY_SEARCH_SHARD_PAPERS;
    preview = await startPreview(build);
    launched = await launchBrowser();
    context = await launched.browser.newContext();
    context.setDefaultTimeout(20_000);
    // No network in tests: anything off the preview server is a problem, not a request.
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(preview.origin)) return route.continue();
      problems.push(`request off the site: ${route.request().url()}`);
      return route.abort();
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await launched?.close();
    await preview?.stop();
    removeBuilds();
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    return page;
  }

  async function search(page: Page, query: string): Promise<void> {
    await page.goto(`${preview.url}search/`, { waitUntil: 'load' });
    const input = page.locator('.pagefind-ui__search-input');
    await input.fill(query);
    await page.locator('.pagefind-ui__result-link').first().waitFor();
  }

  // The target is in the last index shard; the other paper (oldest list day) in the first.
  const oldest = fixture.papersOn(fixture.listDays[0]!).map((p) => p.paper).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
  it.each([TARGET_ID, oldest.id])('finds paper %s by its title and opens its page under the base path', async (id) => {
    problems = [];
    const target = fixture.byId.get(id)!.paper;
    const page = await newPage();
    await search(page, target.title);
    const first = page.locator('.pagefind-ui__result-link').first();
    expect(await first.getAttribute('href')).toBe(`${BASE}papers/${id}/`);
    expect((await first.textContent())?.trim()).toBe(target.title);
    // Under the title, an excerpt of the abstract with the matched words marked; the title is not repeated.
    const result = page.locator('.pagefind-ui__result').first();
    const excerpt = (await result.locator('.pagefind-ui__result-excerpt').textContent())?.trim() ?? '';
    expect(excerpt).not.toBe('');
    expect(await result.locator('.pagefind-ui__result-excerpt mark').count()).toBeGreaterThan(0);
    expect(excerpt).not.toContain(target.title);
    const words = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    expect(words(fixture.byId.get(id)!.abstract)).toContain(words(excerpt.replace(/^…|…$/g, '')).slice(0, 60));
    // Authors and date under it, once each; keywords are searched, not shown.
    const tags = await result.locator('.pagefind-ui__result-tag').evaluateAll((els) => els.map((el) => el.getAttribute('data-pagefind-ui-meta')));
    expect(tags.sort()).toEqual(target.authors.length ? ['authors', 'date'] : ['date']);
    await Promise.all([page.waitForURL(`${preview.url}papers/${id}/`), first.click()]);
    expect(await page.locator('h1').innerText()).toBe(target.title);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('finds papers by author and keyword too, and shows hostile titles as text', async () => {
    problems = [];
    const page = await newPage();
    await search(page, 'Mallory');
    const links = page.locator('.pagefind-ui__result-link');
    const hrefs = await links.evaluateAll((els) => els.map((el) => el.getAttribute('href')));
    expect(hrefs).toContain(`${BASE}papers/${HOSTILE_ID}/`);
    const hostile = page.locator(`.pagefind-ui__result-link[href="${BASE}papers/${HOSTILE_ID}/"]`);
    expect(await hostile.textContent()).toContain('<script>alert("t")</script>');
    // The name matched in the authors, shown once under the excerpt, as text; the excerpt is the abstract.
    const hostileResult = page.locator('.pagefind-ui__result', { has: hostile });
    expect(await hostileResult.locator('[data-pagefind-ui-meta="authors"]').textContent()).toContain('<i>Eve</i> & "Mallory"');
    expect(await hostileResult.locator('.pagefind-ui__result-excerpt').textContent()).toMatch(/^A <b>bold<\/b> claim/);
    expect(await page.locator('#search script, #search b, #search i, #search img').count()).toBe(0);

    // A keyword none of whose words (or their stems) are in the paper's title or abstract still finds it.
    const [keyword, withKeyword] = fixture.papers
      .flatMap((p) => {
        const own = `${p.paper.title} ${p.abstract}`.toLowerCase();
        return p.paper.keywords
          .filter((k) => {
            const words = k.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4);
            return words.length > 0 && words.every((w) => !own.includes(w.slice(0, 5)));
          })
          .map((k) => [k, p.paper.id] as const);
      })
      .sort()[0]!;
    await search(page, keyword);
    // A match in metadata alone ranks below matches in the text: load more results until it shows.
    const target = page.locator(`.pagefind-ui__result-link[href="${BASE}papers/${withKeyword}/"]`);
    const more = page.locator('.pagefind-ui__button');
    // Results of the other index bundles keep arriving after the first one shows (slowly on a loaded machine):
    // wait for them, rather than stop as soon as no "more" button is there yet.
    for (const deadline = Date.now() + 30_000; (await target.count()) === 0 && Date.now() < deadline; ) {
      if ((await more.count()) > 0) await more.click();
      else await page.waitForTimeout(250);
    }
    expect(await target.count(), keyword).toBe(1);
    expect(await page.locator('[data-pagefind-ui-meta="keywords"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(['light', 'dark'] as const)('has no accessibility violations (axe-core) with results shown (%s)', async (colorScheme) => {
    problems = [];
    const page = await newPage();
    await page.emulateMedia({ colorScheme });
    await search(page, 'diffusion');
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('explains what to do when JavaScript is off', async () => {
    const noScript = await launched.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await noScript.newPage();
      await page.goto(`${preview.url}search/`, { waitUntil: 'load' });
      const text = await page.locator('main').innerText();
      expect(text).toContain('Search needs JavaScript');
      expect(text).toContain('site:example.github.io/paperboy');
      expect(await page.locator(`main a[href="${BASE}archive/"]`).count()).toBe(1);
    } finally {
      await noScript.close();
    }
  });
});
