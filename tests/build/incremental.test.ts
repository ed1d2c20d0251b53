/**
 * Warm builds (src/site/output-cache.ts) render only the pages whose model
 * changed (src/site/page-models.ts) and link the others from the cache. What a
 * reader must never notice: a warm build after a new list day and two upvote
 * changes is byte-for-byte the site a cold build of the same archive produces,
 * while most pages really came from the cache; an older paper page is rendered
 * again only when what it shows changed (its related papers never change
 * because a later day arrived); and a change of the settings the pages show
 * (here the repository a fork runs in) renders them all again.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
const REPOSITORY = 'example/paperboy-incremental-test';

let before: BuiltSite;
let warm: BuiltSite;
let cold: BuiltSite;
let warmForked: BuiltSite;
let coldForked: BuiltSite;
const saved = { time: process.env.PAPERBOY_BUILD_TIME, repository: process.env.GITHUB_REPOSITORY };

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** "rendered N of M <route>" from the build log. */
function rendered(site: BuiltSite, route: string): { rendered: number; total: number } {
  const match = new RegExp(`rendered (?:[^;]*, )?(\\d+) of (\\d+) ${route}[,;]`).exec(site.stdout);
  expect(match, `the build log says how many ${route} it rendered`).not.toBeNull();
  return { rendered: Number(match![1]), total: Number(match![2]) };
}

/** Whether `file` in `site` is the very file of the earlier build (linked from the cache, not rendered again). */
const sameFile = (site: BuiltSite, earlier: BuiltSite, file: string) => statSync(join(site.outDir, file)).ino === statSync(join(earlier.outDir, file)).ino;

function expectSameSite(a: BuiltSite, b: BuiltSite): void {
  const aFiles = filesOf(a.outDir);
  const bFiles = filesOf(b.outDir);
  expect({ onlyA: aFiles.filter((f) => !bFiles.includes(f)), onlyB: bFiles.filter((f) => !aFiles.includes(f)) }).toEqual({ onlyA: [], onlyB: [] });
  const different = aFiles.filter((f) => !readFileSync(join(a.outDir, f)).equals(readFileSync(join(b.outDir, f))));
  expect(different).toEqual([]);
}

beforeAll(async () => {
  // Week pages depend on the clock; pin it so the builds are comparable.
  process.env.PAPERBOY_BUILD_TIME = '2024-01-28';
  delete process.env.GITHUB_REPOSITORY;
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

  // The same archive built where a fork runs: every page's footer links its repository.
  process.env.GITHUB_REPOSITORY = REPOSITORY;
  warmForked = await buildSite({ contentDir: content, base: BASE, site: SITE, cacheDir, outDir: makeTempDir('paperboy-incremental-forked-') });
  coldForked = await buildSite({ contentDir: content, base: BASE, site: SITE, outDir: makeTempDir('paperboy-incremental-forked-cold-') });
}, 900_000);

afterAll(() => {
  for (const [name, value] of [['PAPERBOY_BUILD_TIME', saved.time], ['GITHUB_REPOSITORY', saved.repository]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  removeBuilds();
});

describe('a warm build after a new list day', () => {
  it('takes unchanged pages from the cache instead of rendering them again', () => {
    const papers = filesOf(warm.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f));
    const olderPapers = filesOf(before.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f));
    expect(rendered(before, 'paper pages')).toEqual({ rendered: olderPapers.length, total: olderPapers.length });
    // The new day's papers, and the few older pages that show one of the two changed upvote counts.
    const renderedOlder = olderPapers.filter((f) => !sameFile(warm, before, f));
    expect(renderedOlder).toContain(BUMPED_PAGE);
    expect(renderedOlder).toContain(NUDGED_PAGE);
    expect(renderedOlder.length).toBeLessThan(olderPapers.length / 4);
    expect(rendered(warm, 'paper pages')).toEqual({ rendered: papers.length - olderPapers.length + renderedOlder.length, total: papers.length });
    // A day two days back is untouched; the day before the new one links to it now.
    expect(sameFile(warm, before, '2023/12/29/index.html')).toBe(true);
    expect(sameFile(warm, before, '2024/01/02/index.html')).toBe(false);
  });

  it('writes only the .bib files it does not have: none changed, so all come from the cache', () => {
    const bibs = filesOf(warm.outDir).filter((f) => f.endsWith('.bib'));
    const olderBibs = filesOf(before.outDir).filter((f) => f.endsWith('.bib'));
    expect(warm.stdout).toContain(`; ${bibs.length - olderBibs.length} of ${bibs.length} site files written`);
    for (const bib of olderBibs) expect(sameFile(warm, before, bib), bib).toBe(true);
  });

  it('re-renders an older paper page only when what it shows changed, never for its related papers because of the new day', () => {
    const olderPages = filesOf(before.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f));
    const relatedOf = (dir: string, page: string) => {
      const html = readPage(join(dir, page));
      const list = html.all('ol').find((ol) => html.hasClass(ol, 'related'));
      return list ? html.all('a').filter((a) => html.contains(list, a)).map((a) => html.attr(a, 'href')!) : [];
    };
    // A page linked from the cache is the earlier build's very file; a rendered one is new.
    const renderedAgain = olderPages.filter((f) => !sameFile(warm, before, f));
    const changed = olderPages.filter((f) => !readFileSync(join(before.outDir, f)).equals(readFileSync(join(warm.outDir, f))));
    expect(renderedAgain).toEqual(changed);
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
    expectSameSite(warm, cold);
  });

  it('leaves the earlier build alone', () => {
    expect(readFileSync(join(before.outDir, 'papers/2401.00134/index.html'), 'utf8')).not.toContain('14013');
  });
});

describe('a warm build with other settings', () => {
  it('renders every page again and writes the site a cold build with those settings writes', () => {
    const papers = filesOf(warmForked.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f)).length;
    expect(rendered(warmForked, 'paper pages')).toEqual({ rendered: papers, total: papers });
    expect(readFileSync(join(warmForked.outDir, '2023/12/29/index.html'), 'utf8')).toContain(`https://github.com/${REPOSITORY}`);
    expectSameSite(warmForked, coldForked);
  });
});
