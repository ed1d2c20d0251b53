/**
 * Unit tests of the pure feed builders (src/feeds/): every format stays
 * well-formed and valid whatever the data holds, ids never depend on volatile
 * fields, and the output depends on the content only.
 */
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { renderAtom } from '../../src/feeds/atom.ts';
import { FEEDS, SITE_FEEDS } from '../../src/feeds/catalog.ts';
import {
  buildDigestFeed,
  buildPaperFeed,
  digestEntry,
  EMPTY_FEED_UPDATED,
  type FeedSite,
  formatListDay,
  paperEntry,
} from '../../src/feeds/entries.ts';
import { renderJsonFeed } from '../../src/feeds/json-feed.ts';
import { renderOpml } from '../../src/feeds/opml.ts';
import { renderRss } from '../../src/feeds/rss.ts';
import { latestIso, rfc3339, rfc822, xmlElement, xmlEscape } from '../../src/feeds/xml.ts';
import type { DayRecord, Paper } from '../../src/archive/schema.ts';

const SITE: FeedSite = {
  site: 'https://example.github.io',
  base: '/paperboy/',
  title: 'Paperboy',
  description: 'Daily papers & more <test>',
  language: 'en',
};

function makePaper(overrides: Partial<Paper> = {}): Paper {
  return {
    id: '2401.00001',
    title: 'A paper',
    authors: ['Ada Lovelace', 'Alan Turing'],
    published: '2023-12-30T10:00:00.000Z',
    listDay: '2024-01-03',
    upvotes: 10,
    comments: 2,
    githubRepo: 'https://github.com/example/repo',
    githubStars: 5,
    projectPage: 'https://example.org/project',
    keywords: ['diffusion', 'transformers'],
    aiSummary: 'It does things.',
    organization: null,
    submittedBy: null,
    thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2401.00001.png',
    fetchedAt: '2024-01-04T06:00:00.000Z',
    updatedAt: '2024-01-04T06:00:00.000Z',
    ...overrides,
  };
}

const CONTROL = '\u0000\u0007\u000b\u001f\ufffe\ud800';
const HOSTILE = makePaper({
  id: '2401.99999',
  title: `<script>alert("t")</script> & "Q" 'S' ]]> ${CONTROL}🤖 $x^2$`,
  authors: ['007', ' 1e5 ', '<i>Eve</i> & "M"', `Bell${CONTROL}Char`],
  keywords: ['<b>kw</b>', '0x10', 'a&b'],
  aiSummary: '<script>evil()</script> & ]]>',
  githubRepo: 'javascript:alert(1)',
  projectPage: 'data:text/html,hi',
  thumbnail: 'javascript:alert(2)',
  upvotes: 1,
});
const HOSTILE_ABSTRACT = String.raw`A \<b>bold\</b> claim & more: ]]> emoji 🧪 math $\alpha + \beta$ ${CONTROL} end`;
const MATH_ABSTRACT = String.raw`We bound $\sum_{i=1}^n x_i^2 \le 1$ for all inputs.`;

function paperArchive() {
  const papers = [
    makePaper({ id: '2401.00001', listDay: '2024-01-03', upvotes: 10 }),
    makePaper({ id: '2401.00002', listDay: '2024-01-03', upvotes: 30, title: 'Top of day' }),
    makePaper({ id: '2401.00003', listDay: '2024-01-02', upvotes: 99, updatedAt: '2024-01-10T00:00:00.000Z' }),
    makePaper({ id: '2312.00004', listDay: '2023-12-29', upvotes: 5 }),
    // Number-like text: @astrojs/rss's customData re-parse would turn `007` into 7.
    makePaper({ id: '2401.00005', listDay: '2023-12-29', upvotes: 4, title: '2024', authors: ['007'], keywords: ['1e5'] }),
    // A title that looks like the RSS builder's placeholder stays what it is.
    makePaper({ id: '2401.00006', listDay: '2023-12-29', upvotes: 3, title: 'paperboy  text  slot  0', authors: ['paperboy  text  slot  1'] }),
    HOSTILE,
  ];
  return buildArchive(papers);
}

const abstractOf = (paper: Paper) => (paper.id === HOSTILE.id ? HOSTILE_ABSTRACT : paper.id === '2401.00001' ? MATH_ABSTRACT : 'Plain text.');

