/**
 * The archive site in a real browser (Debian chromium), served by
 * `astro preview` under BASE_PATH=/paperboy/ as a fork on GitHub Pages would be:
 * navigation a reader would do, math that looks like math, no errors, no broken
 * links, accessibility (axe-core) in light and dark, and a 320 px wide phone.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { routes } from '../../src/site/urls.ts';
import { HtmlPage } from '../build/html.ts';
import { loadFixture } from '../build/fixture.ts';
import { buildSite, FIXTURE_ARCHIVE, removeBuilds } from '../helpers/build-site.ts';
import { axeViolations, describeWithBrowser, launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts';
import { startPreview, type Preview } from '../helpers/preview.ts';

const SITE = 'https://example.github.io';
const BASE = '/paperboy/';
const fixture = loadFixture();
const [olderDay, previousDay, latestDay] = fixture.listDays.slice(-3) as [string, string, string];
const HOSTILE_ID = '2401.99999';
/** The fixture paper with real `$...$` math (title and abstract) is the hostile one. */
const MATH_ID = HOSTILE_ID;
const PLAIN_PAPER_ID = '2406.11939';
// 1x1 transparent PNG: answers for third-party images (thumbnails), since tests have no network.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

// A browser, a build and a preview server on a shared 2-core machine: give each step room.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 600_000 });

