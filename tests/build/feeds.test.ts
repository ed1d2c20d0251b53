/**
 * The feeds of a real build of the fixture archive under a base path
 * (BASE_PATH=/paperboy/, SITE_URL=https://example.github.io), read the way
 * readers read them: a strict XML parser, a maintained feed parser
 * (feedsmith), and Debian's newsboat subscribed to the served site.
 *
 * Builds (each once, shared by all tests here): the fixture; the fixture again
 * (must be byte-identical); a copy with changed upvotes (ids must not change);
 * an empty archive (feeds still valid).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDS, OPML_PATH, SITE_FEEDS } from '../../src/feeds/catalog.ts';
import { parsePaperFile } from '../../src/archive/paper-file.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, makeTempDir } from '../helpers/build-site.ts';
import { describeWithBrowser, launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts';
import { type Preview, startPreview } from '../helpers/preview.ts';

const SITE = 'https://example.github.io';
const BASE = '/paperboy/';
const ROOT = `${SITE}${BASE}`;
const HOSTILE_ID = '2401.99999';
const FEED_DAYS = 7;

// ------------------------------------------------------------- expectations

function walk(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path, test);
    return test(entry.name) ? [path] : [];
  });
}

function readArchive(dir: string): Paper[] {
  return walk(dir, (name) => name.endsWith('.md')).map((file) => parsePaperFile(readFileSync(file, 'utf8')).paper);
}

/** What the paper feeds should hold, in order: newest list day first, most upvoted first, ties by id. */
function expectedPaperOrder(papers: Paper[]): Paper[] {
  const days = [...new Set(papers.map((p) => p.listDay))].sort().reverse().slice(0, FEED_DAYS);
  return papers
    .filter((p) => days.includes(p.listDay))
    .sort((a, b) => (a.listDay !== b.listDay ? (a.listDay < b.listDay ? 1 : -1) : b.upvotes - a.upvotes || (a.id < b.id ? -1 : 1)));
}

const paperUrl = (id: string) => `${ROOT}papers/${id.replace('/', '_')}/`;
const dayUrl = (day: string) => `${ROOT}${day.replaceAll('-', '/')}/`;

/** A copy of the fixture where every upvote count changed (reversing each day's order) and updatedAt moved on. */
function fixtureWithNewUpvotes(): string {
  const dir = join(makeTempDir('paperboy-feeds-upvotes-'), 'archive');
  cpSync(FIXTURE_ARCHIVE, dir, { recursive: true });
  for (const file of walk(dir, (name) => name.endsWith('.md'))) {
    const text = readFileSync(file, 'utf8')
      .replace(/^upvotes: (\d+)$/m, (_, n: string) => `upvotes: ${1000 - Number(n)}`)
      .replace(/^comments: (\d+)$/m, (_, n: string) => `comments: ${Number(n) + 5}`)
      .replace(/^updatedAt: ".*"$/m, 'updatedAt: "2024-01-20T06:00:00.000Z"');
    writeFileSync(file, text);
  }
  return dir;
}

// ------------------------------------------------------------------ parsing

const XML_FEEDS = FEEDS.filter((f) => f.format !== 'json');
const read = (site: BuiltSite, path: string) => readFileSync(join(site.outDir, path), 'utf8');

function strictXml(xml: string, name: string): void {
  const result = XMLValidator.validate(xml);
  expect(result, `${name} is not well-formed: ${JSON.stringify(result)}`).toBe(true);
}

/** Ids of every feed, by feed path. */
function feedIds(site: BuiltSite): Record<string, string[]> {
  const ids: Record<string, string[]> = {};
  for (const feed of FEEDS) {
    const text = read(site, feed.path);
    if (feed.format === 'rss') ids[feed.path] = (parseRssFeed(text).items ?? []).map((i) => i.guid?.value ?? '');
    else if (feed.format === 'atom') ids[feed.path] = (parseAtomFeed(text).entries ?? []).map((e) => e.id ?? '');
    else ids[feed.path] = (parseJsonFeed(text).items ?? []).map((i) => i.id ?? '');
  }
  return ids;
}

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

