/**
 * The scoped feed builders (src/feeds/scoped.ts, monthly.ts) and the OPML
 * lists (opml.ts): only the best by threshold with stable entries, papers with
 * code, an organization's newest papers, the final months, and OPML files whose
 * every outline is an absolute feed URL under the base path.
 */
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { renderAtom } from '../../src/feeds/atom.ts';
import { MORE_FEEDS, SITE_FEEDS } from '../../src/feeds/catalog.ts';
import type { FeedSite } from '../../src/feeds/entries.ts';
import { renderJsonFeed } from '../../src/feeds/json-feed.ts';
import { buildMonthlyFeed } from '../../src/feeds/monthly.ts';
import { renderOpml, renderOrgsOpml, renderTopicsOpml } from '../../src/feeds/opml.ts';
import { renderRss } from '../../src/feeds/rss.ts';
import { buildCodeFeed, buildOrgFeed, buildTopFeed, topPapers } from '../../src/feeds/scoped.ts';
import { buildMonthBests } from '../../src/discovery/months.ts';
import { buildOrganizations } from '../../src/discovery/orgs.ts';
import { orgFeedModel } from '../../src/site/page-models.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { makePaper } from '../helpers/make-paper.ts';

const SITE: FeedSite = { site: 'https://example.github.io', base: '/paperboy/', title: 'Paperboy', description: 'Daily papers', language: 'en' };
const ROOT = 'https://example.github.io/paperboy/';
const HOSTILE = '<script>alert(1)</script> & "Q" ]]>';

function paper(id: string, listDay: string, upvotes: number, extra: Partial<Paper> = {}): Paper {
  return { ...makePaper(id, listDay, upvotes), updatedAt: `${listDay}T12:00:00.000Z`, ...extra };
}

const wellFormed = (xml: string) => expect(XMLValidator.validate(xml)).toBe(true);
const abstractOf = () => 'An abstract.';

describe('only the best', () => {
  const days = (bumped: number) =>
    buildArchive([
      paper('2401.00010', '2024-01-10', 80),
      paper('2401.00011', '2024-01-10', 49),
      paper('2401.00009', '2024-01-09', bumped),
      paper('2401.00008', '2024-01-08', 50),
      paper('2401.00001', '2024-01-01', 999), // older than the feed's list days
    ]);

  it('holds the papers of the recent list days that reached the threshold, newest day first', () => {
    expect(topPapers(days(10), 3, 50).map((p) => p.id)).toEqual(['2401.00010', '2401.00008']);
  });

  it('takes a paper in once a refresh sees it cross the threshold, with its paper URL as id and its list day as date', async () => {
    const before = buildTopFeed(SITE, days(10), 3, 50, abstractOf);
    const after = buildTopFeed(SITE, days(51), 3, 50, abstractOf);
    expect(after.entries.map((e) => e.id)).toEqual([`${ROOT}papers/2401.00010/`, `${ROOT}papers/2401.00009/`, `${ROOT}papers/2401.00008/`]);
    const entered = after.entries.find((e) => e.id === `${ROOT}papers/2401.00009/`)!;
    expect(entered.published).toBe('2024-01-09T00:00:00.000Z');
    // The entries already there do not change.
    for (const entry of before.entries) expect(after.entries.find((e) => e.id === entry.id)).toEqual(entry);
    // In every format.
    const rss = await renderRss(after);
    wellFormed(rss);
    expect(parseRssFeed(rss).items?.map((i) => i.guid?.value)).toEqual(after.entries.map((e) => e.id));
    expect(rss).toContain(`<atom:link href="${ROOT}top/rss.xml" rel="self"`);
    const atom = renderAtom(after);
    wellFormed(atom);
    const parsed = parseAtomFeed(atom);
    expect(parsed.id).toBe(`${ROOT}top/atom.xml`);
    expect(parsed.entries?.map((e) => e.published)).toEqual(['2024-01-10T00:00:00Z', '2024-01-09T00:00:00Z', '2024-01-08T00:00:00Z']);
    const json = parseJsonFeed(renderJsonFeed(after));
    expect(json.feed_url).toBe(`${ROOT}top/feed.json`);
    expect(json.items?.map((i) => i.id)).toEqual(after.entries.map((e) => e.id));
    expect(after.title).toContain('50+ upvotes');
  });

  it('stays valid when nothing reached the threshold', async () => {
    const doc = buildTopFeed(SITE, days(10), 3, 10_000, abstractOf);
    expect(doc.entries).toEqual([]);
    wellFormed(await renderRss(doc));
    expect(parseAtomFeed(renderAtom(doc)).updated).toBe('1970-01-01T00:00:00Z');
  });
});

