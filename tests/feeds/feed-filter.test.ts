/**
 * A fork's own filter (siteConfig.feedFilter, src/feeds/feed-filter.ts): which
 * papers it keeps, how its settings are checked, and that the feeds and the
 * email digest both go through it while no filter changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { buildDigest } from '../../src/digest/compose.ts';
import { selectDigestPapers } from '../../src/digest/select.ts';
import { emailSubscribeHref } from '../../src/site/email-subscribe.ts';
import { SiteConfigError } from '../../src/site/config-error.ts';
import { describeFeedFilter, type FeedFilter, filterPapers, NO_FILTER } from '../../src/feeds/feed-filter.ts';
import { renderAtom } from '../../src/feeds/atom.ts';
import { buildDigestFeed, buildPaperFeed, type FeedSite } from '../../src/feeds/entries.ts';
import { renderJsonFeed } from '../../src/feeds/json-feed.ts';
import { renderRss } from '../../src/feeds/rss.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { siteConfig } from '../../src/config.ts';
import { makePaper } from '../helpers/make-paper.ts';

const paper = (id: string, upvotes: number, keywords: string[], listDay = '2024-01-03'): Paper => ({ ...makePaper(id, listDay, upvotes), keywords });

const PAPERS = [
  paper('2401.00001', 50, ['Diffusion Models', 'video generation']),
  paper('2401.00002', 5, ['diffusion-model']),
  paper('2401.00003', 30, ['Large Language Models (LLMs)']),
  paper('2401.00004', 12, []),
  paper('2401.00005', 80, ['LLMs', 'benchmark']),
];
const ids = (papers: readonly Paper[]) => papers.map((p) => p.id);
const filter = (f: Partial<FeedFilter>): FeedFilter => ({ ...NO_FILTER, ...f });

describe('filterPapers', () => {
  it('keeps every paper, in order, without a filter (the default)', () => {
    expect(siteConfig.feedFilter).toEqual(NO_FILTER);
    expect(ids(filterPapers(PAPERS, NO_FILTER))).toEqual(ids(PAPERS));
  });

  it('keeps papers with at least minUpvotes', () => {
    expect(ids(filterPapers(PAPERS, filter({ minUpvotes: 30 })))).toEqual(['2401.00001', '2401.00003', '2401.00005']);
  });

  it('keeps papers on an included topic, in any spelling a topic page folds', () => {
    expect(ids(filterPapers(PAPERS, filter({ includeTopics: ['diffusion model'] })))).toEqual(['2401.00001', '2401.00002']);
    expect(ids(filterPapers(PAPERS, filter({ includeTopics: ['large language model', 'LLM'] })))).toEqual(['2401.00003', '2401.00005']);
  });

  it('drops papers on an excluded topic, even when an included topic selects them; all rules together', () => {
    expect(ids(filterPapers(PAPERS, filter({ excludeTopics: ['Video Generation', 'benchmarks'] })))).toEqual(['2401.00002', '2401.00003', '2401.00004']);
    expect(ids(filterPapers(PAPERS, filter({ minUpvotes: 10, includeTopics: ['Diffusion Models', 'LLMs'], excludeTopics: ['benchmark'] })))).toEqual([
      '2401.00001',
    ]);
  });

  it('rejects malformed settings with one line naming the setting', () => {
    const bad: [Partial<FeedFilter>, RegExp][] = [
      [{ minUpvotes: -1 }, /^src\/config\.ts: feedFilter\.minUpvotes must be a whole number/],
      [{ minUpvotes: 2.5 }, /feedFilter\.minUpvotes/],
      [{ includeTopics: ['diffusion', '  '] }, /^src\/config\.ts: feedFilter\.includeTopics\[1\] \(" {2}"\) is not a topic/],
      [{ excludeTopics: 'video' as unknown as string[] }, /feedFilter\.excludeTopics must be a list/],
    ];
    for (const [settings, message] of bad) {
      expect(() => filterPapers(PAPERS, filter(settings))).toThrow(SiteConfigError);
      expect(() => filterPapers(PAPERS, filter(settings))).toThrow(message);
    }
  });

  it('says in one sentence what it keeps, and nothing without a filter', () => {
    expect(describeFeedFilter(NO_FILTER)).toBeUndefined();
    expect(describeFeedFilter(filter({ minUpvotes: 20, includeTopics: ['diffusion model'], excludeTopics: ['benchmark'] }))).toBe(
      "This site's selection: only papers with at least 20 upvotes, on diffusion model, not on benchmark.",
    );
  });
});

describe('the filter in the feeds', () => {
  const SITE: FeedSite = { site: 'https://example.github.io', base: '/paperboy/', title: 'Paperboy', description: 'Daily papers.', language: 'en' };
  const archive = buildArchive([...PAPERS, paper('2401.00006', 3, ['benchmark'], '2024-01-02')]);
  const abstractOf = () => 'An abstract.';
  const selective = filter({ minUpvotes: 10, excludeTopics: ['benchmark'] });

  it('no filter builds byte-identical feeds', async () => {
    expect(renderAtom(buildPaperFeed(SITE, archive, 7, abstractOf, NO_FILTER))).toBe(renderAtom(buildPaperFeed(SITE, archive, 7, abstractOf)));
    expect(await renderRss(buildDigestFeed(SITE, archive, 7, NO_FILTER))).toBe(await renderRss(buildDigestFeed(SITE, archive, 7)));
    expect(buildPaperFeed(SITE, archive, 7, abstractOf).description).toBe('Daily papers. One item per paper, most recent list days first.');
  });

  it('paper feeds carry only the papers it keeps, and say so', () => {
    const doc = buildPaperFeed(SITE, archive, 7, abstractOf, selective);
    expect(doc.entries.map((e) => e.id)).toEqual(['2401.00001', '2401.00003', '2401.00004'].map((id) => `https://example.github.io/paperboy/papers/${id}/`));
    expect(doc.description).toContain("This site's selection: only papers with at least 10 upvotes, not on benchmark.");
    expect(JSON.parse(renderJsonFeed(doc)).items).toHaveLength(3);
  });

  it('digest feeds list only the kept papers of a day, count the rest, and skip a day with none', () => {
    const doc = buildDigestFeed(SITE, archive, 7, selective);
    expect(doc.entries.map((e) => e.id)).toEqual(['tag:example.github.io,2024-01-03:/paperboy/daily/2024-01-03']);
    const [entry] = doc.entries;
    expect(entry!.title).toBe('Hugging Face Daily Papers, 3 January 2024 (3 papers)');
    expect(entry!.summary).toMatch(/^3 of the 5 papers listed on 3 January 2024\. Most upvoted: Paper 2401\.00001/);
    expect(entry!.contentHtml).toContain("3 of the 5 papers listed on Hugging Face Daily Papers on 3 January 2024 (this site's selection), most upvoted first.");
    expect([...entry!.contentHtml.matchAll(/<li>/g)]).toHaveLength(3);
  });
});

describe('the filter in the email digest', () => {
  const items = PAPERS.map((p) => ({ paper: p, abstract: 'An abstract.' }));
  const settings = { site: 'https://example.github.io', base: '/paperboy/', siteTitle: 'Paperboy', unsubscribeUrl: 'https://example.github.io/paperboy/' };

  it('mails the papers the feeds carry, and says how many of the day they are', () => {
    const selected = selectDigestPapers('2024-01-03', items, filter({ includeTopics: ['LLM', 'large language models'] }));
    expect(selected).toMatchObject({ kind: 'papers', listed: 5 });
    if (selected.kind !== 'papers') return;
    expect(selected.papers.map((i) => i.paper.id)).toEqual(['2401.00003', '2401.00005']);
    const message = buildDigest('2024-01-03', selected.papers, { ...settings, listed: selected.listed });
    expect(message.paperCount).toBe(2);
    expect(message.text).toContain("2 of the 5 papers listed, most upvoted first (this site's selection).");
    expect(message.html).toContain('2401.00005');
    expect(message.html).not.toContain('2401.00001');
  });

  it('sends nothing when the filter keeps none of the day, and everything without a filter', () => {
    expect(selectDigestPapers('2024-01-03', items, filter({ minUpvotes: 1000 }))).toEqual({
      kind: 'nothing',
      reason: 'none of the 5 papers of 2024-01-03 passes feedFilter in src/config.ts: nothing to send',
    });
    const all = selectDigestPapers('2024-01-03', items, NO_FILTER);
    expect(all).toEqual({ kind: 'papers', papers: items, listed: 5 });
    const message = buildDigest('2024-01-03', items, { ...settings, listed: 5 });
    expect(message.text).toContain('5 papers, most upvoted first.');
    expect(message.html).toBe(buildDigest('2024-01-03', items, settings).html);
  });
});

describe('emailSubscribeUrl', () => {
  it('is off by default, gives the http(s) link when set, and fails the build with one line otherwise', () => {
    expect(siteConfig.emailSubscribeUrl).toBe('');
    expect(emailSubscribeHref('')).toBeUndefined();
    expect(emailSubscribeHref('  ')).toBeUndefined();
    expect(emailSubscribeHref('https://groups.google.com/g/paperboy-digest')).toBe('https://groups.google.com/g/paperboy-digest');
    expect(emailSubscribeHref(' https://groups.io/g/papers/join ')).toBe('https://groups.io/g/papers/join');
    for (const bad of ['javascript:alert(1)', 'mailto:list@example.org', 'groups.io/g/papers', '/subscribe']) {
      expect(() => emailSubscribeHref(bad)).toThrow(/^src\/config\.ts: emailSubscribeUrl must be an http\(s\) URL/);
    }
  });
});
