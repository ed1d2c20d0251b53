/**
 * The build over archives a fork owner really ends up with: a paper stored
 * under two days (a hand copy, a move interrupted between write and delete),
 * a paper HF marks withdrawn, and broken files. What a reader must see: the
 * same site cold or warm, the duplicate under its earliest day, the withdrawn
 * paper still there and saying so; what the owner must see: a build that
 * fails on a broken file with one line naming it.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePaperFile, serializePaper } from '../../src/archive/paper-file.ts';
import { paperRelPath } from '../../src/archive/paths.ts';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, makeTempDir, PROJECT_ROOT, removeBuilds, runAstro, siteEnv } from '../helpers/build-site.ts';
import { listFiles, readPage } from './html.ts';

const BASE = '/paperboy/';
const SITE = 'https://example.github.io';
/** Archived under 2024-01-02 in the fixture; the copy under 2023-12-29 is the earlier one. */
const TWICE = '2401.00134';
const EARLY_DAY = '2023-12-29';
const LATE_DAY = '2024-01-02';
/** Archived under 2024-01-02; the second build sees it withdrawn. */
const WITHDRAWN = '2401.00246';
const WITHDRAWN_AT = '2024-03-05T10:00:00.000Z';
const WITHDRAWN_TEXT = 'Withdrawn on 5 March 2024';

let content: string;
let first: BuiltSite;
let warm: BuiltSite;
let cold: BuiltSite;
const previousBuildTime = process.env.PAPERBOY_BUILD_TIME;

const rel = (file: string) => relative(PROJECT_ROOT, file);
const paperHref = (id: string) => `${BASE}papers/${id}/`;
const dayRoute = (day: string) => `${day.replaceAll('-', '/')}/index.html`;

function copyFixture(prefix: string): string {
  const dir = makeTempDir(prefix);
  cpSync(FIXTURE_ARCHIVE, dir, { recursive: true });
  return dir;
}