function expectWellFormed(xml: string): void {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
}

describe('xml helpers', () => {
  it('escapes markup characters and strips XML-invalid characters', () => {
    expect(xmlEscape(`a & b < c > d " e ' ]]> ${CONTROL}🤖`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; ]]&gt; 🤖');
    expect(xmlElement('x', { href: 'a"b&c', skip: undefined }, '<t>')).toBe('<x href="a&quot;b&amp;c">&lt;t&gt;</x>');
    expect(xmlElement('link', { rel: 'self' })).toBe('<link rel="self"/>');
  });

  it('formats RFC 822 and RFC 3339 dates in UTC and picks the latest instant', () => {
    expect(rfc822('2024-01-03T00:00:00.000Z')).toBe('Wed, 03 Jan 2024 00:00:00 GMT');
    expect(rfc3339('2024-01-03T05:06:07.000Z')).toBe('2024-01-03T05:06:07Z');
    expect(rfc3339('2024-01-03T05:06:07.250Z')).toBe('2024-01-03T05:06:07.250Z');
    expect(latestIso(['2024-01-02T00:00:00Z', undefined, '2024-01-03T00:00:00+05:00', '2024-01-02T20:00:00Z'])).toBe(
      '2024-01-02T20:00:00Z',
    );
    expect(latestIso([])).toBeUndefined();
    expect(() => rfc822('not a date')).toThrow();
  });

  it('writes list days in words without locale data', () => {
    expect(formatListDay('2024-01-03')).toBe('3 January 2024');
    expect(formatListDay('2023-12-29')).toBe('29 December 2023');
  });
});

describe('paper entries', () => {
  it('link to the paper page under the base path and use it as a stable permalink id', () => {
    const entry = paperEntry(SITE, makePaper(), 'x');
    expect(entry.url).toBe('https://example.github.io/paperboy/papers/2401.00001/');
    expect(entry.id).toBe(entry.url);
    expect(entry.idIsPermalink).toBe(true);
    const bumped = paperEntry(SITE, makePaper({ upvotes: 500, comments: 40, updatedAt: '2024-01-09T00:00:00.000Z' }), 'x');
    expect(bumped.id).toBe(entry.id);
    expect(bumped.updated).toBe('2024-01-09T00:00:00.000Z');
    expect(bumped.published).toBe(entry.published);
  });

  it('date the entry by its list day, updated never before it', () => {
    const entry = paperEntry(SITE, makePaper({ updatedAt: '2024-01-01T00:00:00.000Z' }), 'x');
    expect(entry.published).toBe('2024-01-03T00:00:00.000Z');
    expect(entry.updated).toBe('2024-01-03T00:00:00.000Z');
  });

  it('keep an old-style arXiv id out of the path structure', () => {
    const entry = paperEntry(SITE, makePaper({ id: 'hep-th/9901001' }), 'x');
    expect(entry.url).toBe('https://example.github.io/paperboy/papers/hep-th_9901001/');
    expect(entry.externalUrl).toBe('https://arxiv.org/abs/hep-th/9901001');
  });

  it('render math to read once (no TeX annotation), label the AI summary and list the outside links', () => {
    const entry = paperEntry(SITE, makePaper(), MATH_ABSTRACT);
    expect(entry.contentHtml).toContain('We bound ∑ᵢ₌₁ⁿ<var>x</var>ᵢ²≤1 for all inputs.');
    expect(entry.contentHtml).not.toContain('<annotation');
    expect(entry.contentHtml).not.toContain('katex-html');
    expect(entry.contentHtml).toContain('AI summary (machine-generated');
    expect(entry.contentHtml).toContain('It does things.');
    for (const href of [
      'https://huggingface.co/papers/2401.00001',
      'https://arxiv.org/abs/2401.00001',
      'https://arxiv.org/pdf/2401.00001',
      'https://github.com/example/repo',
      'https://example.org/project',
    ]) {
      expect(entry.contentHtml).toContain(`href="${href}"`);
    }
    expect(entry.summary).toBe(String.raw`We bound $\sum_{i=1}^n x_i^2 \le 1$ for all inputs.`);
    expect(entry.categories).toEqual(['diffusion', 'transformers']);
    expect(entry.authors).toEqual(['Ada Lovelace', 'Alan Turing']);
  });

  it('drop non-http(s) URLs from the data and escape hostile text', () => {
    const entry = paperEntry(SITE, HOSTILE, HOSTILE_ABSTRACT);
    expect(entry.contentHtml).not.toMatch(/javascript:|data:text/);
    expect(entry.contentHtml).not.toMatch(/<script|<b>|<i>/);
    expect(entry.contentHtml).toContain('&lt;script&gt;evil()&lt;/script&gt;');
    expect(entry.image).toBeUndefined();
    expect(entry.title).toContain('<script>alert("t")</script>');
    expect(entry.title).not.toContain('\u0007');
  });
});

