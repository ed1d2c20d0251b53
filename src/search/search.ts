/**
 * Full-text search with Pagefind: what the index holds and how it is split.
 * Pure; shared by the search page (which bundles to load), the indexing
 * worker (src/search/search-worker.ts) and the Astro integration that runs it
 * during `astro build` (src/integrations/search-index.ts).
 *
 * Every paper becomes one Pagefind custom record built from its data (the
 * abstract as its text; title, authors, keywords and organization as
 * searched metadata), not from its rendered page: no HTML to write, read back and parse, so the index can be
 * built while Astro is still rendering the pages.
 *
 * Pagefind holds a whole index in memory while it builds it, and that memory
 * grows with every paper (docs/benchmark.md has the figures). The papers, in list-day
 * order, are split into shards of a fixed size, indexed one after another
 * (memory bounded by one shard) into separate bundles that the search page
 * merges (`mergeIndex`). Each shard is cached under a hash of its records:
 * old shards never change, so a daily build re-indexes only the newest one.
 */
import { createHash } from 'node:crypto';
import { formatAuthors } from '../render/authors.ts';
import { abstractPlainText } from '../render/render.ts';
import type { Paper } from '../archive/schema.ts';
import { collapseWhitespace } from '../render/text.ts';
import { routes, withBase } from '../site/urls.ts';

/** Directory of the first (primary) search bundle inside the site (URL `<base>pagefind/`). */
export const SEARCH_BUNDLE_DIR = 'pagefind';
/** Papers per index shard: bounds Pagefind's memory (docs/benchmark.md). */
export const DEFAULT_SHARD_PAPERS = 5000;

/** The workerData key that starts src/search/search-worker.ts as the indexing worker (an import alone does nothing). */
export const SEARCH_WORKER_DATA_KEY = 'paperboySearchIndex';

/** Bundle directory of shard `i` (0-based): `pagefind`, `pagefind-2`, `pagefind-3`... */
export function shardBundleDir(i: number): string {
  return i === 0 ? SEARCH_BUNDLE_DIR : `${SEARCH_BUNDLE_DIR}-${i + 1}`;
}

/** Papers per shard: PAPERBOY_SEARCH_SHARD_PAPERS (tests use small shards) or the default. */
export function searchShardSize(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.PAPERBOY_SEARCH_SHARD_PAPERS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_SHARD_PAPERS;
}

/**
 * The old-generation heap limit of the indexing worker (MB). Not for safety
 * but for V8's heuristics: without a limit the worker's heap grows to several
 * times what it holds; with any limit V8 collects sooner, in the same time.
 * Generous, so a shard never runs out: several times the live memory measured
 * per paper of a shard, plus a fixed allowance for the per-paper bookkeeping of
 * a large archive and the modules (docs/benchmark.md).
 */
export function searchWorkerOldGenerationMb(shardSize: number): number {
  return 128 + Math.ceil(shardSize / 32);
}

/** How many bundles an archive of `paperCount` papers is indexed into (at least one, so /search/ always loads). */
export function searchShardCount(paperCount: number, shardSize: number): number {
  return Math.max(1, Math.ceil(paperCount / shardSize));
}

/** What the index needs of a paper (the indexing worker keeps only this of each parsed file). */
export type SearchPaper = Pick<Paper, 'id' | 'title' | 'authors' | 'keywords' | 'organization' | 'listDay' | 'aiSummary'> & {
  /** The abstract markdown (the paper file's body). */
  abstract: string;
};

export function toSearchPaper(paper: Paper, abstract: string): SearchPaper {
  const { id, title, authors, keywords, organization, listDay, aiSummary } = paper;
  return { id, title, authors, keywords, organization, listDay, aiSummary, abstract };
}

/** A Pagefind custom record (`index.addCustomRecord`). */
export interface SearchRecord {
  /** The paper page, under the base path: the search page's `baseUrl` is `/` so it is not prefixed twice. */
  url: string;
  /** The abstract as plain text, not HTML (Pagefind escapes `<` and `>` itself before it shows an excerpt). */
  content: string;
  language: string;
  /** Searched as well as shown (Pagefind >= 1.5 searches metadata, the title weighted up); see `searchRecord`. */
  meta: SearchMeta;
  /** `organization`: the name the paper page shows, a filter on /search/. */
  filters: Record<string, string[]>;
}

/**
 * A result's metadata. The search page shows `title` as the result's link, and `authors` and `date` under the
 * excerpt; `keywords` and `organization` are there to be searched (the page does not show them).
 */
export type SearchMeta = {
  /** Plain text, TeX kept as `$...$`. */
  title: string;
  /** Shortened past `maxAuthors` ("A, B and 12 more"); then `allAuthors` holds every name, to be searched. */
  authors?: string;
  allAuthors?: string;
  keywords?: string;
  organization?: string;
  /** The list day. */
  date: string;
};

