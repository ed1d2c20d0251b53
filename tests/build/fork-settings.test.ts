/**
 * The settings a fork makes for its readers, in a real build: the fixture
 * built from a copy of the project whose src/config.ts sets
 * `emailSubscribeUrl` and a `feedFilter`, next to the fixture built with the
 * defaults. With them: "Get it by email" on the home page, every day page and
 * /feeds/; the paper and daily digest feeds and the email digest carry only
 * the papers the filter keeps; the archive's pages, the weekly feed and
 * every other page keep every paper. With the defaults: no link anywhere,
 * every paper in every feed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedFilter } from '../../src/feeds/feed-filter.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { normalizeKeyword } from '../../src/discovery/topics.ts';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, projectWithConfig, removeBuilds } from '../helpers/build-site.ts';
import { loadFixture } from './fixture.ts';
import { listFiles } from './html.ts';

const SITE = 'https://example.github.io';
const BASE = '/paperboy/';
const ROOT = `${SITE}${BASE}`;
const EMAIL_URL = 'https://groups.google.com/g/paperboy-test-digest';
const FILTER: FeedFilter = { minUpvotes: 10, includeTopics: ['Large Language Models', 'LLMs'], excludeTopics: ['diffusion model'] };

const fixture = loadFixture();
const paperUrl = (id: string) => `${ROOT}papers/${id.replace('/', '_')}/`;
const dayUrl = (day: string) => `${ROOT}${day.replaceAll('-', '/')}/`;

/** The filter's rule, written out here from its documentation. */
function kept(paper: Paper): boolean {
  const topics = paper.keywords.map((k) => normalizeKeyword(k));
  const has = (names: string[]) => names.some((name) => topics.includes(normalizeKeyword(name)));
  return paper.upvotes >= FILTER.minUpvotes && has([...FILTER.includeTopics]) && !has([...FILTER.excludeTopics]);
}

/** Papers of the fixture in feed order: newest list day first, most upvoted first, ties by id. */
const inFeedOrder = (papers: Paper[]) =>
  [...papers].sort((a, b) => (a.listDay !== b.listDay ? (a.listDay < b.listDay ? 1 : -1) : b.upvotes - a.upvotes || (a.id < b.id ? -1 : 1)));
const allPapers = inFeedOrder(fixture.papers.map((p) => p.paper));
const keptPapers = allPapers.filter(kept);
const daysWithKept = fixture.listDays.filter((day) => keptPapers.some((p) => p.listDay === day)).reverse();

let project: string;
let forked: BuiltSite;
let plain: BuiltSite;
const read = (site: BuiltSite, path: string) => readFileSync(join(site.outDir, path), 'utf8');
const EMAIL_LINK = `<a href="${EMAIL_URL}">Get it by email</a>`;

beforeAll(async () => {
  project = projectWithConfig({ emailSubscribeUrl: EMAIL_URL, feedFilter: FILTER });
  forked = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE, projectRoot: project });
  plain = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE });
}, 600_000);

afterAll(() => removeBuilds());

describe('the fixture and the filter', () => {
  it('make a real test: the filter drops papers for every reason and leaves a day with none', () => {
    expect(keptPapers.length).toBeGreaterThan(2);
    expect(keptPapers.length).toBeLessThan(allPapers.length / 2);
    expect(allPapers.some((p) => !kept(p) && p.upvotes < FILTER.minUpvotes && p.keywords.some((k) => normalizeKeyword(k) === 'large language model'))).toBe(true);
    expect(allPapers.some((p) => !kept(p) && p.upvotes >= FILTER.minUpvotes && p.keywords.some((k) => normalizeKeyword(k) === 'diffusion model'))).toBe(true);
    expect(daysWithKept.length).toBeLessThan(fixture.listDays.length);
  });
});

describe('emailSubscribeUrl', () => {
  it('puts "Get it by email" on the home page, every day page and /feeds/', () => {
    for (const page of ['index.html', 'feeds/index.html', ...fixture.listDays.map((d) => `${d.replaceAll('-', '/')}/index.html`)]) {
      expect(read(forked, page), page).toContain(EMAIL_LINK);
    }
  });

  it('only there, and nowhere without the setting', () => {
    const pages = listFiles(forked.outDir).filter((f) => f.endsWith('.html'));
    const withLink = pages.filter((page) => read(forked, page).includes('Get it by email'));
    expect(withLink.sort()).toEqual(['index.html', 'feeds/index.html', ...fixture.listDays.map((d) => `${d.replaceAll('-', '/')}/index.html`)].sort());
    for (const page of listFiles(plain.outDir).filter((f) => f.endsWith('.html'))) expect(read(plain, page), page).not.toContain('Get it by email');
  });
});