describe('digest entries', () => {
  it('list the day\'s papers by upvotes with links, under a tag: id distinct from paper ids', () => {
    const archive = paperArchive();
    const entry = digestEntry(SITE, archive.byDay.get('2024-01-03')!);
    expect(entry.id).toBe('tag:example.github.io,2024-01-03:/paperboy/daily/2024-01-03');
    expect(entry.idIsPermalink).toBe(false);
    expect(entry.url).toBe('https://example.github.io/paperboy/2024/01/03/');
    expect(entry.title).toBe('Hugging Face Daily Papers, 3 January 2024 (3 papers)');
    const links = [...entry.contentHtml.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual([
      'https://example.github.io/paperboy/papers/2401.00002/',
      'https://example.github.io/paperboy/papers/2401.00001/',
      'https://example.github.io/paperboy/papers/2401.99999/',
    ]);
    expect(entry.contentHtml).toContain('(30 upvotes)');
    expect(entry.contentHtml).toContain('(1 upvote)');
    expect(entry.contentHtml).toContain('&lt;script&gt;alert(&quot;t&quot;)');
  });

  it('keep their id when the day grows', () => {
    const small = digestEntry(SITE, { day: '2024-01-03', papers: [makePaper()], record: undefined });
    const grown = digestEntry(SITE, { day: '2024-01-03', papers: [makePaper(), makePaper({ id: '2401.00009' })], record: undefined });
    expect(grown.id).toBe(small.id);
  });
});

describe('feed documents', () => {
  it('carry the most recent list days, newest first, papers by upvotes', () => {
    const doc = buildPaperFeed(SITE, paperArchive(), 2, abstractOf);
    expect(doc.entries.map((e) => e.url.split('/').at(-2))).toEqual(['2401.00002', '2401.00001', '2401.99999', '2401.00003']);
    expect(doc.updated).toBe('2024-01-10T00:00:00.000Z');
    const digest = buildDigestFeed(SITE, paperArchive(), 30);
    expect(digest.entries.map((e) => e.published.slice(0, 10))).toEqual(['2024-01-03', '2024-01-02', '2023-12-29']);
    expect(buildPaperFeed(SITE, paperArchive(), 0, abstractOf).entries).toEqual([]);
  });

  it('derive the build date from content: an empty archive falls back to its newest day record, else a fixed date', () => {
    const record: DayRecord = {
      day: '2024-01-06',
      count: 0,
      papers: [],
      source: 'api',
      complete: true,
      firstFetchedAt: '2024-01-07T06:00:00.000Z',
      updatedAt: '2024-01-07T06:00:00.000Z',
      digestSentAt: null,
    };
    expect(buildPaperFeed(SITE, buildArchive([], [record]), 7, abstractOf).updated).toBe('2024-01-07T06:00:00.000Z');
    const empty = buildPaperFeed(SITE, buildArchive([]), 7, abstractOf);
    expect(empty.updated).toBeUndefined();
    expect(renderAtom(empty)).toContain(`<updated>${rfc3339(EMPTY_FEED_UPDATED)}</updated>`);
  });
});

describe('serialisers', () => {
  const doc = buildPaperFeed(SITE, paperArchive(), 7, abstractOf);
  const digest = buildDigestFeed(SITE, paperArchive(), 7);

  it('RSS: well-formed, hostile and number-like text intact, guid and self link right', async () => {
    const xml = await renderRss(doc);
    expectWellFormed(xml);
    // The browser stylesheet is CSS (no XSLT), right after the XML declaration, with the `type` the PI requires.
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/css" href="/paperboy/feed.css"?><rss ')).toBe(true);
    expect(xml).not.toContain('text  slot');
    const feed = parseRssFeed(xml);
    expect(feed.atom?.links?.[0]).toMatchObject({ href: 'https://example.github.io/paperboy/rss.xml', rel: 'self' });
    expect(feed.lastBuildDate).toBe('Wed, 10 Jan 2024 00:00:00 GMT');
    expect(feed.items).toHaveLength(7);
    const lookalike = feed.items!.find((i) => i.link?.endsWith('/2401.00006/'))!;
    expect(lookalike.title).toBe('paperboy text slot 0');
    expect(lookalike.dc?.creators).toEqual(['paperboy text slot 1']);
    const hostile = feed.items!.find((i) => i.link?.endsWith('/2401.99999/'))!;
    expect(hostile.title).toBe(`<script>alert("t")</script> & "Q" 'S' ]]> 🤖 $x^2$`);
    // @astrojs/rss would turn these author names into numbers (7, 100000): they must survive as written.
    expect(hostile.dc?.creators).toEqual(['007, 1e5, <i>Eve</i> & "M", BellChar']);
    const numeric = feed.items!.find((i) => i.link?.endsWith('/2401.00005/'))!;
    expect(numeric.title).toBe('2024');
    expect(numeric.dc?.creators).toEqual(['007']);
    expect(hostile.categories?.map((c) => c.name)).toEqual(['<b>kw</b>', '0x10', 'a&b']);
    expect(hostile.guid).toEqual({ value: 'https://example.github.io/paperboy/papers/2401.99999/', isPermaLink: true });
    expect(hostile.pubDate).toBe('Wed, 03 Jan 2024 00:00:00 GMT');
    // The description is HTML in readers: the plain-text summary arrives escaped, so tags stay text.
    expect(hostile.description).toContain('A &lt;b&gt;bold&lt;/b&gt; claim &amp; more: ]]&gt;');
    // Only markup characters are escaped: a browser shows this text as it is (public/feed.css).
    const quoted = parseRssFeed(await renderRss(buildPaperFeed(SITE, paperArchive(), 7, () => `It's "quoted" & <b>`))).items![0]!;
    expect(quoted.description).toBe(`It's "quoted" &amp; &lt;b&gt;`);
    expect(hostile.content?.encoded).toContain('<math');

    const digestXml = await renderRss(digest);
    expectWellFormed(digestXml);
    const digestFeed = parseRssFeed(digestXml);
    expect(digestFeed.items![0]!.guid).toEqual({ value: 'tag:example.github.io,2024-01-03:/paperboy/daily/2024-01-03', isPermaLink: false });
    expect(digestFeed.items![0]!.link).toBe('https://example.github.io/paperboy/2024/01/03/');
  });

  it('Atom: required elements on feed and entries, hostile text intact', () => {
    const xml = renderAtom(doc);
    expectWellFormed(xml);
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe('https://example.github.io/paperboy/atom.xml');
    expect(feed.updated).toBe('2024-01-10T00:00:00Z');
    expect(feed.authors?.[0]?.name).toBe('Paperboy');
    expect(feed.links?.map((l) => l.rel)).toEqual(['self', 'alternate']);
    for (const entry of feed.entries!) {
      expect(entry.id).toBeTruthy();
      expect(entry.title).toBeTruthy();
      expect(entry.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(entry.links?.find((l) => l.rel === 'alternate')?.href).toMatch(/^https:\/\/example\.github\.io\/paperboy\/papers\//);
    }
    const hostile = feed.entries!.find((e) => e.id?.endsWith('/2401.99999/'))!;
    expect(hostile.title).toMatchObject({ value: `<script>alert("t")</script> & "Q" 'S' ]]> 🤖 $x^2$` });
    expect(hostile.authors?.map((a) => a.name)).toEqual(['007', '1e5', '<i>Eve</i> & "M"', 'BellChar']);
    expect(hostile.summary).toMatchObject({ value: expect.stringContaining('A <b>bold</b> claim & more: ]]>') });

    const digestXml = renderAtom(digest);
    expectWellFormed(digestXml);
    expect(parseAtomFeed(digestXml).entries![0]!.authors).toBeUndefined();
  });

  it('JSON Feed: version 1.1 fields, RFC 3339 dates, no control characters', () => {
    const json = renderJsonFeed(doc);
    expect(json).not.toMatch(/\\u00(0[0-8bcef]|1[0-9a-f])|\\ud800|\\ufffe/i);
    const raw = JSON.parse(json);
    expect(raw.version).toBe('https://jsonfeed.org/version/1.1');
    expect(raw.feed_url).toBe('https://example.github.io/paperboy/feed.json');
    const feed = parseJsonFeed(json);
    const hostile = (feed.items ?? []).find((i) => i.id?.endsWith('/2401.99999/'))!;
    expect(hostile.title).toBe(`<script>alert("t")</script> & "Q" 'S' ]]> 🤖 $x^2$`);
    expect(hostile.authors?.map((a) => a.name)).toEqual(['007', '1e5', '<i>Eve</i> & "M"', 'BellChar']);
    expect(hostile.date_published).toBe('2024-01-03T00:00:00Z');
    expect(hostile.tags).toEqual(['<b>kw</b>', '0x10', 'a&b']);
    expect(raw.items.find((i: { id: string }) => i.id.endsWith('/2401.99999/')).image).toBeUndefined();
  });

  it('are deterministic: the same content gives byte-identical output', async () => {
    const again = buildPaperFeed(SITE, paperArchive(), 7, abstractOf);
    expect(await renderRss(again)).toBe(await renderRss(doc));
    expect(renderAtom(again)).toBe(renderAtom(doc));
    expect(renderJsonFeed(again)).toBe(renderJsonFeed(doc));
  });

  it('stay valid for an empty archive', async () => {
    const empty = buildArchive([]);
    for (const d of [buildPaperFeed(SITE, empty, 7, abstractOf), buildDigestFeed(SITE, empty, 30)]) {
      const rss = await renderRss(d);
      expectWellFormed(rss);
      expect(parseRssFeed(rss).items ?? []).toHaveLength(0);
      expect(rss).not.toContain('lastBuildDate');
      const atom = renderAtom(d);
      expectWellFormed(atom);
      expect(parseAtomFeed(atom).entries ?? []).toHaveLength(0);
      expect(JSON.parse(renderJsonFeed(d)).items).toEqual([]);
    }
  });

  it('OPML 2.0 lists every site-wide feed with absolute URLs', () => {
    const xml = renderOpml({ ...SITE, title: 'Paper & "boy"' });
    expectWellFormed(xml);
    const opml = parseOpml(xml);
    expect(opml.head?.title).toBe('Paper & "boy" feeds');
    const outlines = opml.body?.outlines ?? [];
    expect(outlines.map((o) => o.xmlUrl)).toEqual(SITE_FEEDS.map((f) => `https://example.github.io/paperboy/${f.path}`));
    expect(outlines.slice(0, FEEDS.length).map((o) => o.xmlUrl)).toEqual(FEEDS.map((f) => `https://example.github.io/paperboy/${f.path}`));
    expect(outlines.every((o) => o.type === 'rss' && o.text)).toBe(true);
  });
});

describe('digest entries say how final the list is', () => {
  const record = (complete: boolean): DayRecord => ({
    day: '2024-01-03',
    count: 1,
    papers: ['2401.00001'],
    source: 'api',
    complete,
    firstFetchedAt: '2024-01-03T09:00:00.000Z',
    updatedAt: '2024-01-03T15:30:00.000Z',
    digestSentAt: null,
  });
  const archiveWith = (complete: boolean) =>
    buildArchive([makePaper({ id: '2401.00001', listDay: '2024-01-03' })], [record(complete)]);

  it('a day fetched while still filling up says it may grow, with the time of the last update', () => {
    const entry = digestEntry(SITE, archiveWith(false).days[0]!);
    expect(entry.contentHtml).toContain('still filling up when last fetched (2024-01-03 15:30 UTC); it may grow.');
  });

  it('a complete day says so', () => {
    const entry = digestEntry(SITE, archiveWith(true).days[0]!);
    expect(entry.contentHtml).toContain('Complete list, last updated 2024-01-03 15:30 UTC.');
  });
});
