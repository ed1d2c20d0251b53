/**
 * Discovery features in a real build under BASE_PATH=/paperboy/: the fixture
 * archive plus 100 generated papers (two more weeks of January 2024, keyword
 * variants of one topic, organizations including a hostile one), built with
 * PAPERBOY_BUILD_TIME=2024-01-28 so that week finality is deterministic.
 * Checks .bib files, organization, topic and week pages, topic
 * and weekly Atom feeds, hostile text, and that only /search/ has JavaScript;
 * and the scoped feeds (organizations, papers with code, only the best), the
 * month's best and its feed, the OPML lists and related papers.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteConfig } from '../../src/config.ts';
import { MORE_FEEDS, ORGS_OPML_PATH, SITE_FEEDS, TOPICS_OPML_PATH } from '../../src/feeds/catalog.ts';
import { serializeDayRecord, serializePaper } from '../../src/archive/paper-file.ts';
import { dayRecordRelPath, paperRelPath } from '../../src/archive/paths.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { isSafeSegment } from '../../src/discovery/slug.ts';
import { type HtmlPage, listFiles, readPage } from './html.ts';
import { loadFixture } from './fixture.ts';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, makeTempDir, removeBuilds } from '../helpers/build-site.ts';
import { relatedByDefinition } from '../discovery/related-reference.ts';
import { checkAtom, RFC3339 } from '../helpers/feed-checks.ts';

const SITE = 'https://example.github.io';
const BASE = '/paperboy/';
const ROOT = `${SITE}${BASE}`;
const BUILD_TIME = '2024-01-28';
/** Small search shards, so that this build has several (147 papers: 4 shards). */
const SHARD_PAPERS = 40;
const HOSTILE_ID = '2401.99999';
const HOSTILE_TEXT = '<script>alert("x")</script> & "Q" ]]>';
const HOSTILE_ORG = { name: '../../<script>Evil', fullname: `${HOSTILE_TEXT} Org` };
const SEED_ORG = { name: 'ByteDance-Seed', fullname: 'ByteDance Seed' };
const DIFFUSION_VARIANTS = ['Diffusion Models', 'diffusion model', 'DIFFUSION-MODELS'];
const GENERATED_DAYS = ['2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12', '2024-01-15', '2024-01-16', '2024-01-17', '2024-01-18', '2024-01-19'];

const template = loadFixture().byId.get('2401.00134')!;

/** The fixture plus 10 papers on each generated day. */
function writeArchive(): { dir: string; papers: Paper[] } {
  const dir = join(makeTempDir('paperboy-discovery-'), 'archive');
  cpSync(FIXTURE_ARCHIVE, dir, { recursive: true });
  const generated: Paper[] = [];
  GENERATED_DAYS.forEach((day, d) => {
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) {
      const index = d * 10 + n;
      const id = `2401.${String(50000 + index)}`;
      ids.push(id);
      const paper: Paper = {
        ...template.paper,
        id,
        title: index % 25 === 0 ? `${HOSTILE_TEXT} generated ${index}` : `Generated paper number ${index} on diffusion`,
        listDay: day,
        upvotes: (index * 37) % 101,
        keywords: [DIFFUSION_VARIANTS[index % 3]!, ...(index < 12 ? [`${HOSTILE_TEXT} keyword`] : []), 'process'],
        organization: index % 4 === 0 ? SEED_ORG : index === 7 ? HOSTILE_ORG : null,
        githubRepo: index % 3 === 0 ? `https://github.com/example/repo-${index}` : null,
        githubStars: index % 3 === 0 ? index * 1000 : null,
        updatedAt: `${day}T12:00:00.000Z`,
        fetchedAt: `${day}T06:00:00.000Z`,
      };
      generated.push(paper);
      const file = join(dir, paperRelPath(day, id));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, serializePaper(paper, template.abstract));
    }
    writeFileSync(
      join(dir, dayRecordRelPath(day)),
      serializeDayRecord({ day, count: 10, papers: ids.sort(), source: 'import', complete: true, firstFetchedAt: `${day}T06:00:00.000Z`, updatedAt: `${day}T12:00:00.000Z`, digestSentAt: null }),
    );
  });
  return { dir, papers: [...loadFixture().papers.map((p) => p.paper), ...generated] };
}

