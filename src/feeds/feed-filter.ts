/**
 * A fork's own selection for its main feeds and its email digest
 * (siteConfig.feedFilter): a minimum of upvotes, topics to include, topics
 * to exclude. The archive and its pages always keep every paper; only the
 * paper feeds, the daily digest feeds and the mailed digest apply this, all
 * through `filterPapers`. Topics are matched the way topic pages fold
 * keywords (src/discovery/topics.ts), so "Diffusion Models" also selects papers
 * tagged "diffusion model". Pure.
 */
import { SiteConfigError } from '../site/config-error.ts';
import type { Paper } from '../archive/schema.ts';
import { normalizeKeyword } from '../discovery/topics.ts';

export interface FeedFilter {
  /** Only papers with at least this many upvotes (0: any). Upvotes keep rising for days after a paper is listed. */
  minUpvotes: number;
  /** Only papers with at least one of these topics (keywords, any spelling a topic page folds); []: any topic. */
  includeTopics: readonly string[];
  /** No paper with any of these topics, even one an included topic selects. */
  excludeTopics: readonly string[];
}

/** The default: every paper, so the feeds and the digest are exactly what they are without a filter. */
export const NO_FILTER: FeedFilter = { minUpvotes: 0, includeTopics: [], excludeTopics: [] };

function topicKeys(topics: readonly string[], field: string): Set<string> {
  if (!Array.isArray(topics)) throw new SiteConfigError(`src/config.ts: feedFilter.${field} must be a list of topics, e.g. ['diffusion model']`);
  return new Set(
    topics.map((topic, i) => {
      const key = typeof topic === 'string' ? normalizeKeyword(topic) : undefined;
      if (key === undefined) {
        throw new SiteConfigError(`src/config.ts: feedFilter.${field}[${i}] (${JSON.stringify(topic)}) is not a topic: write a keyword such as 'diffusion model'`);
      }
      return key;
    }),
  );
}

/** Whether a filter lets every paper through (then the output is byte-identical to having none). */
export function isNoFilter(filter: FeedFilter): boolean {
  return filter.minUpvotes === 0 && filter.includeTopics.length === 0 && filter.excludeTopics.length === 0;
}

/**
 * The filter as a test of one paper; throws a SiteConfigError (one line
 * naming the setting) when the setting is malformed.
 */
export function feedFilterTest(filter: FeedFilter): (paper: Pick<Paper, 'upvotes' | 'keywords'>) => boolean {
  const { minUpvotes } = filter;
  if (!Number.isInteger(minUpvotes) || minUpvotes < 0) {
    throw new SiteConfigError(`src/config.ts: feedFilter.minUpvotes must be a whole number of at least 0, got ${JSON.stringify(minUpvotes)}`);
  }
  const include = topicKeys(filter.includeTopics, 'includeTopics');
  const exclude = topicKeys(filter.excludeTopics, 'excludeTopics');
  if (minUpvotes === 0 && include.size === 0 && exclude.size === 0) return () => true;
  const keyCache = new Map<string, string | undefined>();
  const keyOf = (keyword: string) => {
    if (!keyCache.has(keyword)) keyCache.set(keyword, normalizeKeyword(keyword));
    return keyCache.get(keyword);
  };
  return (paper) => {
    if (paper.upvotes < minUpvotes) return false;
    if (include.size === 0 && exclude.size === 0) return true;
    const keys = paper.keywords.map(keyOf);
    if (keys.some((k) => k !== undefined && exclude.has(k))) return false;
    return include.size === 0 || keys.some((k) => k !== undefined && include.has(k));
  };
}

/** The papers the filter keeps, in their order: the one place the feeds and the digest apply it. */
export function filterPapers<T extends Pick<Paper, 'upvotes' | 'keywords'>>(papers: readonly T[], filter: FeedFilter): T[] {
  if (isNoFilter(filter)) return [...papers];
  const keep = feedFilterTest(filter);
  return papers.filter(keep);
}

/** One sentence for feed descriptions saying what the filter keeps; undefined for no filter. */
export function describeFeedFilter(filter: FeedFilter): string | undefined {
  if (isNoFilter(filter)) return undefined;
  const parts: string[] = [];
  if (filter.minUpvotes > 0) parts.push(`with at least ${filter.minUpvotes} upvote${filter.minUpvotes === 1 ? '' : 's'}`);
  if (filter.includeTopics.length) parts.push(`on ${filter.includeTopics.join(', ')}`);
  if (filter.excludeTopics.length) parts.push(`not on ${filter.excludeTopics.join(', ')}`);
  return `This site's selection: only papers ${parts.join(', ')}.`;
}