describe('papers with code and organizations', () => {
  it('the code feed holds the recent papers with an http(s) repository only', () => {
    const archive = buildArchive([
      paper('2401.00010', '2024-01-10', 5, { githubRepo: 'https://github.com/a/b' }),
      paper('2401.00011', '2024-01-10', 9, { githubRepo: 'javascript:alert(1)' }),
      paper('2401.00012', '2024-01-10', 7),
      paper('2401.00001', '2024-01-01', 5, { githubRepo: 'https://github.com/old/one' }),
    ]);
    const doc = buildCodeFeed(SITE, archive, 1, abstractOf);
    expect(doc.entries.map((e) => e.id)).toEqual([`${ROOT}papers/2401.00010/`]);
    expect(parseAtomFeed(renderAtom(doc)).id).toBe(`${ROOT}code/atom.xml`);
  });

  it('an organization feed: its newest papers, summary only, its name kept as text', () => {
    const org = { name: 'evil', fullname: HOSTILE, avatar: null };
    const papers = [paper('2401.00010', '2024-01-10', 5, { organization: org }), paper('2401.00003', '2024-01-03', 9, { organization: org }), paper('2401.00001', '2024-01-01', 1, { organization: org })];
    const index = buildOrganizations(papers);
    const model = orgFeedModel(index.orgs[0]!, 2, new Map([['2401.00010', 'Newest abstract.']]));
    const xml = renderAtom(buildOrgFeed(SITE, model));
    wellFormed(xml);
    expect(xml).not.toContain('<content');
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe(`${ROOT}orgs/evil/atom.xml`);
    expect(feed.title?.value).toBe(`Paperboy: ${HOSTILE}`);
    expect(feed.entries?.map((e) => e.id)).toEqual([`${ROOT}papers/2401.00010/`, `${ROOT}papers/2401.00003/`]);
    expect(feed.entries?.[0]?.summary?.value).toBe('Newest abstract.');
  });
});

describe('monthly bests', () => {
  const archive = buildArchive([
    paper('2312.00001', '2023-12-29', 40),
    paper('2312.00002', '2023-12-28', 60),
    paper('2311.00001', '2023-11-30', 3),
    paper('2401.00001', '2024-01-02', 99),
  ]);

  it('publishes one entry per final month, newest first, dated when it became final, with a stable tag: id', () => {
    const months = buildMonthBests(archive, 20, new Date('2024-01-20T00:00:00Z'));
    const doc = buildMonthlyFeed(SITE, months, 12);
    const xml = renderAtom(doc);
    wellFormed(xml);
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe(`${ROOT}monthly/atom.xml`);
    expect(feed.entries?.map((e) => e.id)).toEqual([
      'tag:example.github.io,2023-12-01:/paperboy/monthly/2023-12',
      'tag:example.github.io,2023-11-01:/paperboy/monthly/2023-11',
    ]);
    expect(feed.entries?.map((e) => e.links?.find((l) => l.rel === 'alternate')?.href)).toEqual([`${ROOT}2023/12/`, `${ROOT}2023/11/`]);
    expect(feed.entries?.[0]?.published).toBe('2024-01-14T00:00:00Z');
    expect(feed.entries?.[0]?.title?.value).toBe('Top papers of December 2023');
    // Ranked by upvotes in the entry.
    const content = doc.entries[0]!.contentHtml;
    expect(content.indexOf('2312.00002')).toBeLessThan(content.indexOf('2312.00001'));
    // January is not final yet; once it is, the December entry stays exactly what it was.
    const later = buildMonthlyFeed(SITE, buildMonthBests(archive, 20, new Date('2024-02-14T00:00:00Z')), 12);
    expect(later.entries.map((e) => e.id)[0]).toBe('tag:example.github.io,2024-01-01:/paperboy/monthly/2024-01');
    expect(later.entries[1]).toEqual(doc.entries[0]);
    expect(buildMonthlyFeed(SITE, months, 1).entries).toHaveLength(1);
  });
});