let site: BuiltSite;
let papers: Paper[];
let files: string[];
const read = (path: string) => readFileSync(join(site.outDir, path), 'utf8');
const page = (path: string) => readPage(join(site.outDir, path));
const slugOf = (id: string) => id.replace('/', '_');
const newestFirst = (a: Paper, b: Paper) => (a.listDay !== b.listDay ? (a.listDay < b.listDay ? 1 : -1) : b.upvotes - a.upvotes || (a.id < b.id ? -1 : 1));
const byUpvotes = (a: Paper, b: Paper) => b.upvotes - a.upvotes || (a.id < b.id ? -1 : 1);
const hrefs = (p: HtmlPage) => p.all('a').map((a) => p.attr(a, 'href') ?? '');
const diffusionPapers = () => papers.filter((p) => p.keywords.some((k) => /^\s*diffusion[\s_-]+models?\s*$/i.test(k))).sort(newestFirst);

beforeAll(async () => {
  const archive = writeArchive();
  papers = archive.papers;
  const previous = { time: process.env.PAPERBOY_BUILD_TIME, shards: process.env.PAPERBOY_SEARCH_SHARD_PAPERS };
  // Inherited by the astro child.
  process.env.PAPERBOY_BUILD_TIME = BUILD_TIME;
  process.env.PAPERBOY_SEARCH_SHARD_PAPERS = String(SHARD_PAPERS);
  try {
    site = await buildSite({ contentDir: archive.dir, base: BASE, site: SITE });
  } finally {
    for (const [name, value] of [['PAPERBOY_BUILD_TIME', previous.time], ['PAPERBOY_SEARCH_SHARD_PAPERS', previous.shards]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  files = listFiles(site.outDir);
}, 600_000);

afterAll(() => removeBuilds());

describe('data for machines', () => {
  it('writes no papers.json: the archive files are the data for scripts', () => {
    expect(files.filter((f) => f.endsWith('papers.json'))).toEqual([]);
  });

  it('passes only safe links on from hostile data: paper pages link http(s) URLs and organization pages', () => {
    const hostile = page(`papers/${HOSTILE_ID}/index.html`);
    expect(hrefs(hostile).filter((h) => !/^(https?:\/\/|\/|#)/.test(h))).toEqual([]);
    expect(hrefs(hostile)).toContain('https://example.org/?a=1&b=%3C2%3E'); // the project page, as a URL parser normalises it
    expect(hrefs(page('papers/2401.50000/index.html'))).toContain(`${BASE}orgs/bytedance-seed/`);
  });

  it('writes /papers/<slug>.bib next to every paper page without colliding with it', () => {
    for (const paper of papers) {
      const bib = read(`papers/${slugOf(paper.id)}.bib`);
      expect(bib).toMatch(/^@misc\{/);
      expect(bib).toContain(`eprint        = {${paper.id}},`);
      expect(existsSync(join(site.outDir, `papers/${slugOf(paper.id)}/index.html`))).toBe(true);
    }
    expect(read('papers/hep-th_9901001.bib')).toContain('{hep-th/9901001}');
    // The file is the entry the paper page shows, hostile text included.
    for (const id of [HOSTILE_ID, 'hep-th/9901001', '2401.50000']) {
      const paperPage = page(`papers/${slugOf(id)}/index.html`);
      expect(read(`papers/${slugOf(id)}.bib`).replace(/\s+/g, ' ').trim()).toBe(paperPage.text(paperPage.all('pre')[0]));
    }
    const paperPage = page(`papers/${HOSTILE_ID}/index.html`);
    expect(hrefs(paperPage)).toContain(`${BASE}papers/${HOSTILE_ID}.bib`);
  });

  it('documents both on the feeds page', () => {
    const text = page('feeds/index.html').text();
    expect(text).toContain('content/papers/YYYY/MM/DD/');
    expect(text).toContain(`${ROOT}papers/ID.bib`);
    expect(text).toContain(`${ROOT}weekly/atom.xml`);
  });
});

describe('organizations', () => {
  it('gives each organization a page under a safe directory, newest papers first, linked from paper pages', () => {
    const dirs = readdirSync(join(site.outDir, 'orgs'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(dirs).toHaveLength(2);
    for (const dir of dirs) expect(isSafeSegment(dir), dir).toBe(true);
    // Each organization: its page and its feed, nothing else.
    expect(files.filter((f) => f.startsWith('orgs/') && !f.startsWith('orgs/index') && !/^orgs\/[a-z0-9._-]+\/(index\.html|atom\.xml)$/.test(f))).toEqual([]);
    const seed = page('orgs/bytedance-seed/index.html');
    const expected = papers.filter((p) => p.organization?.name === 'ByteDance-Seed').sort(newestFirst);
    const listed = hrefs(seed).filter((h) => h.startsWith(`${BASE}papers/`));
    expect(listed).toEqual(expected.map((p) => `${BASE}papers/${p.id}/`));
    expect(hrefs(page('papers/2401.50000/index.html'))).toContain(`${BASE}orgs/bytedance-seed/`);
    expect(hrefs(page('orgs/index.html'))).toContain(`${BASE}orgs/bytedance-seed/`);
  });

  it('shows a hostile organization name as text', () => {
    const evilDir = readdirSync(join(site.outDir, 'orgs')).find((d) => d !== 'bytedance-seed' && d !== 'index.html')!;
    const evil = page(`orgs/${evilDir}/index.html`);
    expect(evil.all('h1').map((h) => evil.text(h))).toEqual([HOSTILE_ORG.fullname]);
    expect(evil.all('script')).toEqual([]);
  });
});

describe('topics', () => {
  it('folds keyword variants into one topic: its newest papers on its page, the rest on archive pages counted from the oldest', () => {
    const expected = diffusionPapers();
    const size = siteConfig.listPageSize;
    expect(expected.length).toBeGreaterThan(2 * size);
    const listedOn = (path: string) => {
      const p = page(path);
      return p.all('a').filter((a) => p.hasClass(a, 'title')).map((a) => p.attr(a, 'href')!);
    };
    const hrefOf = (p: Paper) => `${BASE}papers/${slugOf(p.id)}/`;
    expect(listedOn('topics/diffusion-model/index.html')).toEqual(expected.slice(0, size).map(hrefOf));
    const full = Math.floor(expected.length / size);
    const oldestFirst = [...expected].reverse();
    for (let k = 1; k <= full; k++) {
      const path = `topics/diffusion-model/${k}/index.html`;
      // Page k: the k-th `size` papers counted from the oldest, newest first on the page.
      expect(listedOn(path)).toEqual(oldestFirst.slice((k - 1) * size, k * size).reverse().map(hrefOf));
      expect(hrefs(page(path))).toContain(k < full ? `${BASE}topics/diffusion-model/${k + 1}/` : `${BASE}topics/diffusion-model/`);
      if (k > 1) expect(hrefs(page(path))).toContain(`${BASE}topics/diffusion-model/${k - 1}/`);
      // Nothing on an archive page changes when the topic grows: no paper count.
      expect(page(path).text()).not.toContain(String(expected.length));
    }
    expect(hrefs(page('topics/diffusion-model/index.html'))).toContain(`${BASE}topics/diffusion-model/${full}/`);
    expect(existsSync(join(site.outDir, `topics/diffusion-model/${full + 1}/index.html`))).toBe(false);
    expect(page('topics/diffusion-model/index.html').linkRel('alternate').map((l) => l.attributes.href)).toContain(`${ROOT}topics/diffusion-model/atom.xml`);
  });

  it('lists topics with at least minTopicPapers papers and their counts, and bounds the pages', () => {
    const index = page('topics/index.html');
    const items = index.all('li').filter((li) => li.parent && index.hasClass(li.parent, 'topic-list'));
    const diffusion = items.find((li) => index.text(li).startsWith('Diffusion Models'));
    expect(diffusion && index.text(diffusion)).toBe(`Diffusion Models ${diffusionPapers().length}`);
    for (const li of items) expect(Number(index.text(li).split(' ').at(-1))).toBeGreaterThanOrEqual(siteConfig.minTopicPapers);
    const topicDirs = readdirSync(join(site.outDir, 'topics'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(topicDirs.length).toBe(items.length);
    expect(topicDirs.length).toBeLessThanOrEqual(siteConfig.maxTopics);
    for (const dir of topicDirs) expect(isSafeSegment(dir), dir).toBe(true);
    // Every topic: its pages and one feed, nothing else.
    for (const dir of topicDirs) {
      const own = files.filter((f) => f.startsWith(`topics/${dir}/`));
      expect(own).toContain(`topics/${dir}/atom.xml`);
      expect(own.every((f) => f === `topics/${dir}/atom.xml` || /^topics\/[^/]+\/(\d+\/)?index\.html$/.test(f)), own.join(', ')).toBe(true);
    }
    // "process" stays "process": a topic of its own, not "proces".
    expect(topicDirs).toContain('process');
  });

  it('links keywords on paper pages to their topic', () => {
    const p = page('papers/2401.50001/index.html');
    expect(hrefs(p)).toContain(`${BASE}topics/diffusion-model/`);
    expect(hrefs(p)).toContain(`${BASE}topics/process/`);
  });

  it('publishes a valid Atom feed per topic: newest papers, absolute links, same ids as the main feeds', () => {
    const xml = read('topics/diffusion-model/atom.xml');
    const feed = checkAtom(xml, `${ROOT}topics/diffusion-model/atom.xml`, BASE);
    const expected = diffusionPapers().slice(0, siteConfig.topicFeedPapers);
    expect((feed.entries ?? []).map((e) => e.id)).toEqual(expected.map((p) => `${ROOT}papers/${slugOf(p.id)}/`));
    expect((feed.entries ?? []).map((e) => e.title?.value)).toEqual(expected.map((p) => p.title));
    // Summary-only entries keep 1,000 topic feeds small: the abstract as text, no HTML content.
    expect(xml).not.toContain('<content');
    expect((feed.entries ?? []).every((e) => (e.summary?.value ?? '').length > 20)).toBe(true);
  });

  it('keeps a hostile keyword topic as text on its page and in its feed', () => {
    const index = page('topics/index.html');
    const link = index.all('a').find((a) => index.text(a) === `${HOSTILE_TEXT} keyword`);
    expect(link).toBeDefined();
    const href = index.attr(link!, 'href')!;
    expect(href).toMatch(/^\/paperboy\/topics\/[a-z0-9._-]+\/$/);
    const dir = href.slice(BASE.length, -1);
    const topicPage = page(`${dir}/index.html`);
    expect(topicPage.text(topicPage.all('h1')[0])).toBe(`Topic: ${HOSTILE_TEXT} keyword`);
    const feed = checkAtom(read(`${dir}/atom.xml`), `${ROOT}${dir}/atom.xml`, BASE);
    expect(feed.title?.value).toBe(`Paperboy: ${HOSTILE_TEXT} keyword`);
    expect(feed.entries?.length).toBe(12);
  });
});

describe('weekly bests', () => {
  it('has a page per ISO week with its top papers by upvotes, across the year boundary', () => {
    const weekDirs = readdirSync(join(site.outDir, 'weeks'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(weekDirs).toEqual(['2023-W52', '2024-W01', '2024-W02', '2024-W03']);
    const w01 = page('weeks/2024-W01/index.html');
    const inWeek = papers.filter((p) => p.listDay >= '2024-01-01' && p.listDay <= '2024-01-07').sort(byUpvotes).slice(0, siteConfig.weeklyTopPapers);
    const listed = w01.all('a').filter((a) => w01.hasClass(a, 'title')).map((a) => w01.attr(a, 'href'));
    expect(listed).toEqual(inWeek.map((p) => `${BASE}papers/${slugOf(p.id)}/`));
    expect(w01.all('ol').some((ol) => w01.hasClass(ol, 'ranked'))).toBe(true);
    // 2023-12-29 is in 2023-W52, the list days of 2024-01-02/03 in 2024-W01.
    expect(hrefs(page('weeks/2023-W52/index.html'))).toContain(`${BASE}2023/12/29/`);
  });

  it('says whether the ranking is final, relative to the build time', () => {
    // Build time 2024-01-28: 2024-W02 ended on 2024-01-14, 14 days before; 2024-W03 ended 2024-01-21.
    for (const week of ['2023-W52', '2024-W01', '2024-W02']) expect(page(`weeks/${week}/index.html`).text(), week).toContain('Final ranking.');
    const w03 = page('weeks/2024-W03/index.html').text();
    expect(w03).toContain('Provisional ranking.');
    expect(w03).toContain('4 February 2024');
  });

  it('publishes a valid weekly Atom feed of final weeks only, with stable tag: ids', () => {
    const feed = checkAtom(read('weekly/atom.xml'), `${ROOT}weekly/atom.xml`, BASE);
    const entries = feed.entries ?? [];
    expect(entries.map((e) => e.id)).toEqual([
      'tag:example.github.io,2024-01-08:/paperboy/weeks/2024-W02',
      'tag:example.github.io,2024-01-01:/paperboy/weeks/2024-W01',
      'tag:example.github.io,2023-12-25:/paperboy/weeks/2023-W52',
    ]);
    expect(entries.map((e) => e.links?.find((l) => l.rel === 'alternate')?.href)).toEqual(
      ['2024-W02', '2024-W01', '2023-W52'].map((w) => `${ROOT}weeks/${w}/`),
    );
    expect(entries[0]!.published).toBe('2024-01-28T00:00:00Z');
  });
});

const withCode = () => papers.filter((p) => /^https?:\/\//.test(p.githubRepo ?? '')).sort(newestFirst);
const recentDays = () => [...new Set(papers.map((p) => p.listDay))].sort().reverse().slice(0, siteConfig.feedDays);
const titleLinks = (p: HtmlPage) => p.all('a').filter((a) => p.hasClass(a, 'title')).map((a) => p.attr(a, 'href')!);
const paperHref = (paper: Paper) => `${BASE}papers/${slugOf(paper.id)}/`;
const paperFeedId = (paper: Paper) => `${ROOT}papers/${slugOf(paper.id)}/`;

describe('scoped feeds', () => {
  it('gives every organization an Atom feed of its newest papers, announced and linked from its page', () => {
    const dirs = readdirSync(join(site.outDir, 'orgs'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(dirs).toHaveLength(2);
    for (const dir of dirs) {
      const feedUrl = `${ROOT}orgs/${dir}/atom.xml`;
      const feed = checkAtom(read(`orgs/${dir}/atom.xml`), feedUrl, BASE);
      const orgPage = page(`orgs/${dir}/index.html`);
      expect(orgPage.linkRel('alternate').filter((l) => l.attributes.type === 'application/atom+xml').map((l) => l.attributes.href)).toContain(feedUrl);
      expect(hrefs(orgPage)).toContain(feedUrl);
      expect(orgPage.text()).toContain(feedUrl);
      const listed = titleLinks(orgPage).map((href) => `${SITE}${href}`);
      expect((feed.entries ?? []).map((e) => e.id)).toEqual(listed.slice(0, siteConfig.topicFeedPapers));
    }
    const seed = checkAtom(read('orgs/bytedance-seed/atom.xml'), `${ROOT}orgs/bytedance-seed/atom.xml`, BASE);
    const expected = papers.filter((p) => p.organization?.name === 'ByteDance-Seed').sort(newestFirst).slice(0, siteConfig.topicFeedPapers);
    expect((seed.entries ?? []).map((e) => e.id)).toEqual(expected.map(paperFeedId));
    expect(seed.title?.value).toBe('Paperboy: ByteDance Seed');
    const evilDir = dirs.find((d) => d !== 'bytedance-seed')!;
    expect(checkAtom(read(`orgs/${evilDir}/atom.xml`), `${ROOT}orgs/${evilDir}/atom.xml`, BASE).title?.value).toBe(`Paperboy: ${HOSTILE_ORG.fullname}`);
  });

  it('lists every paper with code at /code/, newest first, with archive pages counted from the oldest like topics, with its stars linking the repository', () => {
    const expected = withCode();
    const size = siteConfig.listPageSize;
    expect(expected.length).toBeGreaterThan(size);
    const full = Math.floor(expected.length / size);
    const oldestFirst = [...expected].reverse();
    const listed = titleLinks(page('code/index.html'));
    expect(listed).toEqual(expected.slice(0, size).map(paperHref));
    for (let k = 1; k <= full; k++) {
      const p = page(`code/${k}/index.html`);
      expect(titleLinks(p)).toEqual(oldestFirst.slice((k - 1) * size, k * size).reverse().map(paperHref));
      expect(hrefs(p)).toContain(k < full ? `${BASE}code/${k + 1}/` : `${BASE}code/`);
      listed.push(...titleLinks(p));
    }
    // Every paper with code is on a page, none twice but those the newest page and the newest archive page share.
    expect(new Set(listed)).toEqual(new Set(expected.map(paperHref)));
    expect(hrefs(page('code/index.html'))).toContain(`${BASE}code/${full}/`);
    expect(existsSync(join(site.outDir, `code/${full + 1}/index.html`))).toBe(false);
    // The hostile javascript: repository is not code.
    expect(listed).not.toContain(`${BASE}papers/${HOSTILE_ID}/`);
    const first = page('code/index.html');
    const stars = first.all('a').filter((a) => a.attributes.href === 'https://github.com/example/repo-99');
    expect(stars.map((a) => first.text(a))).toEqual(['99,000 stars']);
    expect(first.linkRel('alternate').map((l) => l.attributes.href)).toContain(`${ROOT}code/atom.xml`);
    expect(hrefs(page('feeds/index.html'))).toContain(`${BASE}code/`);
  });

  it('publishes the papers with code of the recent list days as a valid Atom feed', () => {
    const feed = checkAtom(read('code/atom.xml'), `${ROOT}code/atom.xml`, BASE);
    const days = recentDays();
    const expected = withCode().filter((p) => days.includes(p.listDay));
    expect(expected.length).toBeGreaterThan(5);
    expect((feed.entries ?? []).map((e) => e.id)).toEqual(expected.map(paperFeedId));
  });

  it('publishes only the best in RSS, Atom and JSON Feed: the recent papers with enough upvotes, dated by their list day', () => {
    const days = recentDays();
    const expected = papers
      .filter((p) => days.includes(p.listDay) && p.upvotes >= siteConfig.topFeedMinUpvotes)
      .sort((a, b) => (a.listDay !== b.listDay ? (a.listDay < b.listDay ? 1 : -1) : byUpvotes(a, b)));
    expect(expected.length).toBeGreaterThan(5);
    const atom = checkAtom(read('top/atom.xml'), `${ROOT}top/atom.xml`, BASE);
    expect((atom.entries ?? []).map((e) => e.id)).toEqual(expected.map(paperFeedId));
    expect((atom.entries ?? []).map((e) => e.published)).toEqual(expected.map((p) => `${p.listDay}T00:00:00Z`));
    const rssXml = read('top/rss.xml');
    expect(XMLValidator.validate(rssXml)).toBe(true);
    const rss = parseRssFeed(rssXml);
    expect(rss.atom?.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${ROOT}top/rss.xml` }));
    expect((rss.items ?? []).map((i) => i.guid?.value)).toEqual(expected.map(paperFeedId));
    const json = parseJsonFeed(read('top/feed.json'));
    expect(json.feed_url).toBe(`${ROOT}top/feed.json`);
    expect((json.items ?? []).map((i) => i.id)).toEqual(expected.map(paperFeedId));
    for (const item of json.items ?? []) expect(item.date_published).toMatch(RFC3339);
  });
});

describe("the month's best", () => {
  it('ranks each month’s most upvoted papers under its calendar, final or provisional by the build time', () => {
    const january = page('2024/01/index.html');
    const expected = papers.filter((p) => p.listDay.startsWith('2024-01')).sort(byUpvotes).slice(0, siteConfig.monthlyTopPapers);
    const section = january.all('section').find((el) => el.attributes['aria-labelledby'] === 'month-best')!;
    expect(section).toBeDefined();
    const ranked = january.all('ol').filter((ol) => january.hasClass(ol, 'ranked') && january.contains(section, ol));
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.children.filter((c) => c.type === 'element').length).toBe(siteConfig.monthlyTopPapers);
    expect(titleLinks(january)).toEqual(expected.map(paperHref));
    // The calendar comes first.
    const tableAt = january.elements.indexOf(january.all('table')[0]!);
    expect(january.elements.indexOf(section)).toBeGreaterThan(tableAt);
    // Build time 2024-01-28: December's ranking is final since 2024-01-14, January's from 2024-02-14.
    expect(january.text(section)).toContain('Provisional ranking.');
    expect(january.text(section)).toContain('14 February 2024');
    expect(page('2023/12/index.html').text()).toContain('Final ranking.');
    expect(january.linkRel('alternate').map((l) => l.attributes.href)).toContain(`${ROOT}monthly/atom.xml`);
  });

  it('publishes a valid monthly Atom feed of final months only, with stable tag: ids', () => {
    const feed = checkAtom(read('monthly/atom.xml'), `${ROOT}monthly/atom.xml`, BASE);
    const entries = feed.entries ?? [];
    expect(entries.map((e) => e.id)).toEqual(['tag:example.github.io,2023-12-01:/paperboy/monthly/2023-12']);
    expect(entries[0]!.links?.find((l) => l.rel === 'alternate')?.href).toBe(`${ROOT}2023/12/`);
    expect(entries[0]!.published).toBe('2024-01-14T00:00:00Z');
  });
});

describe('OPML lists', () => {
  function outlines(path: string) {
    const xml = read(path);
    expect(XMLValidator.validate(xml), path).toBe(true);
    expect(xml).toContain('<opml version="2.0">');
    const opml = parseOpml(xml);
    expect(opml.head?.title).toBeTruthy();
    const list = opml.body?.outlines ?? [];
    for (const o of list) {
      expect(o.type).toBe('rss');
      expect(o.text).toBeTruthy();
      for (const url of [o.xmlUrl!, o.htmlUrl!]) {
        expect(url.startsWith(ROOT), url).toBe(true);
        const rel = url.slice(ROOT.length);
        expect(existsSync(join(site.outDir, rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel)), url).toBe(true);
      }
    }
    return list;
  }

  it('feeds.opml lists every site-wide feed; topics.opml and orgs.opml every topic and organization feed', () => {
    expect(outlines('feeds.opml').map((o) => o.xmlUrl)).toEqual(SITE_FEEDS.map((f) => `${ROOT}${f.path}`));
    const topicFeeds = files.filter((f) => /^topics\/[^/]+\/atom\.xml$/.test(f)).map((f) => `${ROOT}${f}`);
    expect(topicFeeds.length).toBeGreaterThan(1);
    expect(outlines(TOPICS_OPML_PATH).map((o) => o.xmlUrl).sort()).toEqual(topicFeeds.sort());
    const orgFeeds = files.filter((f) => /^orgs\/[^/]+\/atom\.xml$/.test(f)).map((f) => `${ROOT}${f}`);
    const orgs = outlines(ORGS_OPML_PATH);
    expect(orgs.map((o) => o.xmlUrl).sort()).toEqual(orgFeeds.sort());
    expect(orgs.map((o) => o.text)).toContain(`Paperboy: ${HOSTILE_ORG.fullname}`);
  });

  it('the feeds page explains each with its absolute URL, announces them, and offers the three OPML files', () => {
    const feedsPage = page('feeds/index.html');
    const text = feedsPage.text();
    for (const feed of SITE_FEEDS) expect(text).toContain(`${ROOT}${feed.path}`);
    for (const path of ['feeds.opml', TOPICS_OPML_PATH, ORGS_OPML_PATH]) {
      expect(text).toContain(`${ROOT}${path}`);
      expect(hrefs(feedsPage)).toContain(`${BASE}${path}`);
    }
    const announced = feedsPage.linkRel('alternate').map((l) => l.attributes.href);
    for (const feed of MORE_FEEDS) expect(announced).toContain(`${ROOT}${feed.path}`);
  });
});

const javaFound = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!javaFound && process.env.CI !== 'true')('the new pages in the Nu HTML checker', () => {
  it('finds zero errors on organization, code, month and paper pages of this archive', () => {
    const vnu = join(dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
    const pages = ['orgs/bytedance-seed/index.html', 'code/index.html', 'code/1/index.html', '2024/01/index.html', '2023/12/index.html', 'papers/2401.50001/index.html', 'feeds/index.html'];
    for (const p of pages) expect(existsSync(join(site.outDir, p)), p).toBe(true);
    const result = spawnSync('java', ['-jar', vnu, '--format', 'json', '--errors-only', ...pages.map((p) => join(site.outDir, p))], { encoding: 'utf8', timeout: 300_000 });
    expect(result.error, String(result.error)).toBeUndefined();
    const messages = (JSON.parse(result.stderr) as { messages: { type: string; url?: string; message: string }[] }).messages;
    expect(messages.filter((m) => m.type === 'error').map((m) => `${m.url}: ${m.message}`)).toEqual([]);
  }, 300_000);
});

describe('related papers', () => {
  it('each paper page shows up to five related papers, from its own and earlier list days, ranked as defined', () => {
    const expected = relatedByDefinition(papers, siteConfig.relatedPapers);
    const byId = new Map(papers.map((p) => [p.id, p]));
    let shown = 0;
    for (const paper of papers) {
      const p = page(`papers/${slugOf(paper.id)}/index.html`);
      const lists = p.all('ol').filter((ol) => p.hasClass(ol, 'related'));
      const ids = (expected.get(paper.id) ?? []).map((id) => byId.get(id)!);
      if (ids.length === 0) {
        expect(lists, paper.id).toEqual([]);
        continue;
      }
      expect(lists).toHaveLength(1);
      const links = p.all('a').filter((a) => p.contains(lists[0]!, a));
      expect(links.map((a) => p.attr(a, 'href')), paper.id).toEqual(ids.map(paperHref));
      // Titles as text (those with TeX render as math).
      links.forEach((a, i) => ids[i]!.title.includes('$') || expect(p.text(a)).toBe(ids[i]!.title.replace(/\s+/g, ' ').trim()));
      for (const r of ids) expect(r.listDay <= paper.listDay).toBe(true);
      shown += ids.length;
    }
    expect(shown).toBeGreaterThan(papers.length * 3);
  });
});

describe('search and JavaScript', () => {
  it('indexes exactly the papers in shards, and the search page loads and merges them under the base path', () => {
    const shards = Math.ceil(papers.length / SHARD_PAPERS);
    expect(shards).toBe(4);
    const dirs = Array.from({ length: shards }, (_, i) => (i === 0 ? 'pagefind' : `pagefind-${i + 1}`));
    const counts = dirs.map((dir) => JSON.parse(read(`${dir}/pagefind-entry.json`)).languages.en.page_count as number);
    expect(counts).toEqual([40, 40, 40, papers.length - 120]);
    expect(existsSync(join(site.outDir, `pagefind-${shards + 1}`))).toBe(false);
    expect(site.stdout).toMatch(new RegExp(`search index: ${papers.length} papers indexed in 4 shards \\(0 from cache, ${papers.length} files parsed\\), \\d+ files, [\\d.]+ MB, in [\\d.]+ s, build waited [\\d.]+ s`));
    // Every paper's record links to its page under the base path, with the organization filter the page shows.
    const records = dirs.flatMap((dir) =>
      readdirSync(join(site.outDir, dir, 'fragment')).map((file) => {
        const text = gunzipSync(readFileSync(join(site.outDir, dir, 'fragment', file))).toString('utf8');
        return JSON.parse(text.slice(text.indexOf('{'))) as { url: string; meta: { title: string }; filters: { organization?: string[] } };
      }),
    );
    expect(records.map((r) => r.url).sort()).toEqual(papers.map((p) => `${BASE}papers/${slugOf(p.id)}/`).sort());
    for (const r of records) expect(existsSync(join(site.outDir, r.url.slice(BASE.length), 'index.html')), r.url).toBe(true);
    const seeded = records.find((r) => r.url === `${BASE}papers/2401.50000/`)!;
    expect(seeded.filters.organization).toEqual([SEED_ORG.fullname]);
    expect(seeded.meta.title).toBe(papers.find((p) => p.id === '2401.50000')!.title);
    const search = page('search/index.html');
    const widget = search.all('div').find((d) => d.attributes.id === 'search')!;
    expect(JSON.parse(widget.attributes['data-merge']!)).toEqual(dirs.slice(1).map((dir) => `${BASE}${dir}/`));
    expect(search.all('script').map((s) => search.attr(s, 'src')).filter(Boolean)).toEqual([`${BASE}pagefind/pagefind-ui.js`]);
    expect(search.linkRel('stylesheet').map((l) => l.attributes.href)).toContain(`${BASE}pagefind/pagefind-ui.css`);
    expect(search.source).toContain('<noscript>');
    expect(search.source).toContain('site:example.github.io/paperboy');
    expect(hrefs(page('index.html'))).toContain(`${BASE}search/`);
  });

  it('has no client JavaScript on any other page, and no markup from hostile data anywhere', () => {
    expect(page(`papers/${HOSTILE_ID}/index.html`).text()).toContain('<i>Eve</i>');
    const problems: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.html') && !f.startsWith('search/'))) {
      const p = page(file);
      if (p.all('script').length > 0) problems.push(`${file}: <script>`);
      // Hostile names and keywords (<i>Eve</i>, <b>kw</b>) must stay text, never become elements.
      if (p.all('i').some((el) => p.text(el) === 'Eve') || p.all('b').some((el) => p.text(el) === 'kw')) problems.push(`${file}: markup from data`);
      for (const el of p.elements) for (const name of Object.keys(el.attributes)) if (/^on/i.test(name)) problems.push(`${file}: ${name}`);
    }
    expect(problems).toEqual([]);
  });
});
