/**
 * Pure builders for the discovery feeds: the Atom feed of a topic and the
 * weekly digest feed. They reuse the feed module's entries and its Atom
 * serialiser, so they carry the same ids, text handling and validity rules as
 * the main feeds.
 */
import { type FeedDocument, type FeedEntry, type FeedSite, paperEntry, paperUrl } from './entries.ts';
import { atomOnly, scopedFeedDocument } from './scoped.ts';
import { latestIso } from './xml.ts';
import type { TopicFeedModel } from '../site/page-models.ts';
import { collapseWhitespace, escapeHtml } from '../render/text.ts';
import { absoluteUrl, normalizeBase, routes } from '../site/urls.ts';
import { formatWeekRange, type Week } from '../discovery/weeks.ts';

// ------------------------------------------------------------------ feeds

/**
 * A document for the Atom serialiser only: the RSS and JSON Feed URLs of the
 * shared FeedDocument type do not exist for these feeds, so they repeat the
 * Atom URL (renderAtom reads only `feedUrls.atom`).
 */
function atomDocument(site: FeedSite, path: string, title: string, description: string, entries: FeedEntry[]): FeedDocument {
  return scopedFeedDocument(site, 'digest', atomOnly(path), title, description, entries);
}

/**
 * A topic's newest `limit` papers, one entry per paper (the same entries, ids included, as the main feeds).
 * Each entry's summary is the start of the abstract (`summaryLength` characters) and no HTML content: a
 * thousand topic feeds of full entries would outweigh the papers they list (docs/benchmark.md); the entry
 * links to the paper page with everything.
 */
export function buildTopicFeed(site: FeedSite, { topic, abstracts }: TopicFeedModel, summaryLength: number): FeedDocument {
  const entries = topic.papers.map((p, i) => paperEntry(site, p, abstracts[i] ?? '', false, summaryLength));
  return atomDocument(
    site,
    routes.topicFeed(topic.slug),
    `${site.title}: ${collapseWhitespace(topic.name)}`,
    `Papers on the Hugging Face Daily Papers list with the keyword “${collapseWhitespace(topic.name)}” (and its variants), newest first.`,
    entries,
  );
}

/**
 * A weekly entry's id: a tag: URI naming the ISO week, so it never collides
 * with paper URLs or daily digest ids and stays the same on every rebuild.
 */
export function weekEntryId(site: FeedSite, week: Week): string {
  const host = new URL(site.site).hostname;
  return `tag:${host},${week.monday}:${normalizeBase(site.base)}weeks/${week.key}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function weekEntry(site: FeedSite, week: Week): FeedEntry {
  const url = absoluteUrl(site.site, site.base, routes.week(week.key));
  const range = formatWeekRange(week.key);
  // Published when the ranking became final: that is when this entry first appears in the feed.
  const published = `${week.finalFrom}T00:00:00.000Z`;
  const items = week.top
    .map((p) => `<li><a href="${escapeHtml(paperUrl(site, p))}">${escapeHtml(collapseWhitespace(p.title))}</a> (${plural(p.upvotes, 'upvote')})</li>`)
    .join('\n');
  const top = week.top[0];
  return {
    id: weekEntryId(site, week),
    idIsPermalink: false,
    title: `Top papers of week ${week.key} (${range})`,
    url,
    externalUrl: undefined,
    authors: [],
    published,
    updated: latestIso([published, ...week.top.map((p) => p.updatedAt)])!,
    categories: [],
    summary: top
      ? `The ${plural(week.top.length, 'most upvoted paper')} of ${plural(week.paperCount, 'paper')} listed ${range}. First: ${collapseWhitespace(top.title)} (${plural(top.upvotes, 'upvote')}).`
      : `No papers listed ${range}.`,
    contentHtml:
      `<p>The most upvoted of the ${escapeHtml(plural(week.paperCount, 'paper'))} on the Hugging Face Daily Papers lists of ${escapeHtml(range)} (final ranking).</p>\n` +
      `<ol>\n${items}\n</ol>\n<p><a href="${escapeHtml(url)}">This week in the archive</a></p>`,
    image: undefined,
  };
}

/** The weekly digest: the `limit` most recent weeks whose ranking is final, newest first; a week appears once, settled. */
export function buildWeeklyFeed(site: FeedSite, weeks: readonly Week[], limit: number): FeedDocument {
  const entries = weeks
    .filter((w) => w.final)
    .slice(0, Math.max(0, limit))
    .map((w) => weekEntry(site, w));
  return atomDocument(
    site,
    routes.weeklyFeed(),
    `${site.title}: weekly bests`,
    `The most upvoted papers of each week on the Hugging Face Daily Papers list, published once the week's ranking is final (its Sunday two weeks past).`,
    entries,
  );
}
