/**
 * Format-neutral feed documents built from the archive: one entry per paper
 * (paper feeds) or one per list day (digest feeds). The RSS, Atom and JSON
 * Feed serialisers only translate these, so the three formats carry the same
 * ids, titles, links and dates.
 *
 * Stability rules: an entry id never contains a volatile field (upvotes,
 * comments...), only the paper id or the list day; dates come from the data
 * (list day, updatedAt), never from the clock, so an unchanged archive gives
 * byte-identical feeds.
 */
import type { Archive, ListDay } from '../site/archive.ts';
import { listStatus } from '../site/calendar.ts';
import { describeFeedFilter, type FeedFilter, filterPapers, NO_FILTER } from './feed-filter.ts';
import { abstractPlainText, renderAbstractHtml, renderTexInline, shortenText } from '../render/render.ts';
import { arxivAbsUrl } from '../archive/arxiv.ts';
import { paperLinks } from '../render/paper-links.ts';
import type { Paper } from '../archive/schema.ts';
import { collapseWhitespace, escapeHtml, safeHttpUrl } from '../render/text.ts';
import { absoluteUrl, normalizeBase, routes } from '../site/urls.ts';
import { withdrawnLabel, withdrawnNotice, withdrawnPhrase } from '../render/withdrawn.ts';
import { FEED_ICON_PATH, FEED_IMAGE_PATH, FEED_STYLESHEET_PATH, type FeedFormat, type FeedKind, feedTitle, findFeed } from './catalog.ts';
import { latestIso } from './xml.ts';

export interface FeedSite {
  /** Site origin (SITE_URL), e.g. `https://example.github.io`. */
  site: string;
  /** Base path (BASE_PATH), e.g. `/paperboy/`. */
  base: string;
  /** Site name (siteConfig.title). */
  title: string;
  description: string;
  /** BCP 47 language tag. */
  language: string;
}

export interface FeedEntry {
  /** Stable, unique across all feeds: the paper page URL, or a tag: URI for a digest day. */
  id: string;
  /** True when `id` is a URL that shows the entry (RSS guid isPermaLink). */
  idIsPermalink: boolean;
  /** Plain text; TeX stays source. */
  title: string;
  /** Absolute URL of the page on this site. */
  url: string;
  /** Absolute URL of the same item elsewhere (the arXiv abstract), if any. */
  externalUrl: string | undefined;
  authors: string[];
  /** ISO date-time: the list day at 00:00 UTC. */
  published: string;
  /** ISO date-time of the last change (never before `published`). */
  updated: string;
  categories: string[];
  /** Plain-text summary. */
  summary: string;
  /** Full content as an HTML fragment (math in the feed form of src/render/feed-math.ts, never KaTeX HTML); '' for a summary-only entry (Atom only). */
  contentHtml: string;
  /** Absolute http(s) image URL, if any. */
  image: string | undefined;
}

export interface FeedDocument {
  kind: FeedKind;
  title: string;
  description: string;
  language: string;
  /** The site's home page (absolute). */
  homeUrl: string;
  /** Absolute URL of this feed in each format (self links). */
  feedUrls: Record<FeedFormat, string>;
  /** Square 512 px icon (JSON Feed icon, Atom icon) and the 144 px RSS <image> (JSON Feed favicon). */
  iconUrl: string;
  imageUrl: string;
  /** Path of the CSS stylesheet for browsers (base path included, same origin as the feed). */
  stylesheetHref: string;
  /** Who publishes the feed: Atom requires an author on the feed when entries may have none. */
  publisher: string;
  /** Latest change of anything the feed shows; undefined for an empty archive with no records. */
  updated: string | undefined;
  entries: FeedEntry[];
}

/** Atom needs a feed `updated` even for an empty archive: a fixed date, so the output stays stable. */
export const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00.000Z';

/** The abstract markdown of a paper (the body of its file). */
export type AbstractSource = (paper: Paper) => string;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2024-01-03` -> `3 January 2024` (fixed English: no locale data involved). */
export function formatListDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${Number(date)} ${MONTHS[Number(month) - 1]} ${year}`;
}