describe('feedFilter', () => {
  it('paper feeds (RSS, Atom, JSON Feed) carry only the papers it keeps, and say so', () => {
    const expected = keptPapers.map((p) => paperUrl(p.id));
    const rss = parseRssFeed(read(forked, 'rss.xml'));
    expect(rss.items!.map((i) => i.link)).toEqual(expected);
    expect(rss.description).toContain("This site's selection: only papers with at least 10 upvotes, on Large Language Models, LLMs, not on diffusion model.");
    expect(parseAtomFeed(read(forked, 'atom.xml')).entries!.map((e) => e.id)).toEqual(expected);
    expect(parseJsonFeed(read(forked, 'feed.json')).items!.map((i) => i.url)).toEqual(expected);
  });

  it('daily digest feeds list only the kept papers of each day, and skip a day with none', () => {
    const atom = parseAtomFeed(read(forked, 'daily/atom.xml'));
    expect(atom.entries!.map((e) => e.links?.find((l) => l.rel === 'alternate')?.href)).toEqual(daysWithKept.map(dayUrl));
    for (const [i, day] of daysWithKept.entries()) {
      const html = atom.entries![i]!.content!.value!;
      const links = [...html.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);
      expect(links, day).toEqual(keptPapers.filter((p) => p.listDay === day).map((p) => paperUrl(p.id)));
      expect(html).toContain(`of the ${fixture.papersOn(day).length} papers listed`);
    }
    expect(parseRssFeed(read(forked, 'daily/rss.xml')).items!.map((i) => i.link)).toEqual(daysWithKept.map(dayUrl));
    expect(parseJsonFeed(read(forked, 'daily/feed.json')).items!.map((i) => i.url)).toEqual(daysWithKept.map(dayUrl));
  });

  it('the archive keeps every paper: day pages, paper pages and the weekly feed are as without a filter', () => {
    for (const day of fixture.listDays) {
      const page = `${day.replaceAll('-', '/')}/index.html`;
      for (const { paper } of fixture.papersOn(day)) expect(read(forked, page), `${page} ${paper.id}`).toContain(`href="${BASE}papers/${paper.id.replace('/', '_')}/"`);
    }
    for (const { paper } of fixture.papers) expect(existsSync(join(forked.outDir, `papers/${paper.id.replace('/', '_')}/index.html`))).toBe(true);
    expect(read(forked, 'weekly/atom.xml')).toBe(read(plain, 'weekly/atom.xml'));
  });

  it('without a filter every feed has every paper', () => {
    expect(parseRssFeed(read(plain, 'rss.xml')).items!.map((i) => i.link)).toEqual(allPapers.map((p) => paperUrl(p.id)));
    expect(parseAtomFeed(read(plain, 'daily/atom.xml')).entries).toHaveLength(fixture.listDays.length);
    expect(read(plain, 'rss.xml').includes("This site's selection")).toBe(false);
  });

  it('the email digest mails the papers the filter keeps, and nothing on a day it keeps none of', async () => {
    const run = (day: string) =>
      promisify(execFile)('node', [join(project, 'scripts/digest.ts'), '--content-dir', FIXTURE_ARCHIVE, '--date', day, '--dry-run'], {
        cwd: project,
        env: { ...process.env, SITE_URL: SITE, BASE_PATH: BASE, GITHUB_ACTIONS: 'false' },
      });
    const withKept = daysWithKept[0]!;
    const count = keptPapers.filter((p) => p.listDay === withKept).length;
    const { stdout } = await run(withKept);
    expect(stdout).toContain(`dry run for ${withKept}: ${count} paper`);
    const empty = fixture.listDays.find((day) => !daysWithKept.includes(day))!;
    const none = await run(empty);
    expect(none.stdout).toContain(`digest: none of the ${fixture.papersOn(empty).length} papers of ${empty} passes feedFilter in src/config.ts: nothing to send`);
  });
});

describe('a malformed setting', () => {
  it('stops the build before it renders anything, and the digest, with one line naming the setting', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ emailSubscribeUrl: 'javascript:alert(1)' }, `src/config.ts: emailSubscribeUrl must be an http(s) URL (a mailing list's join page), or '' for none; got "javascript:alert(1)"`],
      [{ feedFilter: { ...FILTER, minUpvotes: -1 } }, 'src/config.ts: feedFilter.minUpvotes must be a whole number of at least 0, got -1'],
    ];
    for (const [config, line] of cases) {
      const broken = projectWithConfig(config);
      const error = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE, projectRoot: broken }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      expect(error, JSON.stringify(config)).toBeDefined();
      const output = error!.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
      expect(output).toEqual(['[astro] Unable to load your Astro config', line]);
    }
    const broken = projectWithConfig({ feedFilter: { ...FILTER, includeTopics: ['!!'] } });
    const digest = await promisify(execFile)('node', [join(broken, 'scripts/digest.ts'), '--content-dir', FIXTURE_ARCHIVE, '--dry-run'], {
      cwd: broken,
      env: { ...process.env, SITE_URL: SITE, BASE_PATH: BASE, GITHUB_ACTIONS: 'false' },
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(digest?.code).toBe(1);
    expect(digest?.stderr).toBe(`digest: src/config.ts: feedFilter.includeTopics[0] ("!!") is not a topic: write a keyword such as 'diffusion model'\n`);
  }, 120_000);
});
