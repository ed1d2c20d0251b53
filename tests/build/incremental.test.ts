/**
 * Warm builds (astro.config.mjs: experimental.incrementalBuild) copy the pages
 * whose cache key is unchanged (src/lib/page-models.ts)
 * instead of rendering them. What a reader must never notice: a warm build after
 * a new list day and an upvote change is byte-for-byte the site a cold build of
 * the same archive produces, while most pages really came from the cache.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, makeTempDir, removeBuilds } from '../helpers/build-site.ts';

const BASE = '/paperboy/';
const SITE = 'https://example.github.io';
const NEW_DAY_DIR = '2024/01/03';
const BUMPED_PAPER = '2024/01/02/2401.00134.md';

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
    // Every paper of the older days but the one whose upvotes changed.
    const olderPapers = filesOf(before.outDir).filter((f) => /^papers\/[^/]+\/index\.html$/.test(f)).length;
    expect(restoredPapers.length).toBe(olderPapers - 1);
    expect(restored.some((line) => line.includes(`/2024/01/02/papers.json`))).toBe(false);
    expect(restored.some((line) => line.includes(`/2023/12/29/index.html`))).toBe(true);
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