// ------------------------------------------------------------------- builds

let site: BuiltSite;
let rebuilt: BuiltSite;
let bumped: BuiltSite;
let empty: BuiltSite;
let fixturePapers: Paper[];
let bumpedPapers: Paper[];

beforeAll(async () => {
  fixturePapers = readArchive(FIXTURE_ARCHIVE);
  const bumpedDir = fixtureWithNewUpvotes();
  bumpedPapers = readArchive(bumpedDir);
  const emptyDir = join(makeTempDir('paperboy-feeds-empty-'), 'archive');
  mkdirSync(emptyDir);
  // One at a time: the machine is shared.
  site = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE });
  rebuilt = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: BASE, site: SITE, outDir: makeTempDir('paperboy-feeds-rebuild-') });
  bumped = await buildSite({ contentDir: bumpedDir, base: BASE, site: SITE });
  empty = await buildSite({ contentDir: emptyDir, base: BASE, site: SITE });
}, 600_000);

// -------------------------------------------------------------------- tests

describe('built feeds', () => {
  it('are well-formed under a strict XML parser and point at the CSS stylesheet (no XSLT) under the base path', () => {
    for (const feed of XML_FEEDS) {
      const xml = read(site, feed.path);
      strictXml(xml, feed.path);
      expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      expect(xml).toContain('<?xml-stylesheet type="text/css" href="/paperboy/feed.css"?>');
      expect(xml).not.toMatch(/text\/xsl|\.xslt?"/);
    }
    expect(existsSync(join(site.outDir, 'feed.xsl'))).toBe(false);
    for (const icon of ['feed-icon-144.png', 'feed-icon-512.png']) {
      expect(readFileSync(join(site.outDir, icon)).subarray(1, 4).toString()).toBe('PNG');
    }
  });

  it('RSS paper feed: one item per paper, newest day first, by upvotes, absolute links with the base path', () => {
    const expected = expectedPaperOrder(fixturePapers);
    expect(expected.length).toBeGreaterThan(40);
    const feed = parseRssFeed(read(site, 'rss.xml'));
    expect(feed.link).toBe(ROOT);
    expect(feed.language).toBe('en');
    expect(feed.atom?.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${ROOT}rss.xml` }));
    expect(feed.image?.url).toBe(`${ROOT}feed-icon-144.png`);
    const latestUpdate = fixturePapers.map((p) => p.updatedAt).sort().at(-1)!;
    expect(feed.lastBuildDate).toBe(new Date(latestUpdate).toUTCString());
    const items = feed.items ?? [];
    expect(items.map((i) => i.link)).toEqual(expected.map((p) => paperUrl(p.id)));
    expect(items.map((i) => i.title)).toEqual(expected.map((p) => p.title));
    for (const [index, item] of items.entries()) {
      const paper = expected[index]!;
      expect(item.guid).toEqual({ value: paperUrl(paper.id), isPermaLink: true });
      expect(item.pubDate).toMatch(RFC822);
      expect(new Date(item.pubDate!).toISOString().slice(0, 10)).toBe(paper.listDay);
      expect(item.dc?.creators ?? []).toEqual(paper.authors.length ? [paper.authors.join(', ')] : []);
      expect((item.categories ?? []).map((c) => c.name)).toEqual([...new Set(paper.keywords)]);
      expect(item.content?.encoded).toContain(`href="https://arxiv.org/pdf/${paper.id}"`);
    }
  });

  it('Atom paper feed: RFC 4287 required elements, same items and order, updated dates from the data', () => {
    const expected = expectedPaperOrder(fixturePapers);
    const feed = parseAtomFeed(read(site, 'atom.xml'));
    expect(feed.id).toBe(`${ROOT}atom.xml`);
    expect(feed.updated).toMatch(RFC3339);
    expect(feed.authors?.length).toBeGreaterThan(0);
    expect(feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${ROOT}atom.xml` }));
    expect(feed.links).toContainEqual(expect.objectContaining({ rel: 'alternate', href: ROOT }));
    const entries = feed.entries ?? [];
    expect(entries.map((e) => e.id)).toEqual(expected.map((p) => paperUrl(p.id)));
    for (const [index, entry] of entries.entries()) {
      const paper = expected[index]!;
      expect(entry.title?.value).toBe(paper.title);
      expect(entry.updated).toMatch(RFC3339);
      expect(entry.published).toBe(`${paper.listDay}T00:00:00Z`);
      expect(Date.parse(entry.updated!)).toBe(Math.max(Date.parse(paper.updatedAt), Date.parse(`${paper.listDay}T00:00:00Z`)));
      expect(entry.links?.find((l) => l.rel === 'alternate')?.href).toBe(paperUrl(paper.id));
    }
  });

  it('JSON Feed 1.1: same items, RFC 3339 dates, content for every item', () => {
    const expected = expectedPaperOrder(fixturePapers);
    const raw = JSON.parse(read(site, 'feed.json'));
    expect(raw.version).toBe('https://jsonfeed.org/version/1.1');
    expect(raw.feed_url).toBe(`${ROOT}feed.json`);
    expect(raw.home_page_url).toBe(ROOT);
    const feed = parseJsonFeed(read(site, 'feed.json'));
    expect(feed.items!.map((i) => i.url)).toEqual(expected.map((p) => paperUrl(p.id)));
    for (const item of feed.items!) {
      expect(typeof item.id).toBe('string');
      expect(item.content_html).toBeTruthy();
      expect(item.date_published).toMatch(RFC3339);
      expect(item.date_modified).toMatch(RFC3339);
    }
  });

  it('hostile text survives as text in every format; only http(s) links; math read once, never KaTeX HTML', () => {
    const hostile = fixturePapers.find((p) => p.id === HOSTILE_ID)!;
    const rssItem = parseRssFeed(read(site, 'rss.xml')).items!.find((i) => i.link === paperUrl(HOSTILE_ID))!;
    const atomEntry = parseAtomFeed(read(site, 'atom.xml')).entries!.find((e) => e.id === paperUrl(HOSTILE_ID))!;
    const jsonItem = parseJsonFeed(read(site, 'feed.json')).items!.find((i) => i.id === paperUrl(HOSTILE_ID))!;
    expect(rssItem.title).toBe(hostile.title);
    expect(atomEntry.title?.value).toBe(hostile.title);
    expect(jsonItem.title).toBe(hostile.title);
    expect(rssItem.dc?.creators).toEqual([hostile.authors.join(', ')]);
    expect(atomEntry.authors?.map((a) => a.name)).toEqual(hostile.authors);
    for (const html of [rssItem.content!.encoded!, atomEntry.content!.value!, jsonItem.content_html!]) {
      expect(html).not.toMatch(/<script|<img|<b>|<i>|href="(?!https:)/i);
      expect(html).toContain('[x](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;');
      expect(html).toContain('&lt;script&gt;evil()&lt;/script&gt;');
      expect(html).toContain('AI summary (machine-generated');
      expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="\\alpha + \\beta"><mrow><mi>α</mi><mo>+</mo><mi>β</mi></mrow></math>');
      expect(html).not.toContain('<annotation');
      expect(html).toContain('M³IT under <var>H</var><sub>∞</sub> control');
      expect(html).toContain('href="https://example.org/?a=1&amp;b=%3C2%3E"');
    }
    // The summary is the plain abstract: tags from the data stay text.
    expect(atomEntry.summary?.value).toContain('A <b>bold</b> claim & more: ]]>');
    for (const feed of FEEDS) expect(read(site, feed.path)).not.toContain('katex-html');
    // Escaped dollars are prices, not math.
    const prices = parseAtomFeed(read(site, 'atom.xml')).entries!.find((e) => e.id === paperUrl('2406.11939'))!;
    expect(prices.content?.value).toContain('$25');
    expect(prices.content?.value).not.toContain('<math');
  });

  it('digest feeds: one item per list day, newest first, linking every paper of the day with its upvotes', () => {
    const days = [...new Set(fixturePapers.map((p) => p.listDay))].sort().reverse();
    const rss = parseRssFeed(read(site, 'daily/rss.xml'));
    const atom = parseAtomFeed(read(site, 'daily/atom.xml'));
    const json = parseJsonFeed(read(site, 'daily/feed.json'));
    expect(rss.atom?.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${ROOT}daily/rss.xml` }));
    expect(rss.items!.map((i) => i.link)).toEqual(days.map(dayUrl));
    expect(atom.entries!.map((e) => e.links?.find((l) => l.rel === 'alternate')?.href)).toEqual(days.map(dayUrl));
    expect(json.items!.map((i) => i.url)).toEqual(days.map(dayUrl));
    const tagIds = days.map((day) => `tag:example.github.io,${day}:/paperboy/daily/${day}`);
    expect(rss.items!.map((i) => i.guid)).toEqual(tagIds.map((value) => ({ value, isPermaLink: false })));
    expect(atom.entries!.map((e) => e.id)).toEqual(tagIds);
    expect(json.items!.map((i) => i.id)).toEqual(tagIds);
    for (const [index, day] of days.entries()) {
      const papers = expectedPaperOrder(fixturePapers).filter((p) => p.listDay === day);
      const html = atom.entries![index]!.content!.value!;
      const links = [...html.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);
      expect(links).toEqual(papers.map((p) => paperUrl(p.id)));
      for (const p of papers) expect(html).toContain(`(${p.upvotes} upvote${p.upvotes === 1 ? '' : 's'})`);
      expect(atom.entries![index]!.title?.value).toContain(`(${papers.length} papers)`);
    }
  });

  it('paper and digest ids never collide', () => {
    const ids = feedIds(site);
    const paperIds = new Set(ids['rss.xml']);
    for (const id of ids['daily/rss.xml']!) expect(paperIds.has(id)).toBe(false);
  });

  it('OPML 2.0 lists every site-wide feed with absolute URLs, each of them built', () => {
    const xml = read(site, OPML_PATH);
    strictXml(xml, OPML_PATH);
    expect(xml).toContain('<opml version="2.0">');
    const opml = parseOpml(xml);
    expect(opml.body?.outlines?.map((o) => o.xmlUrl)).toEqual(SITE_FEEDS.map((f) => `${ROOT}${f.path}`));
    for (const feed of SITE_FEEDS) expect(existsSync(join(site.outDir, feed.path)), feed.path).toBe(true);
  });

  it('every page carries autodiscovery links for the feeds: all of them, or the papers feed on paper pages', () => {
    const pages = walk(site.outDir, (name) => name.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    const announces = (html: string, feed: (typeof FEEDS)[number]) =>
      new RegExp(`<link rel="alternate" type="${feed.mediaType.replace('+', '\\+')}" title="[^"]+" href="${ROOT}${feed.path}"`).test(html);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const rel = relative(site.outDir, page);
      const paperPage = /^papers\/[^/]+\/index\.html$/.test(rel);
      for (const feed of FEEDS) expect(announces(html, feed), `${rel} announces ${feed.path}`).toBe(!paperPage || feed.kind === 'papers');
    }
    const feedsPage = readFileSync(join(site.outDir, 'feeds/index.html'), 'utf8');
    for (const feed of FEEDS) expect(feedsPage).toContain(`>${ROOT}${feed.path}</code>`);
    expect(feedsPage).toContain(`href="${BASE}feeds.opml"`);
  });
});