describeWithBrowser('the archive site in chromium (astro preview, BASE_PATH=/paperboy/)', () => {
  let preview: Preview;
  let launched: LaunchedBrowser;
  let context: BrowserContext;
  /** Problems seen while loading pages: console errors, page errors, failed or 4xx/5xx requests. */
  let problems: string[] = [];

  const url = (route: string) => preview.url + route;

  beforeAll(async () => {
    const build = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE });
    preview = await startPreview(build);
    launched = await launchBrowser();
    context = await launched.browser.newContext();
    // Fail a step well before the test times out, with Playwright's own message.
    context.setDefaultTimeout(20_000);
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(preview.origin)) return route.continue();
      return route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL });
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await launched?.close();
    await preview?.stop();
    removeBuilds();
  });

  function watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    watch(page);
    return page;
  }

  /** Follow the link to `route`, wait for the page, and check it loaded cleanly. */
  async function follow(page: Page, route: string): Promise<void> {
    const link = page.locator(`a[href="${BASE}${route}"] >> visible=true`).first();
    await expect(link.count(), `a link to ${BASE}${route} on ${page.url()}`).resolves.toBeGreaterThan(0);
    await expect(link.innerText(), `the link to ${route} has a visible name`).resolves.toMatch(/\S/);
    await Promise.all([page.waitForURL(url(route)), link.click()]);
    await page.waitForLoadState('load');
    expect(problems).toEqual([]);
  }

  it('home -> previous day -> a paper -> its day -> next day -> previous day', async () => {
    problems = [];
    const page = await newPage();
    await page.goto(url(routes.home()), { waitUntil: 'load' });
    expect(problems).toEqual([]);
    await expect(page.locator('h1').count()).resolves.toBe(1);
    // The latest list day's papers are on the home page.
    const topPaper = fixture.papersOn(latestDay).sort((a, b) => b.paper.upvotes - a.paper.upvotes)[0]!.paper;
    await expect(page.locator(`a[href="${BASE}${routes.paper(topPaper.id)}"]`).count()).resolves.toBeGreaterThan(0);

    await follow(page, routes.day(previousDay));
    const paper = fixture.papersOn(previousDay)[0]!.paper;
    await follow(page, routes.paper(paper.id));
    await expect(page.locator('h1').innerText()).resolves.toContain(paper.title.slice(0, 20));
    await follow(page, routes.day(previousDay));
    await follow(page, routes.day(latestDay));
    await follow(page, routes.day(previousDay));
    // Previous from here skips the days without a list.
    await follow(page, routes.day(olderDay));
    await page.close();
  });

  it('typesets math: KaTeX visible, its MathML copy hidden by the KaTeX stylesheet', async () => {
    problems = [];
    const page = await newPage();
    await page.goto(url(routes.paper(MATH_ID)), { waitUntil: 'load' });
    const katex = page.locator('.katex').first();
    await expect(katex.isVisible()).resolves.toBe(true);
    const box = await page.locator('.katex-html').first().boundingBox();
    expect(box && box.width > 0 && box.height > 0).toBe(true);
    // Without the stylesheet every formula shows twice (HTML and MathML).
    const mathmlHidden = await page.evaluate(() => {
      const mathml = document.querySelector('.katex .katex-mathml');
      if (!mathml) return true;
      const rect = mathml.getBoundingClientRect();
      return rect.width <= 1 && rect.height <= 1;
    });
    expect(mathmlHidden).toBe(true);
    await page.evaluate(() => document.fonts.ready);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('no page reachable from home has a broken internal link', async () => {
    // Breadth-first over every internal page, as served by astro preview.
    const seen = new Set<string>([url(routes.home())]);
    const queue = [url(routes.home())];
    const broken: string[] = [];
    let pages = 0;
    while (queue.length > 0 && pages < 2_000) {
      const current = queue.shift()!;
      const response = await fetch(current);
      const body = await response.text();
      pages += 1;
      if (response.status !== 200) {
        broken.push(`${current}: HTTP ${response.status}`);
        continue;
      }
      if (!(response.headers.get('content-type') ?? '').includes('text/html')) continue;
      const html = new HtmlPage(body);
      for (const a of [...html.all('a'), ...html.all('link')]) {
        const href = html.attr(a, 'href');
        if (!href || href.startsWith('#')) continue;
        const target = new URL(href, current);
        target.hash = '';
        if (target.origin !== preview.origin) continue;
        if (!target.pathname.startsWith(BASE)) {
          broken.push(`${current}: ${href} is outside the base path`);
          continue;
        }
        if (!seen.has(target.href)) {
          seen.add(target.href);
          queue.push(target.href);
        }
      }
    }
    expect(broken).toEqual([]);
    // The crawl reached every list day and every paper.
    for (const day of fixture.listDays) expect(seen).toContain(url(routes.day(day)));
    for (const { paper } of fixture.papers) expect(seen).toContain(url(routes.paper(paper.id)));
  });

  it('answers a missing page with the 404 page', async () => {
    const response = await fetch(url('no/such/page/'));
    expect(response.status).toBe(404);
    const page = new HtmlPage(await response.text());
    expect(page.all('h1')).toHaveLength(1);
    expect(page.all('a').map((a) => page.attr(a, 'href'))).toContain(BASE);
  });

  const axeRoutes = [
    ['home', routes.home()],
    ['a day', routes.day(previousDay)],
    ['a month', routes.month(latestDay.slice(0, 4), latestDay.slice(5, 7))],
    ['a year', routes.year(latestDay.slice(0, 4))],
    ['the archive', routes.archive()],
    ['a paper', routes.paper(PLAIN_PAPER_ID)],
    ['the hostile paper with math', routes.paper(HOSTILE_ID)],
    ['the feeds page', routes.feeds()],
    ['papers with code', routes.code()],
    ['the 404 page', '404.html'],
  ] as const;
  for (const colorScheme of ['light', 'dark'] as const) {
    it.each(axeRoutes)(`axe-core finds no violations on %s (${colorScheme})`, async (_name, route) => {
      problems = [];
      const page = await newPage();
      await page.emulateMedia({ colorScheme });
      await page.goto(url(route), { waitUntil: 'load' });
      const violations = await axeViolations(page);
      expect(violations).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it.each([
    ['home', routes.home()],
    ['a day', routes.day(previousDay)],
    ['a month', routes.month(latestDay.slice(0, 4), latestDay.slice(5, 7))],
    ['a paper', routes.paper(PLAIN_PAPER_ID)],
    ['the hostile paper with math', routes.paper(HOSTILE_ID)],
    ['papers with code', routes.code()],
  ] as const)('%s fits a 320 px wide screen without horizontal scrolling', async (_name, route) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto(url(route), { waitUntil: 'load' });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(320);
    await page.close();
  });

  it('follows the reader light / dark preference', async () => {
    const page = await context.newPage();
    const colours: Record<string, string> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(url(routes.day(previousDay)), { waitUntil: 'load' });
      colours[colorScheme] = await page.evaluate(() => {
        const background = (el: Element) => getComputedStyle(el).backgroundColor;
        const body = document.body;
        const bg = background(body) === 'rgba(0, 0, 0, 0)' ? background(document.documentElement) : background(body);
        return `${bg} / ${getComputedStyle(body).color}`;
      });
    }
    expect(colours.dark).not.toBe(colours.light);
    await page.close();
  });

  it('shows where keyboard focus is', async () => {
    const page = await context.newPage();
    await page.goto(url(routes.day(previousDay)), { waitUntil: 'load' });
    const unmarked: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return {
          what: `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
          visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
        };
      });
      if (focus && !focus.visible) unmarked.push(focus.what);
    }
    expect(unmarked).toEqual([]);
    await page.close();
  });

  it('shows the start of each abstract on a day page and the whole of it one click away, without JavaScript', async () => {
    const noScript = await launched.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await noScript.newPage();
      await page.goto(url(routes.day(previousDay)), { waitUntil: 'load' });
      const card = page.locator('li.paper').first();
      const excerpt = (await card.locator('.excerpt').innerText()).replace(/…$/, '');
      expect(excerpt.length).toBeGreaterThan(40);
      await card.getByRole('link', { name: 'Full abstract and BibTeX' }).click();
      await page.waitForURL(/\/papers\//);
      expect((await page.locator('.abstract').innerText()).replace(/\s+/g, ' ')).toContain(excerpt.replace(/\s+/g, ' '));
    } finally {
      await noScript.close();
    }
  });
});