function dayStart(day: string): string {
  return `${day}T00:00:00.000Z`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function uniqueClean(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => collapseWhitespace(v)).filter(Boolean))];
}

function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}


/** The item body: a withdrawn notice, abstract (math in the feed form), the labelled AI summary, list facts and links. */
export function paperContentHtml(paper: Paper, abstractMarkdown: string, pageUrl: string): string {
  const parts: string[] = [];
  const withdrawn = withdrawnNotice(paper);
  if (withdrawn) parts.push(`<p><strong>${escapeHtml(withdrawn)}</strong></p>`);
  const authors = uniqueClean(paper.authors);
  if (authors.length) parts.push(`<p><strong>Authors:</strong> ${escapeHtml(authors.join(', '))}</p>`);
  const abstractHtml = renderAbstractHtml(abstractMarkdown, 'feed');
  if (abstractHtml) parts.push(abstractHtml);
  const aiSummary = paper.aiSummary ? collapseWhitespace(paper.aiSummary) : '';
  if (aiSummary) {
    parts.push(
      `<p><strong>AI summary (machine-generated by Hugging Face, may be wrong):</strong> ${renderTexInline(aiSummary, 'feed')}</p>`,
    );
  }
  parts.push(
    `<p>Listed on Hugging Face Daily Papers on ${escapeHtml(formatListDay(paper.listDay))} · ` +
      `${plural(paper.upvotes, 'upvote')} · ${plural(paper.comments, 'comment')} · ${link(pageUrl, 'Archived here')}</p>`,
  );
  parts.push(`<p>${paperLinks(paper).map((l) => link(l.url, l.label)).join(' · ')}</p>`);
  return parts.join('\n');
}

export function paperUrl(site: FeedSite, paper: Paper): string {
  return absoluteUrl(site.site, site.base, routes.paper(paper.id));
}

export function dayUrl(site: FeedSite, day: string): string {
  return absoluteUrl(site.site, site.base, routes.day(day));
}

/** `withContent: false`: a summary-only entry (no HTML content), for feeds that must stay small. */
/** `summaryLength`: shorten the summary (the abstract as text) to this many characters at a word. */
export function paperEntry(site: FeedSite, paper: Paper, abstractMarkdown: string, withContent = true, summaryLength?: number): FeedEntry {
  const url = paperUrl(site, paper);
  const published = dayStart(paper.listDay);
  const title = collapseWhitespace(paper.title);
  const text = collapseWhitespace(abstractPlainText(abstractMarkdown)) || collapseWhitespace(paper.aiSummary ?? '') || title;
  const withdrawn = withdrawnLabel(paper);
  const shortened = summaryLength === undefined ? text : shortenText(text, summaryLength);
  const summary = withdrawn ? `${withdrawn}. ${shortened}` : shortened;
  return {
    id: url,
    idIsPermalink: true,
    title,
    url,
    externalUrl: arxivAbsUrl(paper.id),
    authors: uniqueClean(paper.authors),
    published,
    updated: latestIso([published, paper.updatedAt])!,
    categories: uniqueClean(paper.keywords),
    summary,
    contentHtml: withContent ? paperContentHtml(paper, abstractMarkdown, url) : '',
    image: safeHttpUrl(paper.thumbnail),
  };
}

/**
 * A digest entry's id: a tag: URI (RFC 4151) naming the list day, so it can never
 * collide with a paper entry's URL id and does not change when the day's list grows.
 */
export function digestEntryId(site: FeedSite, day: string): string {
  const host = new URL(site.site).hostname;
  return `tag:${host},${day}:${normalizeBase(site.base)}daily/${day}`;
}

