/**
 * The digest's HTML part in chromium, as a mail client's web view shows it:
 * 600 px and phone width without horizontal scrolling, readable in light and
 * dark, nothing fetched from the network. Screenshots go to
 * PAPERBOY_SCREENSHOT_DIR (default: a temp dir, printed) for a human to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readDayPapers } from '../../src/digest/archive.ts';
import { buildDigest, type DigestPaper } from '../../src/digest/compose.ts';
import { describeWithBrowser, launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts';
import { FIXTURE_ARCHIVE } from '../helpers/digest.ts';

const SCREENSHOT_DIR = process.env.PAPERBOY_SCREENSHOT_DIR || path.join(os.tmpdir(), 'paperboy-digest-screens');

function digestHtml(): string {
  const papers: DigestPaper[] = readDayPapers(FIXTURE_ARCHIVE, '2024-01-03');
  // A paper built to overflow: one unbreakable 180-character word and a long GitHub URL.
  const base = papers[0]!;
  papers.push({
    paper: {
      ...base.paper,
      id: '2401.00001',
      upvotes: 0,
      title: `Supercalifragilistic${'x'.repeat(160)}`,
      authors: ['A'.repeat(90), 'B', 'C', 'D', 'E'],
      githubRepo: `https://github.com/${'long-owner-name'.repeat(6)}/${'repository'.repeat(8)}`,
    },
    abstract: `${'y'.repeat(300)} and more`,
  });
  return buildDigest('2024-01-03', papers, {
    site: 'https://someone.github.io',
    base: '/paperboy/',
    siteTitle: 'Paperboy',
    unsubscribeUrl: 'https://github.com/someone/paperboy#unsubscribing-from-the-digest',
  }).html;
}

/** WCAG relative luminance of a computed `rgb(...)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number) as [number, number, number];
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describeWithBrowser('the digest email in chromium', () => {
  let launched: LaunchedBrowser;
  const html = digestHtml();
  beforeAll(async () => {
    launched = await launchBrowser();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await launched?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [600, 360]) {
      it(`fits ${width} px without horizontal scrolling and stays readable (${scheme})`, async () => {
        const context = await launched.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const requests: string[] = [];
        await context.route('**/*', (route) => {
          requests.push(route.request().url());
          return route.abort();
        });
        const page = await context.newPage();
        try {
          await page.setContent(html, { waitUntil: 'load' });
          const layout = await page.evaluate(() => {
            const probe = document.createElement('div');
            probe.style.cssText = 'background-color:Canvas;color:CanvasText';
            document.body.append(probe);
            const canvas = getComputedStyle(probe).backgroundColor;
            probe.remove();
            const color = (selector: string) => getComputedStyle(document.querySelector(selector)!).color;
            const rightmost = Math.max(...[...document.querySelectorAll('body *')].map((el) => el.getBoundingClientRect().right));
            return {
              scrollWidth: document.documentElement.scrollWidth,
              rightmost,
              columnWidth: document.querySelector('table table')!.getBoundingClientRect().width,
              canvas,
              heading: color('h1'),
              excerpt: color('div[dir="auto"][style*="font-size:15px"]'),
              link: color('a[dir="auto"]'), // a paper title
              muted: color('div[dir="auto"][style*="color:"]'), // an author list
            };
          });
          const shot = path.join(SCREENSHOT_DIR, `digest-${width}-${scheme}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          await page.screenshot({ path: shot.replace(/\.png$/, '-top.png') }); // first screen, at full size
          // The hostile paper and the overflow paper, at the end of the list.
          await page.locator('a[href$="/papers/2401.99999/"]').scrollIntoViewIfNeeded();
          await page.screenshot({ path: shot.replace(/\.png$/, '-end.png') });
          console.log(`digest screenshots: ${shot} (+ -top, -end)`);

          expect(layout.scrollWidth).toBeLessThanOrEqual(width);
          expect(layout.rightmost).toBeLessThanOrEqual(width);
          expect(layout.columnWidth).toBeLessThanOrEqual(600);
          // The client's own background: white in light, dark in dark (color-scheme meta honoured).
          expect(luminance(layout.canvas) > 0.5).toBe(scheme === 'light');
          expect(contrast(layout.heading, layout.canvas)).toBeGreaterThanOrEqual(7);
          expect(contrast(layout.excerpt, layout.canvas)).toBeGreaterThanOrEqual(7);
          expect(contrast(layout.link, layout.canvas)).toBeGreaterThanOrEqual(4);
          expect(contrast(layout.muted, layout.canvas)).toBeGreaterThanOrEqual(4);
          expect(requests).toEqual([]); // no remote CSS, fonts or images
        } finally {
          await context.close();
        }
      });
    }
  }
});
