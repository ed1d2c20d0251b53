/**
 * Scoped feeds: only the best (a threshold on upvotes), papers with code, and
 * one organization's newest papers. Their entries are the main feeds' paper
 * entries (src/feeds/entries.ts): the same id (the paper page URL), the
 * list day as the date, the same text rules. So a paper is the same item in
 * every feed, and an item that enters a feed late (its upvotes crossed the
 * threshold, its repository appeared) keeps its id and its date.
 */
import type { Archive } from '../site/archive.ts';
import { githubRepoUrl } from '../render/paper-links.ts';
import type { OrgFeedModel } from '../site/page-models.ts';
import type { Paper } from '../archive/schema.ts';
import { collapseWhitespace } from '../render/text.ts';
import { absoluteUrl, normalizeBase, routes } from '../site/urls.ts';
import { FEED_ICON_PATH, FEED_IMAGE_PATH, FEED_STYLESHEET_PATH, type FeedFormat, type FeedKind, findMoreFeed } from './catalog.ts';
import { type AbstractSource, type FeedDocument, type FeedEntry, type FeedSite, paperEntry } from './entries.ts';
import { latestIso } from './xml.ts';

/** Atom needs a feed `updated` even when empty: fixed, so output stays byte-stable. */
const EMPTY_UPDATED = '1970-01-01T00:00:00.000Z';

/**
 * A feed document of entries made elsewhere, served at `paths` (one per format; an Atom-only feed gives its
 * Atom path for all three, as the serialisers read only their own format's URL).
 */
export function scopedFeedDocument(
  site: FeedSite,
  kind: FeedKind,
  paths: Record<FeedFormat, string>,
  title: string,
  description: string,
  entries: FeedEntry[],
): FeedDocument {
  const url = (p: string) => absoluteUrl(site.site, site.base, p);
  return {
    kind,
    title,
    description,
    language: site.language,
    homeUrl: url(routes.home()),
    feedUrls: { atom: url(paths.atom), rss: url(paths.rss), json: url(paths.json) },
    iconUrl: url(FEED_ICON_PATH),
    imageUrl: url(FEED_IMAGE_PATH),
    stylesheetHref: normalizeBase(site.base) + FEED_STYLESHEET_PATH,
    publisher: site.title,
    updated: latestIso(entries.map((e) => e.updated)) ?? EMPTY_UPDATED,
    entries,
  };
}

export const atomOnly = (path: string): Record<FeedFormat, string> => ({ atom: path, rss: path, json: path });

/** The papers of the `days` most recent list days that `keep` accepts: newest day first, by upvotes within a day. */
function recentPapers(archive: Archive, days: number, keep: (paper: Paper) => boolean): Paper[] {
  return archive.days.slice(0, Math.max(0, days)).flatMap((listDay) => listDay.papers.filter(keep));
}

/** Only the best: the papers of the `days` most recent list days with at least `minUpvotes` upvotes. */
export function topPapers(archive: Archive, days: number, minUpvotes: number): Paper[] {
  return recentPapers(archive, days, (paper) => paper.upvotes >= minUpvotes);
}

export function buildTopFeed(site: FeedSite, archive: Archive, days: number, minUpvotes: number, abstractOf: AbstractSource): FeedDocument {
  const entries = topPapers(archive, days, minUpvotes).map((paper) => paperEntry(site, paper, abstractOf(paper)));
  const paths = { rss: findMoreFeed('top', 'rss').path, atom: findMoreFeed('top', 'atom').path, json: findMoreFeed('top', 'json').path };
  return scopedFeedDocument(
    site,
    'papers',
    paths,
    `${site.title}: Hugging Face Daily Papers, only the best (${minUpvotes}+ upvotes)`,
    `Papers of the ${days} most recent list days of the Hugging Face Daily Papers with at least ${minUpvotes} upvotes. ` +
      `Upvotes keep rising for days: a paper appears once it crosses that line, dated by the day it was listed.`,
    entries,
  );
}

/** Papers with code of the `days` most recent list days, newest day first (full entries, like the main feeds). */
export function buildCodeFeed(site: FeedSite, archive: Archive, days: number, abstractOf: AbstractSource): FeedDocument {
  const entries = recentPapers(archive, days, (paper) => githubRepoUrl(paper) !== undefined).map((paper) =>
    paperEntry(site, paper, abstractOf(paper)),
  );
  return scopedFeedDocument(
    site,
    'papers',
    atomOnly(routes.codeFeed()),
    `${site.title}: Hugging Face Daily Papers with code`,
    `Papers of the ${days} most recent list days of the Hugging Face Daily Papers that link a code repository. ` +
      `A repository often appears days after the paper: the paper then joins this feed, dated by the day it was listed.`,
    entries,
  );
}

/** An organization's newest papers, one summary-only entry each (like the topic feeds: there can be thousands). */
export function buildOrgFeed(site: FeedSite, { org, abstracts }: OrgFeedModel): FeedDocument {
  const name = collapseWhitespace(org.fullname);
  const entries = org.papers.map((p, i) => paperEntry(site, p, abstracts[i] ?? '', false));
  return scopedFeedDocument(
    site,
    'papers',
    atomOnly(routes.orgFeed(org.slug)),
    `${site.title}: ${name}`,
    `Papers on the Hugging Face Daily Papers list submitted under the organization ${name} (${collapseWhitespace(org.name)}), newest first.`,
    entries,
  );
}