/** Metadata the search page hides: searched, not shown (src/pages/search/index.astro). */
export const HIDDEN_SEARCH_META = ['allAuthors', 'keywords', 'organization'] as const;

export interface SearchRecordOptions {
  /** The site's base path: record URLs carry it. */
  base: string;
  language: string;
  /** Authors a result shows before "and N more" (siteConfig.maxAuthorsShown); all of them by default. */
  maxAuthors?: number | undefined;
}

/**
 * The search record of one paper. Its text (what an excerpt is cut from) is
 * the abstract alone, as plain text with the TeX source kept, so a result
 * reads: title, then a piece of the abstract. Title, authors, keywords and
 * organization are searched as metadata; a paper without an abstract has its
 * AI summary as text instead.
 */
export function searchRecord(paper: SearchPaper, options: SearchRecordOptions): SearchRecord {
  const organization = paper.organization ? collapseWhitespace(paper.organization.fullname || paper.organization.name) : '';
  const title = collapseWhitespace(paper.title);
  const names = paper.authors.map(collapseWhitespace).filter(Boolean);
  const authors = formatAuthors(names, options.maxAuthors ?? names.length);
  const allAuthors = names.join(', ');
  const keywords = collapseWhitespace(paper.keywords.map(collapseWhitespace).filter(Boolean).join(', '));
  const meta: SearchMeta = {
    title,
    ...(authors ? { authors } : {}),
    ...(allAuthors !== authors ? { allAuthors } : {}),
    date: paper.listDay,
    ...(keywords ? { keywords } : {}),
    ...(organization ? { organization } : {}),
  };
  return {
    url: withBase(options.base, routes.paper(paper.id)),
    content: collapseWhitespace(abstractPlainText(paper.abstract)) || collapseWhitespace(paper.aiSummary ?? ''),
    language: options.language,
    meta,
    filters: organization ? { organization: [organization] } : {},
  };
}

/**
 * Papers in index order: list days oldest first, ids within a day. New days
 * only ever append, so the papers of every shard but the last stay put.
 */
export function papersInIndexOrder<T extends Pick<Paper, 'id' | 'listDay'>>(papers: Iterable<T>): T[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...papers].sort((a, b) => compare(a.listDay, b.listDay) || compare(a.id, b.id));
}

/**
 * The cache key of a shard: its records, and what else changes the bundle
 * files (another Pagefind version writes other files; the base path is in
 * every URL, but say so).
 */
export function shardCacheKey(records: readonly SearchRecord[], context: { pagefindVersion: string; language: string; base: string }): string {
  const hash = createHash('sha256').update(`pagefind ${context.pagefindVersion}\nlanguage ${context.language}\nbase ${context.base}\n`);
  for (const record of records) hash.update(`${JSON.stringify(record)}\n`);
  return hash.digest('hex').slice(0, 32);
}

export interface SearchIndexStats {
  /** Papers in the index. */
  papers: number;
  shards: number;
  /** Shards taken from the cache instead of being indexed again. */
  cachedShards: number;
  /** Paper files parsed (a shard whose files are byte-for-byte those of a cached one is not parsed). */
  parsedPapers?: number | undefined;
  /** Files and bytes of all bundles. */
  files: number;
  bytes: number;
  /** Time the indexing took (in parallel with the page rendering). */
  seconds: number;
  /** How long the build waited for the index after the pages were written, and then took to put it in the site. */
  waitedSeconds?: number | undefined;
  placedSeconds?: number | undefined;
  /** Peak memory of the Pagefind process, when the system tells (Linux). */
  pagefindPeakBytes?: number | undefined;
  /** Peak V8 heap of the indexing worker. */
  workerHeapPeakBytes?: number | undefined;
}

const MB = 1024 * 1024;

export function formatSearchIndexStats(stats: SearchIndexStats): string {
  const shards = `${stats.shards} ${stats.shards === 1 ? 'shard' : 'shards'}`;
  const waited =
    (stats.waitedSeconds === undefined ? '' : `, build waited ${stats.waitedSeconds.toFixed(1)} s`) +
    (stats.placedSeconds === undefined ? '' : ` + ${stats.placedSeconds.toFixed(1)} s to place it`);
  const memory = [
    stats.pagefindPeakBytes === undefined ? '' : `Pagefind ${Math.round(stats.pagefindPeakBytes / MB)} MB`,
    stats.workerHeapPeakBytes === undefined ? '' : `worker heap ${Math.round(stats.workerHeapPeakBytes / MB)} MB`,
  ].filter(Boolean);
  return (
    `search index: ${stats.papers} papers indexed in ${shards} (${stats.cachedShards} from cache${stats.parsedPapers === undefined ? '' : `, ${stats.parsedPapers} files parsed`}), ` +
    `${stats.files} files, ${(stats.bytes / MB).toFixed(1)} MB, in ${stats.seconds.toFixed(1)} s${waited}` +
    (memory.length > 0 ? `; peak memory: ${memory.join(', ')}` : '')
  );
}