function rewritePaper(dir: string, day: string, id: string, change: (text: string) => string): void {
  const file = join(dir, paperRelPath(day, id));
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

/** The output of a build that must fail. */
async function failedBuild(contentDir: string): Promise<string> {
  const env = siteEnv({ contentDir, base: BASE, site: SITE, cacheDir: makeTempDir('paperboy-broken-cache-') });
  try {
    await runAstro(['build', '--outDir', makeTempDir('paperboy-broken-dist-')], env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the build succeeded');
}

beforeAll(async () => {
  process.env.PAPERBOY_BUILD_TIME = '2024-01-28';
  content = copyFixture('paperboy-archive-files-content-');
  // The copy a move from the later day left behind, with its own upvotes so the page tells which file it shows.
  const later = parsePaperFile(readFileSync(join(content, paperRelPath(LATE_DAY, TWICE)), 'utf8'));
  writeFileSync(join(content, paperRelPath(EARLY_DAY, TWICE)), serializePaper({ ...later.paper, listDay: EARLY_DAY, upvotes: 7777 }, later.abstract));

  const cacheDir = makeTempDir('paperboy-archive-files-cache-');
  first = await buildSite({ contentDir: content, base: BASE, site: SITE, cacheDir, outDir: makeTempDir('paperboy-archive-files-first-') });
  // The next fetch: HF marks a paper withdrawn.
  rewritePaper(content, LATE_DAY, WITHDRAWN, (text) => {
    const { paper, abstract } = parsePaperFile(text);
    return serializePaper({ ...paper, withdrawnAt: WITHDRAWN_AT }, abstract);
  });
  warm = await buildSite({ contentDir: content, base: BASE, site: SITE, cacheDir, outDir: makeTempDir('paperboy-archive-files-warm-') });
  cold = await buildSite({ contentDir: content, base: BASE, site: SITE, outDir: makeTempDir('paperboy-archive-files-cold-') });
}, 600_000);

afterAll(() => {
  if (previousBuildTime === undefined) delete process.env.PAPERBOY_BUILD_TIME;
  else process.env.PAPERBOY_BUILD_TIME = previousBuildTime;
  removeBuilds();
});

describe('a paper archived under two days', () => {
  it.each([
    ['the first build', () => first],
    ['a warm build', () => warm],
    ['a cold build', () => cold],
  ])('belongs to the earliest day in %s', (_build, site) => {
    const { outDir } = site();
    const page = readPage(join(outDir, `papers/${TWICE}/index.html`));
    expect(page.text()).toContain('7777');
    const onTheList = page.all('a').filter((a) => page.attr(a, 'href') === `${BASE}${EARLY_DAY.replaceAll('-', '/')}/`);
    expect(onTheList.length).toBeGreaterThan(0);
    expect(readFileSync(join(outDir, dayRoute(EARLY_DAY)), 'utf8')).toContain(`href="${paperHref(TWICE)}"`);
    expect(readFileSync(join(outDir, dayRoute(LATE_DAY)), 'utf8')).not.toContain(`href="${paperHref(TWICE)}"`);
  });

  it('is named with both of its files in the log of every build, cold or warm', () => {
    const early = rel(join(content, paperRelPath(EARLY_DAY, TWICE)));
    const late = rel(join(content, paperRelPath(LATE_DAY, TWICE)));
    for (const site of [first, warm, cold]) {
      const line = site.stdout.split('\n').find((l) => l.includes(`paper ${TWICE} is archived more than once`));
      expect(line).toBeDefined();
      expect(line).toContain(`${early} and ${late}`);
      expect(line).toContain(`the site shows ${early}`);
      expect(line).toContain(`Delete ${late}.`);
    }
  });
});

describe('a withdrawn paper', () => {
  it('says so, and when, on its page without hiding anything', () => {
    const before = readPage(join(first.outDir, `papers/${WITHDRAWN}/index.html`));
    const after = readPage(join(warm.outDir, `papers/${WITHDRAWN}/index.html`));
    expect(before.text()).not.toContain('Withdrawn');
    expect(after.text()).toContain(`${WITHDRAWN_TEXT} (as Hugging Face reports it)`);
    // Everything else is still there: title, abstract, links, BibTeX.
    expect(after.text()).toContain(before.text().replace(/^.*?(?=On the list of)/, '').slice(0, 400));
    expect(after.all('pre').map((pre) => after.text(pre))).toEqual(before.all('pre').map((pre) => before.text(pre)));
  });

  it('says so in every list that shows it: its day, its week', () => {
    const pages = listFiles(warm.outDir).filter((f) => f.endsWith('.html') && !f.startsWith('papers/'));
    const listing = pages.filter((f) => readFileSync(join(warm.outDir, f), 'utf8').includes(`href="${paperHref(WITHDRAWN)}"`));
    expect(listing).toEqual(expect.arrayContaining([dayRoute(LATE_DAY), 'weeks/2024-W01/index.html']));
    for (const file of listing) {
      const page = readPage(join(warm.outDir, file));
      const links = page.all('a').filter((a) => page.attr(a, 'href') === paperHref(WITHDRAWN));
      // The paper's item: its <article> in a day list, its <li> in a compact list.
      for (const a of links) expect(page.text(page.closest(a, ['article']) ?? page.closest(a, ['li'])), file).toContain(WITHDRAWN_TEXT);
    }
  });

  it('says so in the feed items', () => {
    const url = `${SITE}${paperHref(WITHDRAWN)}`;
    const json = JSON.parse(readFileSync(join(warm.outDir, 'feed.json'), 'utf8')) as { items: { id: string; summary: string; content_html: string }[] };
    const item = json.items.find((i) => i.id === url)!;
    expect(item.summary.startsWith(`${WITHDRAWN_TEXT}. `)).toBe(true);
    expect(item.content_html).toContain(`<strong>${WITHDRAWN_TEXT} (as Hugging Face reports it).`);
    const rssItem = readFileSync(join(warm.outDir, 'rss.xml'), 'utf8').split('<item>').find((i) => i.includes(`<link>${url}</link>`))!;
    expect(rssItem).toContain(WITHDRAWN_TEXT);
    const atomEntry = readFileSync(join(warm.outDir, 'atom.xml'), 'utf8').split('<entry>').find((e) => e.includes(`<id>${url}</id>`))!;
    expect(atomEntry).toContain(WITHDRAWN_TEXT);
    const digest = JSON.parse(readFileSync(join(warm.outDir, 'daily/feed.json'), 'utf8')) as { items: { content_html: string }[] };
    const day = digest.items.find((i) => i.content_html.includes(url))!;
    expect(day.content_html).toMatch(new RegExp(`${url}">[^<]+</a> \\(\\d+ upvotes?; withdrawn on 5 March 2024\\)`));
  });
});

describe('the warm build after these changes', () => {
  it('writes exactly the site a cold build writes, byte for byte', () => {
    const warmFiles = listFiles(warm.outDir);
    expect(listFiles(cold.outDir)).toEqual(warmFiles);
    const different = warmFiles.filter((f) => !readFileSync(join(warm.outDir, f)).equals(readFileSync(join(cold.outDir, f))));
    expect(different).toEqual([]);
  });
});

describe('a broken file fails the build with one line naming it', () => {
  function expectOneLine(output: string, file: string, reason: RegExp): void {
    const lines = output.split('\n').filter((l) => l.includes(`${file}: `));
    expect(lines.length, output).toBeGreaterThan(0);
    for (const line of lines) expect(line.slice(line.indexOf(`${file}: `) + file.length + 2)).toMatch(reason);
    expect(output).not.toMatch(/Stack trace|^\s+at /m);
    expect(output).not.toMatch(/"code": "invalid_type"|\n\s+\d+ \|/);
  }

  it('a day.json cut short', async () => {
    const dir = copyFixture('paperboy-broken-day-');
    const file = join(dir, '2024/01/03/day.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    expectOneLine(await failedBuild(dir), rel(file), /^not a valid day record: not JSON: [^\n]+$/);
  }, 120_000);

  it('a day.json that breaks the schema', async () => {
    const dir = copyFixture('paperboy-broken-day-schema-');
    const file = join(dir, '2024/01/03/day.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"count": \d+/, '"count": -1'));
    expectOneLine(await failedBuild(dir), rel(file), /^not a valid day record: count: Too small: expected number to be >=0$/);
  }, 120_000);

  it('a paper file with broken YAML', async () => {
    const dir = copyFixture('paperboy-broken-paper-');
    rewritePaper(dir, LATE_DAY, WITHDRAWN, (text) => text.replace(/^title: (.*)$/m, 'title: $1\n  bad: indent'));
    const file = join(dir, paperRelPath(LATE_DAY, WITHDRAWN));
    expectOneLine(await failedBuild(dir), rel(file), /^not a valid paper file: YAML error at line 4: bad indentation of a mapping entry$/);
  }, 120_000);

  it('a paper file with a field of the wrong type', async () => {
    const dir = copyFixture('paperboy-broken-field-');
    rewritePaper(dir, LATE_DAY, WITHDRAWN, (text) => text.replace(/^upvotes: \d+$/m, 'upvotes: "many"'));
    const file = join(dir, paperRelPath(LATE_DAY, WITHDRAWN));
    expectOneLine(await failedBuild(dir), rel(file), /^not a valid paper file: upvotes: Invalid input: expected number, received string$/);
  }, 120_000);
});