describe('rebuilds', () => {
  it('unchanged content gives byte-identical feeds', () => {
    for (const path of [...FEEDS.map((f) => f.path), OPML_PATH]) {
      expect(read(rebuilt, path), path).toBe(read(site, path));
    }
  });

  it('changed upvotes keep every id, reorder the day and move the updated dates', () => {
    const before = feedIds(site);
    const after = feedIds(bumped);
    for (const feed of FEEDS) {
      expect(new Set(after[feed.path]), feed.path).toEqual(new Set(before[feed.path]));
    }
    const expected = expectedPaperOrder(bumpedPapers);
    expect(after['rss.xml']).toEqual(expected.map((p) => paperUrl(p.id)));
    expect(after['rss.xml']).not.toEqual(before['rss.xml']);
    const atom = parseAtomFeed(read(bumped, 'atom.xml'));
    expect(atom.updated).toBe('2024-01-20T06:00:00Z');
    expect(new Set(atom.entries!.map((e) => e.updated))).toEqual(new Set(['2024-01-20T06:00:00Z']));
  });

  it('an empty archive still gives valid, empty feeds', () => {
    for (const feed of FEEDS) {
      const text = read(empty, feed.path);
      if (feed.format === 'rss') {
        strictXml(text, feed.path);
        expect(parseRssFeed(text).items ?? []).toEqual([]);
      } else if (feed.format === 'atom') {
        strictXml(text, feed.path);
        const atom = parseAtomFeed(text);
        expect(atom.updated).toMatch(RFC3339);
        expect(atom.entries ?? []).toEqual([]);
      } else {
        expect(JSON.parse(text).items).toEqual([]);
      }
    }
  });
});

