/**
 * The monthly bests feed (/monthly/atom.xml): one entry per calendar month
 * once its ranking is final (src/discovery/months.ts), like the weekly feed: a
 * month appears once, settled, with a stable tag: id.
 */
import { formatMonth } from '../site/calendar.ts';
import type { MonthBest } from '../discovery/months.ts';
import { collapseWhitespace, escapeHtml } from '../render/text.ts';
import { absoluteUrl, normalizeBase, routes } from '../site/urls.ts';
import { type FeedDocument, type FeedEntry, type FeedSite, paperUrl } from './entries.ts';
import { atomOnly, scopedFeedDocument } from './scoped.ts';
import { latestIso } from './xml.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A month entry's id: a tag: URI naming the month, never a paper URL or a week's or day's id, the same on every rebuild. */
export function monthEntryId(site: FeedSite, month: Pick<MonthBest, 'key'>): string {
  const host = new URL(site.site).hostname;
  return `tag:${host},${month.key}-01:${normalizeBase(site.base)}monthly/${month.key}`;
}

export function monthEntry(site: FeedSite, month: MonthBest): FeedEntry {
  const url = absoluteUrl(site.site, site.base, routes.month(month.year, month.month));
  const name = formatMonth(month.key);
  // Published when the ranking became final: that is when this entry first appears in the feed.
  const published = `${month.finalFrom}T00:00:00.000Z`;
  const items = month.top
    .map((p) => `<li><a href="${escapeHtml(paperUrl(site, p))}">${escapeHtml(collapseWhitespace(p.title))}</a> (${plural(p.upvotes, 'upvote')})</li>`)
    .join('\n');
  const top = month.top[0];
  return {
    id: monthEntryId(site, month),
    idIsPermalink: false,
    title: `Top papers of ${name}`,
    url,
    externalUrl: undefined,
    authors: [],
    published,
    updated: latestIso([published, ...month.top.map((p) => p.updatedAt)])!,
    categories: [],
    summary: top
      ? `The ${plural(month.top.length, 'most upvoted paper')} of ${plural(month.paperCount, 'paper')} listed in ${name}. First: ${collapseWhitespace(top.title)} (${plural(top.upvotes, 'upvote')}).`
      : `No papers listed in ${name}.`,
    contentHtml:
      `<p>The most upvoted of the ${escapeHtml(plural(month.paperCount, 'paper'))} on the Hugging Face Daily Papers lists of ${escapeHtml(name)} (final ranking).</p>\n` +
      `<ol>\n${items}\n</ol>\n<p><a href="${escapeHtml(url)}">This month in the archive</a></p>`,
    image: undefined,
  };
}

/** The `limit` most recent months whose ranking is final, newest first. */
export function buildMonthlyFeed(site: FeedSite, months: readonly MonthBest[], limit: number): FeedDocument {
  const entries = months
    .filter((m) => m.final)
    .slice(0, Math.max(0, limit))
    .map((m) => monthEntry(site, m));
  return scopedFeedDocument(
    site,
    'digest',
    atomOnly(routes.monthlyFeed()),
    `${site.title}: monthly bests`,
    `The most upvoted papers of each month on the Hugging Face Daily Papers list, published once the month's ranking is final (two weeks after its last day).`,
    entries,
  );
}
