import { describe, expect, it } from 'vitest';
import { abstractToMarkdown } from '../../src/ingest/normalize.ts';
import {
  formatSearchIndexStats,
  HIDDEN_SEARCH_META,
  papersInIndexOrder,
  searchRecord,
  searchShardCount,
  searchShardSize,
  searchWorkerOldGenerationMb,
  shardBundleDir,
  shardCacheKey,
  toSearchPaper,
} from '../../src/search/search.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { makePaper } from '../helpers/make-paper.ts';

const HOSTILE_TITLE = '<script>alert("t")</script> & "Quotes" \u202eRTL\u202c 🤖 ]]> $x^2$';
const HOSTILE_ABSTRACT = 'A <b>bold</b> claim & more: <img src=x onerror=alert(1)> *star* [x](javascript:alert(1)), math $\\alpha + \\beta$ and $5 stays.';

function paper(overrides: Partial<Paper> = {}): Paper {
  return { ...makePaper('2401.00001', '2024-01-03'), ...overrides };
}

const options = { base: '/paperboy/', language: 'en' };

describe('search records', () => {
  it('points at the paper page under the base path, old-style ids included', () => {
    expect(searchRecord(toSearchPaper(paper(), ''), options).url).toBe('/paperboy/papers/2401.00001/');
    expect(searchRecord(toSearchPaper(paper(), ''), { base: '/', language: 'en' }).url).toBe('/papers/2401.00001/');
    expect(searchRecord(toSearchPaper(paper(), ''), { base: 'a/b', language: 'en' }).url).toBe('/a/b/papers/2401.00001/');
    expect(searchRecord(toSearchPaper(paper({ id: 'hep-th/9901001' }), ''), options).url).toBe('/paperboy/papers/hep-th_9901001/');
  });

  it('has the abstract alone as its text; title, authors, keywords and organization as searched metadata', () => {
    const record = searchRecord(
      toSearchPaper(
        paper({
          title: 'Diffusion\n  everywhere',
          authors: ['Ada Lovelace', 'Alan Turing'],
          keywords: ['diffusion model', 'video'],
          organization: { name: 'ByteDance-Seed', fullname: 'ByteDance Seed' },
        }),
        abstractToMarkdown('We study\ndiffusion.'),
      ),
      options,
    );
    // The excerpt is cut from the text: a result shows its title once, then the abstract.
    expect(record.content).toBe('We study diffusion.');
    expect(record.meta).toEqual({
      title: 'Diffusion everywhere',
      authors: 'Ada Lovelace, Alan Turing',
      date: '2024-01-03',
      keywords: 'diffusion model, video',
      organization: 'ByteDance Seed',
    });
    expect(record.language).toBe('en');
    // The organization filter of /search/, named as the paper page names it.
    expect(record.filters).toEqual({ organization: ['ByteDance Seed'] });
    expect(searchRecord(toSearchPaper(paper({ organization: { name: 'org-handle', fullname: null } }), ''), options).filters).toEqual({
      organization: ['org-handle'],
    });
  });

  it('leaves out what a paper does not have; without an abstract the AI summary is the text', () => {
    const record = searchRecord(toSearchPaper(paper({ title: 'Only a title', authors: [], keywords: [], aiSummary: null }), ''), options);
    expect(record.content).toBe('');
    expect(record.meta).toEqual({ title: 'Only a title', date: '2024-01-03' });
    expect(record.filters).toEqual({});
    expect(searchRecord(toSearchPaper(paper({ aiSummary: 'It  does\nthings.' }), ''), options).content).toBe('It does things.');
  });

  it('shortens a long author list for display and keeps every name to search', () => {
    const authors = Array.from({ length: 12 }, (_, i) => `Author ${i + 1}`);
    const record = searchRecord(toSearchPaper(paper({ authors }), 'x'), { ...options, maxAuthors: 8 });
    expect(record.meta.authors).toBe('Author 1, Author 2, Author 3, Author 4, Author 5, Author 6, Author 7, Author 8 and 4 more');
    expect(record.meta.allAuthors).toBe(authors.join(', '));
    expect(HIDDEN_SEARCH_META).toContain('allAuthors');
    expect(searchRecord(toSearchPaper(paper({ authors: authors.slice(0, 3) }), 'x'), { ...options, maxAuthors: 8 }).meta.allAuthors).toBeUndefined();
  });

  it('keeps hostile text as the literal text (Pagefind escapes < and > itself), markdown escapes resolved, TeX as source', () => {
    const record = searchRecord(
      toSearchPaper(paper({ title: HOSTILE_TITLE, authors: ['<i>Eve</i> & "Mallory"'], keywords: ['<b>kw</b>'] }), abstractToMarkdown(HOSTILE_ABSTRACT)),
      options,
    );
    expect(record.meta).toMatchObject({ title: HOSTILE_TITLE, authors: '<i>Eve</i> & "Mallory"', keywords: '<b>kw</b>' });
    expect(record.content).toBe(HOSTILE_ABSTRACT);
    // No markdown escapes or entities: what a reader sees on the page is what is searched and shown.
    expect(record.content).not.toMatch(/\\[<*[$]|&(amp|lt|gt|quot);/);
  });

  it('keeps math as its TeX source in the title and the abstract', () => {
    const record = searchRecord(toSearchPaper(paper({ title: 'Scaling $O(n^2)$ attention' }), abstractToMarkdown('Loss $\\mathcal{L} = x_1$ drops.')), options);
    expect(record.meta.title).toBe('Scaling $O(n^2)$ attention');
    expect(record.content).toBe('Loss $\\mathcal{L} = x_1$ drops.');
  });

  it('drops control characters that are not text', () => {
    const record = searchRecord(toSearchPaper(paper({ title: 'Bell\u0007 and NUL\u0000 gone' }), ''), options);
    expect(record.meta.title).toBe('Bell and NUL gone');
  });
});

describe('index order and shards', () => {
  it('orders papers by list day, then id, so new days only append', () => {
    const papers = [makePaper('2401.00003', '2024-01-02'), makePaper('2401.00002', '2024-01-03'), makePaper('2401.00001', '2024-01-03'), makePaper('hep-th/9901001', '2023-12-29')];
    expect(papersInIndexOrder(papers).map((p) => p.id)).toEqual(['hep-th/9901001', '2401.00003', '2401.00001', '2401.00002']);
    const withNewDay = [...papers, makePaper('2401.00000', '2024-01-04')];
    expect(papersInIndexOrder(withNewDay).map((p) => p.id).slice(0, 4)).toEqual(papersInIndexOrder(papers).map((p) => p.id));
  });

  it('names shard bundles and counts shards (at least one, so /search/ always loads)', () => {
    expect([0, 1, 2].map(shardBundleDir)).toEqual(['pagefind', 'pagefind-2', 'pagefind-3']);
    expect(searchShardCount(0, 5000)).toBe(1);
    expect(searchShardCount(5000, 5000)).toBe(1);
    expect(searchShardCount(5001, 5000)).toBe(2);
    expect(searchShardSize({})).toBe(5000);
    expect(searchShardSize({ PAPERBOY_SEARCH_SHARD_PAPERS: '20' })).toBe(20);
    expect(searchShardSize({ PAPERBOY_SEARCH_SHARD_PAPERS: 'lots' })).toBe(5000);
    expect(searchShardSize({ PAPERBOY_SEARCH_SHARD_PAPERS: '-3' })).toBe(5000);
  });

  it('gives the indexing worker a heap limit with room for a shard well beyond what it holds', () => {
    // Measured: ~5 KB live per paper of the shard being indexed; the limit allows 32 KB on top of 128 MB.
    expect(searchWorkerOldGenerationMb(5000)).toBe(285);
    expect(searchWorkerOldGenerationMb(20000)).toBe(128 + 625);
    expect(searchWorkerOldGenerationMb(1)).toBeGreaterThanOrEqual(128);
  });

  it('keys a shard by its records, the Pagefind version, the language and the base path', () => {
    const records = [paper(), paper({ id: '2401.00002' })].map((p) => searchRecord(toSearchPaper(p, 'An abstract.'), options));
    const context = { pagefindVersion: '1.6.0', language: 'en', base: '/paperboy/' };
    const key = shardCacheKey(records, context);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(shardCacheKey(records.map((r) => ({ ...r })), { ...context })).toBe(key);
    const changed = [records[0]!, { ...records[1]!, content: `${records[1]!.content} More.` }];
    expect(shardCacheKey(changed, context)).not.toBe(key);
    expect(shardCacheKey(records, { ...context, pagefindVersion: '1.7.0' })).not.toBe(key);
    expect(shardCacheKey(records, { ...context, language: 'de' })).not.toBe(key);
    expect(shardCacheKey(records, { ...context, base: '/' })).not.toBe(key);
  });

  it('reports the index in one line, with the wait and peak memory when known', () => {
    const stats = { papers: 8036, shards: 2, cachedShards: 1, files: 312, bytes: 17.1 * 1024 * 1024, seconds: 12.34 };
    expect(formatSearchIndexStats(stats)).toBe('search index: 8036 papers indexed in 2 shards (1 from cache), 312 files, 17.1 MB, in 12.3 s');
    expect(
      formatSearchIndexStats({ ...stats, shards: 1, waitedSeconds: 0.04, placedSeconds: 0.25, pagefindPeakBytes: 700 * 1024 * 1024, workerHeapPeakBytes: 80 * 1024 * 1024 }),
    ).toBe(
      'search index: 8036 papers indexed in 1 shard (1 from cache), 312 files, 17.1 MB, in 12.3 s, build waited 0.0 s + 0.3 s to place it; peak memory: Pagefind 700 MB, worker heap 80 MB',
    );
  });
});