// ------------------------------------------------------------------ newsboat

const newsboatRequired = process.env.PAPERBOY_REQUIRE_NEWSBOAT === '1' || process.env.CI === 'true';
const newsboatFound = spawnSync('newsboat', ['--version'], { encoding: 'utf8' }).status === 0;
if (!newsboatFound && !newsboatRequired) {
  console.warn(
    '\n*** SKIPPING the newsboat feed-reader test: newsboat is not installed. ' +
      'Install it with `apt-get install -y newsboat` (CI sets PAPERBOY_REQUIRE_NEWSBOAT=1 and fails instead). ***\n',
  );
}

interface CachedItem {
  guid: string;
  title: string;
  url: string;
  author: string;
  content: string;
}

/** One `astro preview` of the fixture build, started by the first suite that needs it. */
let previewStarted: Promise<Preview> | undefined;
const servePreview = () => (previewStarted ??= startPreview(site));
afterAll(async () => {
  if (previewStarted) await (await previewStarted).stop();
});

// newsboat shows an article only in its terminal UI: the article-view test drives it in a tmux session.
const tmuxFound = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!newsboatFound && !newsboatRequired)('newsboat, a real feed reader', () => {
  let preview: Preview;
  beforeAll(async () => {
    expect(newsboatFound, 'newsboat is required here (PAPERBOY_REQUIRE_NEWSBOAT=1 or CI) but is not installed').toBe(true);
    preview = await servePreview();
  }, 120_000);

  /**
   * The text newsboat's article view shows for one item: newsboat, subscribed to the feed and keeping only
   * that item (ignore-article), is opened in a tmux session of its own; Enter opens the feed, Enter the
   * article, which newsboat renders to text with its own HTML renderer and hands to the "pager", here `cp`.
   */
  async function newsboatArticle(path: string, guid: string): Promise<string> {
    expect(tmuxFound, 'tmux is needed to drive newsboat (apt-get install -y tmux; .ci/run installs it)').toBe(true);
    const home = makeTempDir('paperboy-newsboat-view-');
    const article = join(home, 'article.txt');
    writeFileSync(join(home, 'urls'), `${preview.url}${path}\n`);
    writeFileSync(
      join(home, 'config'),
      [
        'reload-threads 1',
        'text-width 500',
        `ignore-article "*" "guid != \\"${guid}\\""`,
        `pager "cp %f ${article}"`,
        '',
      ].join('\n'),
    );
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, TERM: 'xterm-256color' };
    const args = ['-u', 'urls', '-c', 'cache.db', '-C', 'config'];
    const reload = spawnSync('newsboat', [...args, '-x', 'reload'], { cwd: home, env, encoding: 'utf8', timeout: 60_000 });
    expect(reload.status, `newsboat failed: ${reload.stdout}${reload.stderr}`).toBe(0);
    // A tmux server of our own (its own socket), so nothing of another session is touched.
    const tmux = (...tmuxArgs: string[]) => spawnSync('tmux', ['-S', join(home, 'tmux.sock'), ...tmuxArgs], { cwd: home, env, encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', 'nb').stdout;
    async function waitFor(what: string, done: () => boolean): Promise<void> {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(done(), `newsboat never showed ${what}; screen:\n${screen()}`).toBe(true);
    }
    const started = tmux('new-session', '-d', '-s', 'nb', '-x', '200', '-y', '50', `cd '${home}' && exec newsboat ${args.join(' ')}`);
    expect(started.status, started.stderr).toBe(0);
    try {
      await waitFor('its feed list', () => screen().includes('(1 unread, 1 total)'));
      tmux('send-keys', '-t', 'nb', 'Enter');
      await waitFor('the feed', () => screen().includes('Articles in feed'));
      tmux('send-keys', '-t', 'nb', 'Enter');
      await waitFor('the article', () => existsSync(article) && readFileSync(article, 'utf8').includes('Link:'));
      return readFileSync(article, 'utf8');
    } finally {
      tmux('kill-server');
    }
  }

  for (const path of ['rss.xml', 'atom.xml']) {
    it(`${path}: the article view shows each formula once, rendered to text (no TeX next to it)`, async () => {
      const text = await newsboatArticle(path, paperUrl(HOSTILE_ID));
      // Abstract: `$\alpha + \beta$` (MathML without its annotation), a broken formula as its source.
      expect(text).toContain('math α+β and broken $\\frac{1$ end');
      expect(text).not.toContain('\\alpha');
      // AI summary: `M$^3$IT under $H_{\infty}$` in the text form (newsboat writes <sub> as [..]).
      expect(text).toContain('M³IT under H[∞] control');
      expect(text).not.toContain('\\infty');
      expect(text).toContain('<script>evil()</script> summary & stuff');
    }, 90_000);
  }

  /** Subscribe a fresh newsboat to one feed, reload, and read its cache. */
  function newsboatRead(path: string): CachedItem[] {
    const home = makeTempDir('paperboy-newsboat-');
    const feedUrl = `${preview.url}${path}`;
    writeFileSync(join(home, 'urls'), `${feedUrl}\n`);
    writeFileSync(join(home, 'config'), 'reload-threads 1\n');
    const result = spawnSync('newsboat', ['-u', 'urls', '-c', 'cache.db', '-C', 'config', '-x', 'reload'], {
      cwd: home,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, `newsboat failed: ${result.stdout}${result.stderr}`).toBe(0);
    const db = new DatabaseSync(join(home, 'cache.db'), { readOnly: true });
    try {
      const feeds = db.prepare('SELECT rssurl, title FROM rss_feed').all() as { rssurl: string; title: string }[];
      expect(feeds.map((f) => f.rssurl)).toEqual([feedUrl]);
      expect(feeds[0]!.title).toMatch(/^Paperboy: Hugging Face Daily Papers/);
      return db.prepare('SELECT guid, title, url, author, content FROM rss_item WHERE feedurl = ? ORDER BY id').all(feedUrl) as unknown as CachedItem[];
    } finally {
      db.close();
    }
  }

  for (const path of ['rss.xml', 'atom.xml']) {
    it(`reads ${path}: every paper with its title, link and authors; hostile text intact`, () => {
      const expected = expectedPaperOrder(fixturePapers);
      const items = newsboatRead(path);
      const byUrl = new Map(items.map((i) => [i.url, i]));
      expect(items).toHaveLength(expected.length);
      for (const paper of expected) {
        const item = byUrl.get(paperUrl(paper.id));
        expect(item, paper.id).toBeDefined();
        expect(item!.title).toBe(paper.title);
        expect(item!.guid).toBe(paperUrl(paper.id));
        expect(item!.author).toBe(paper.authors.join(', '));
      }
      const hostile = byUrl.get(paperUrl(HOSTILE_ID))!;
      expect(hostile.content).toContain('&lt;script&gt;evil()&lt;/script&gt;');
      expect(hostile.content).not.toMatch(/<script/i);
    }, 90_000);
  }

  for (const path of ['daily/rss.xml', 'daily/atom.xml']) {
    it(`reads ${path}: one item per list day linking the day page`, () => {
      const days = [...new Set(fixturePapers.map((p) => p.listDay))].sort().reverse();
      const items = newsboatRead(path);
      expect(new Set(items.map((i) => i.url))).toEqual(new Set(days.map(dayUrl)));
      expect(new Set(items.map((i) => i.guid))).toEqual(new Set(days.map((d) => `tag:example.github.io,${d}:/paperboy/daily/${d}`)));
      const jan3 = items.find((i) => i.url === dayUrl('2024-01-03'))!;
      expect(jan3.title).toBe('Hugging Face Daily Papers, 3 January 2024 (11 papers)');
      expect(jan3.content).toContain(`href="${paperUrl('2406.11939')}"`);
    }, 90_000);
  }
});

// ------------------------------------------------------------------ browser

/** One RSS or Atom feed of each kind the build has (main, digest, weekly, one per topic or organization...). */
function xmlFeedsByKind(outDir: string): string[] {
  const kinds = new Map<string, string>();
  for (const file of walk(outDir, (name) => name.endsWith('.xml')).sort()) {
    const path = relative(outDir, file);
    if (!/<(rss|feed)[\s>]/.test(readFileSync(file, 'utf8').slice(0, 400))) continue;
    // topics/<slug>/atom.xml and orgs/<slug>/atom.xml: one of each is enough.
    const kind = path.replace(/^(topics|orgs)\/[^/]+\//, '$1/*/');
    if (!kinds.has(kind)) kinds.set(kind, path);
  }
  return [...kinds.values()];
}

describeWithBrowser('a feed opened in a browser', () => {
  let preview: Preview;
  let launched: LaunchedBrowser;
  beforeAll(async () => {
    preview = await servePreview();
    launched = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await launched?.close();
  });

  /** What chromium shows for one feed (read from its rendering), and what went wrong while showing it. */
  async function openFeed(path: string) {
    const page = await launched.browser.newPage();
    const problems: string[] = [];
    const requested: string[] = [];
    page.on('console', (m) => {
      // The browser asks the origin root for /favicon.ico (a feed cannot name an icon); that root is not this site.
      if (m.location().url === `${preview.origin}/favicon.ico`) return;
      if (m.type() === 'error' || /xslt/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => requested.push(r.url()));
    try {
      await page.goto(`${preview.url}${path}`, { waitUntil: 'load' });
      const view = await page.evaluate(() => {
        const root = document.documentElement;
        const isRss = root.localName === 'rss';
        const visible = (el: Element | undefined) => {
          if (!el) return false;
          const box = el.getBoundingClientRect();
          return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility === 'visible';
        };
        const child = (el: Element | undefined, ...names: string[]) => [...(el?.children ?? [])].find((c) => names.includes(c.localName));
        const fontSize = (el: Element | undefined) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
        const channel = isRss ? child(root, 'channel') : root;
        const title = child(channel, 'title');
        return {
          root: root.localName,
          instructions: [...document.childNodes]
            .filter((n) => n.nodeType === Node.PROCESSING_INSTRUCTION_NODE)
            .map((n) => `${(n as ProcessingInstruction).target} ${(n as ProcessingInstruction).data}`),
          sheets: [...document.styleSheets].map((sheet) => sheet.href),
          note: getComputedStyle(root, '::before').content,
          title: title?.textContent,
          titleVisible: visible(title),
          titleSize: fontSize(title),
          descriptionVisible: visible(child(channel, 'description', 'subtitle')),
          items: [...(channel?.children ?? [])]
            .filter((c) => c.localName === (isRss ? 'item' : 'entry'))
            .map((item) => ({
              title: child(item, 'title')?.textContent,
              titleVisible: visible(child(item, 'title')),
              titleSize: fontSize(child(item, 'title')),
              dateVisible: visible(child(item, 'pubDate', 'published')),
              summaryVisible: visible(child(item, 'description', 'summary')),
              addressVisible: visible(child(item, 'link')),
            })),
          // Reader-only parts: ids, dates of change, and the content (escaped HTML, unreadable as text).
          shownReaderOnly: [...root.querySelectorAll('*')]
            .filter((el) => ['guid', 'id', 'content', 'encoded', 'updated', 'category', 'icon', 'image'].includes(el.localName))
            .filter(visible)
            .map((el) => el.localName),
          text: root.textContent ?? '',
        };
      });
      return { view, problems, requested };
    } finally {
      await page.close();
    }
  }

  it('every kind of XML feed reads as a feed with CSS: title, what it is and how to follow it, the items; no XSLT, no console error', async () => {
    const paths = xmlFeedsByKind(site.outDir);
    expect(paths).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml', 'daily/rss.xml', 'daily/atom.xml', 'weekly/atom.xml']));
    for (const path of paths) {
      const { view, problems, requested } = await openFeed(path);
      // Not transformed (XSLT would have made an <html> document), styled by feed.css alone.
      expect(view.root, path).toMatch(/^(rss|feed)$/);
      expect(view.instructions, path).toEqual(['xml-stylesheet type="text/css" href="/paperboy/feed.css"']);
      expect(view.sheets, path).toEqual([`${preview.url}feed.css`]);
      expect(requested.filter((url) => /\.xslt?$/i.test(url)), path).toEqual([]);
      expect(view.text, path).not.toMatch(/XSLT/i);
      // What it is and how to follow it.
      expect(view.note, path).toMatch(/^"This is an? (RSS|Atom) feed\. To follow it .*copy this page's address/);
      expect(view.title, path).toMatch(/^Paperboy: /);
      expect(view.titleVisible && view.descriptionVisible, path).toBe(true);
      // The items: each with a visible title (smaller than the feed's), date, summary and address.
      const xml = read(site, path);
      const titles = view.root === 'rss'
        ? (parseRssFeed(xml).items ?? []).map((i) => i.title)
        : (parseAtomFeed(xml).entries ?? []).map((e) => e.title?.value);
      expect(titles.length, path).toBeGreaterThan(0);
      expect(view.items.map((i) => i.title), path).toEqual(titles);
      for (const item of view.items) {
        expect(item, `${path}: ${item.title}`).toMatchObject({ titleVisible: true, dateVisible: true, summaryVisible: true, addressVisible: true });
        expect(item.titleSize, path).toBeLessThan(view.titleSize);
      }
      expect(view.shownReaderOnly, path).toEqual([]);
      expect(problems, path).toEqual([]);
    }
  }, 120_000);

  it('shows hostile text as text, and math read once in the item content as a browser renders it', async () => {
    const page = await launched.browser.newPage();
    try {
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${preview.url}atom.xml`, { waitUntil: 'load' });
      const hostile = fixturePapers.find((p) => p.id === HOSTILE_ID)!;
      const titles = await page.evaluate(() => [...document.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'title')].map((t) => t.textContent));
      expect(titles).toContain(hostile.title);
      expect(await page.evaluate(() => document.getElementsByTagName('script').length)).toBe(0);
      // The item's HTML content as a reader that renders HTML shows it.
      const entry = parseAtomFeed(read(site, 'atom.xml')).entries!.find((e) => e.id === paperUrl(HOSTILE_ID))!;
      await page.goto('about:blank');
      await page.setContent(`<!doctype html><meta charset="utf-8"><body>${entry.content!.value!}</body>`);
      const shown = await page.evaluate(() => ({
        text: document.body.innerText,
        math: [...document.querySelectorAll('math')].map((m) => ({ text: m.textContent, width: m.getBoundingClientRect().width, display: getComputedStyle(m).display })),
        scripts: document.querySelectorAll('script, img').length,
      }));
      expect(shown.math).toEqual([{ text: 'α+β', width: expect.any(Number), display: 'math' }]);
      expect(shown.math[0]!.width).toBeGreaterThan(0);
      expect(shown.text).toContain('M³IT under H∞ control');
      expect(shown.text).not.toMatch(/\\alpha|\\infty/);
      expect(shown.scripts).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