/** `listed`: how many papers the day's list had, when `listDay` holds only those a feed filter kept. */
export function digestEntry(site: FeedSite, listDay: ListDay, listed = listDay.papers.length): FeedEntry {
  const { day, papers } = listDay;
  const url = dayUrl(site, day);
  const published = dayStart(day);
  const items = papers
    .map((p) => {
      const withdrawn = withdrawnPhrase(p);
      return `<li>${link(paperUrl(site, p), collapseWhitespace(p.title))} (${plural(p.upvotes, 'upvote')}${withdrawn ? `; ${escapeHtml(withdrawn)}` : ''})</li>`;
    })
    .join('\n');
  const top = papers[0];
  const count = plural(papers.length, 'paper');
  // With a feed filter: "12 of the 30 papers".
  const selected = listed > papers.length ? `${papers.length} of the ${plural(listed, 'paper')}` : count;
  const status = listStatus(listDay.record);
  return {
    id: digestEntryId(site, day),
    idIsPermalink: false,
    title: `Hugging Face Daily Papers, ${formatListDay(day)} (${count})`,
    url,
    externalUrl: undefined,
    authors: [],
    published,
    updated: latestIso([published, listDay.record?.updatedAt, ...papers.map((p) => p.updatedAt)])!,
    categories: [],
    summary: top
      ? `${selected} listed on ${formatListDay(day)}. Most upvoted: ${collapseWhitespace(top.title)} (${plural(top.upvotes, 'upvote')}).`
      : `No papers listed on ${formatListDay(day)}.`,
    contentHtml:
      `<p>${escapeHtml(selected)} listed on Hugging Face Daily Papers on ${escapeHtml(formatListDay(day))}` +
      `${listed > papers.length ? " (this site's selection)" : ''}, most upvoted first.</p>\n` +
      `<ol>\n${items}\n</ol>\n` +
      (status ? `<p>${escapeHtml(status)}</p>\n` : '') +
      `<p>${link(url, 'This day in the archive')}</p>`,
    image: undefined,
  };
}

function feedDocument(site: FeedSite, kind: FeedKind, entries: FeedEntry[], archive: Archive, filter: FeedFilter): FeedDocument {
  const url = (path: string) => absoluteUrl(site.site, site.base, path);
  const recordUpdates = [...archive.records.values()].map((r) => r.updatedAt);
  const selection = describeFeedFilter(filter);
  const description =
    kind === 'papers'
      ? `${site.description} One item per paper, most recent list days first.`
      : `${site.description} One item per list day with all of its papers.`;
  return {
    kind,
    title: feedTitle(site.title, kind),
    description: selection ? `${description} ${selection}` : description,
    language: site.language,
    homeUrl: url(routes.home()),
    feedUrls: {
      rss: url(findFeed(kind, 'rss').path),
      atom: url(findFeed(kind, 'atom').path),
      json: url(findFeed(kind, 'json').path),
    },
    iconUrl: url(FEED_ICON_PATH),
    imageUrl: url(FEED_IMAGE_PATH),
    stylesheetHref: normalizeBase(site.base) + FEED_STYLESHEET_PATH,
    publisher: site.title,
    // From the content only: the newest entry, or for an empty feed the newest day record.
    updated: latestIso(entries.map((e) => e.updated)) ?? latestIso(recordUpdates),
    entries,
  };
}

/**
 * Paper feeds: the papers of the `days` most recent list days, newest day first, by upvotes within a day;
 * of those, the ones `filter` (siteConfig.feedFilter) keeps.
 */
export function buildPaperFeed(site: FeedSite, archive: Archive, days: number, abstractOf: AbstractSource, filter: FeedFilter = NO_FILTER): FeedDocument {
  const entries = archive.days
    .slice(0, Math.max(0, days))
    .flatMap((listDay) => filterPapers(listDay.papers, filter).map((paper) => paperEntry(site, paper, abstractOf(paper))));
  return feedDocument(site, 'papers', entries, archive, filter);
}

/** Digest feeds: one entry per list day of the `days` most recent, newest first, listing the papers `filter` keeps (a day with none has no entry). */
export function buildDigestFeed(site: FeedSite, archive: Archive, days: number, filter: FeedFilter = NO_FILTER): FeedDocument {
  const entries = archive.days.slice(0, Math.max(0, days)).flatMap((listDay) => {
    const papers = filterPapers(listDay.papers, filter);
    return papers.length ? [digestEntry(site, { ...listDay, papers }, listDay.papers.length)] : [];
  });
  return feedDocument(site, 'digest', entries, archive, filter);
}