describe('OPML', () => {
  function outlines(xml: string) {
    wellFormed(xml);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')).toBe(true);
    const opml = parseOpml(xml);
    expect(opml.head?.title).toBeTruthy();
    const list = opml.body?.outlines ?? [];
    for (const o of list) {
      expect(o.type).toBe('rss');
      expect(o.text).toBeTruthy();
      expect(o.xmlUrl?.startsWith(ROOT), o.xmlUrl).toBe(true);
      expect(o.htmlUrl?.startsWith(ROOT), o.htmlUrl).toBe(true);
    }
    return list;
  }

  it('feeds.opml lists every site-wide feed: papers, digest, top, weekly, monthly and code', () => {
    const list = outlines(renderOpml(SITE));
    expect(list.map((o) => o.xmlUrl)).toEqual(SITE_FEEDS.map((f) => `${ROOT}${f.path}`));
    expect(list.map((o) => o.xmlUrl)).toEqual(
      ['rss.xml', 'atom.xml', 'feed.json', 'daily/rss.xml', 'daily/atom.xml', 'daily/feed.json', 'top/rss.xml', 'top/atom.xml', 'top/feed.json', 'weekly/atom.xml', 'monthly/atom.xml', 'code/atom.xml'].map((p) => ROOT + p),
    );
    expect(list.map((o) => o.version)).toEqual(['RSS2', 'Atom', 'JSONFeed', 'RSS2', 'Atom', 'JSONFeed', 'RSS2', 'Atom', 'JSONFeed', 'Atom', 'Atom', 'Atom']);
    expect(list.find((o) => o.xmlUrl === `${ROOT}code/atom.xml`)?.htmlUrl).toBe(`${ROOT}code/`);
    expect(MORE_FEEDS.every((f) => !f.path.startsWith('/'))).toBe(true);
  });

  it('topics.opml and orgs.opml list every topic and organization feed, hostile names as text', () => {
    const topics = outlines(renderTopicsOpml(SITE, [{ slug: 'diffusion-model', name: 'Diffusion Models' }, { slug: 'c-1a2b3c4d', name: HOSTILE }]));
    expect(topics.map((o) => [o.text, o.xmlUrl, o.htmlUrl])).toEqual([
      ['Paperboy: Diffusion Models', `${ROOT}topics/diffusion-model/atom.xml`, `${ROOT}topics/diffusion-model/`],
      [`Paperboy: ${HOSTILE}`, `${ROOT}topics/c-1a2b3c4d/atom.xml`, `${ROOT}topics/c-1a2b3c4d/`],
    ]);
    const orgs = outlines(renderOrgsOpml(SITE, [{ slug: 'bytedance-seed', fullname: 'ByteDance Seed' }]));
    expect(orgs.map((o) => [o.text, o.xmlUrl, o.htmlUrl])).toEqual([['Paperboy: ByteDance Seed', `${ROOT}orgs/bytedance-seed/atom.xml`, `${ROOT}orgs/bytedance-seed/`]]);
    expect(outlines(renderOrgsOpml(SITE, []))).toEqual([]);
  });
});
