/**
 * Warm builds (astro.config.mjs: experimental.incrementalBuild) copy the pages
 * whose cache key is unchanged (src/site/page-models.ts)
 * instead of rendering them. What a reader must never notice: a warm build after
 * a new list day and two upvote changes is byte-for-byte the site a cold build of
 * the same archive produces, while most pages really came from the cache, and an
 * older paper page is rendered again only when what it shows changed (its related
 * papers never change because a later day arrived).
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, makeTempDir, removeBuilds } from '../helpers/build-site.ts';
import { readPage } from './html.ts';

const BASE = '/paperboy/';
const SITE = 'https://example.github.io';
const NEW_DAY_DIR = '2024/01/03';
const BUMPED_PAPER = '2024/01/02/2401.00134.md';
const BUMPED_PAGE = 'papers/2401.00134/index.html';
/** One more upvote for a paper that other pages list as related: their lists keep their order. */
const NUDGED_PAPER = '2024/01/02/2401.00368.md';
const NUDGED_PAGE = 'papers/2401.00368/index.html';

let before: BuiltSite;
let warm: BuiltSite;
let cold: BuiltSite;
const previousBuildTime = process.env.PAPERBOY_BUILD_TIME;

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  // Week pages depend on the clock; pin it so the builds are comparable.
  process.env.PAPERBOY_BUILD_TIME = '2024-01-28';
  const content = makeTempDir('paperboy-incremental-content-');
  cpSync(FIXTURE_ARCHIVE, content, { recursive: true });
  const held = makeTempDir('paperboy-incremental-held-');
  cpSync(join(content, NEW_DAY_DIR), held, { recursive: true });
  rmSync(join(content, NEW_DAY_DIR), { recursive: true });

  const cacheDir = makeTempDir('paperboy-incremental-cache-');
  before = await buildSite({ contentDir: content, base: BASE, site: SITE, cacheDir, outDir: makeTempDir('paperboy-incremental-before-') });

  // The next fetch: a new list day, and new upvotes for a paper of an older day.
  cpSync(held, join(content, NEW_DAY_DIR), { recursive: true });
  const bumped = join(content, BUMPED_PAPER);
  const text = readFileSync(bumped, 'utf8');
  expect(text).toMatch(/^upvotes: 13$/m);
  writeFileSync(bumped, text.replace(/^upvotes: 13$/m, 'upvotes: 14013'));
  const nudged = join(content, NUDGED_PAPER);
  const nudgedText = readFileSync(nudged, 'utf8');
  expect(nudgedText).toMatch(/^upvotes: 84$/m);
  writeFileSync(nudged, nudgedText.replace(/^upvotes: 84$/m, 'upvotes: 85'));

  warm = await buildSite({ contentDir: content, base: BASE, site: SITE, cacheDir, outDir: makeTempDir('paperboy-incremental-warm-') });
  cold = await buildSite({ contentDir: content, base: BASE, site: SITE, outDir: makeTempDir('paperboy-incremental-cold-') });
}, 600_000);

afterAll(() => {
  if (previousBuildTime === undefined) delete process.env.PAPERBOY_BUILD_TIME;
  else process.env.PAPERBOY_BUILD_TIME = previousBuildTime;
  removeBuilds();
});

describe('a warm build after a new list day', () => {
  it('takes unchanged pages from the cache instead of rendering them again', () => {
    const restored = warm.stdout.split('\n').filter((line) => /\((restored|cached)\)\s*$/.test(line));
    const restoredPapers = restored.filter((line) => line.includes('/papers/'));
    // Every paper of the older days but the two whose upvotes changed.
    const olderPapers = filesOf(before.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f)).length;
    expect(restoredPapers.length).toBe(olderPapers - 2);
    expect(restored.some((line) => line.includes(`/2024/01/02/papers.json`))).toBe(false);
    expect(restored.some((line) => line.includes(`/2023/12/29/index.html`))).toBe(true);
  });

  it('re-renders an older paper page only when what it shows changed, never for its related papers because of the new day', () => {
    const olderPages = filesOf(before.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f));
    const relatedOf = (dir: string, page: string) => {
      const html = readPage(join(dir, page));
      const list = html.all('ol').find((ol) => html.hasClass(ol, 'related'));
      return list ? html.all('a').filter((a) => html.contains(list, a)).map((a) => html.attr(a, 'href')!) : [];
    };
    // With pages rendered 4 at a time, log lines interleave; "(restored)" still follows its own page's path.
    const restored = new Set([...warm.stdout.matchAll(/\/(papers\/\S+\/index\.html) \(restored\)/g)].map((m) => m[1]!));
    const rendered = olderPages.filter((f) => !restored.has(f));
    const changed = olderPages.filter((f) => !readFileSync(join(before.outDir, f)).equals(readFileSync(join(warm.outDir, f))));
    expect(rendered).toEqual(changed);
    expect(changed).toContain(BUMPED_PAGE);
    expect(changed).toContain(NUDGED_PAGE);
    // The nudged paper is a related paper of older pages, which are not rendered again for it.
    const listing = olderPages.filter((page) => page !== NUDGED_PAGE && relatedOf(before.outDir, page).includes(`${BASE}papers/2401.00368/`));
    expect(listing.length).toBeGreaterThan(2);
    const newDayPapers = readdirSync(join(FIXTURE_ARCHIVE, NEW_DAY_DIR)).filter((f) => f.endsWith('.md')).map((f) => `${BASE}papers/${f.slice(0, -3)}/`);
    expect(newDayPapers.length).toBeGreaterThan(5);
    for (const page of olderPages) {
      // A later day never enters an older page's related papers...
      expect(relatedOf(warm.outDir, page).filter((href) => newDayPapers.includes(href)), page).toEqual([]);
      // ...and the only other changes that day are two papers' upvotes: their own pages, or a list they reorder.
      if (changed.includes(page) && page !== BUMPED_PAGE && page !== NUDGED_PAGE) {
        const lists = [...relatedOf(before.outDir, page), ...relatedOf(warm.outDir, page)];
        expect([`${BASE}papers/2401.00134/`, `${BASE}papers/2401.00368/`].some((href) => lists.includes(href)), page).toBe(true);
      }
    }
    // The new day's pages do show related papers (drawn from it and the days before).
    expect(relatedOf(warm.outDir, 'papers/2407.01489/index.html').length).toBeGreaterThan(0);
  });

  it('shows what changed: the new upvotes, the new day, the link from the day before', () => {
    const paper = readFileSync(join(warm.outDir, 'papers/2401.00134/index.html'), 'utf8');
    expect(paper).toContain('14013');
    expect(readFileSync(join(warm.outDir, '2024/01/02/index.html'), 'utf8')).toContain(`href="${BASE}2024/01/03/"`);
    expect(filesOf(warm.outDir)).toContain('2024/01/03/index.html');
  });

  it('writes exactly the site a cold build of the same archive writes, byte for byte', () => {
    const warmFiles = filesOf(warm.outDir);
    const coldFiles = filesOf(cold.outDir);
    expect({ onlyWarm: warmFiles.filter((f) => !coldFiles.includes(f)), onlyCold: coldFiles.filter((f) => !warmFiles.includes(f)) }).toEqual({
      onlyWarm: [],
      onlyCold: [],
    });
    const different = warmFiles.filter((f) => !readFileSync(join(warm.outDir, f)).equals(readFileSync(join(cold.outDir, f))));
    expect(different).toEqual([]);
  });
});
