/**
 * The feeds Paperboy publishes, in one list: endpoints, autodiscovery tags,
 * the /feeds/ page and the OPML file all read it, so they cannot disagree.
 */
import { absoluteUrl, routes } from '../site/urls.ts';

export type FeedFormat = 'rss' | 'atom' | 'json';
/** `papers`: one item per paper; `digest`: one item per list day. */
export type FeedKind = 'papers' | 'digest';

export interface FeedDescriptor {
  kind: FeedKind;
  format: FeedFormat;
  /** Site-relative path (no leading slash), e.g. `daily/atom.xml`. */
  path: string;
  /** IANA media type, used in `<link rel="alternate" type>` and Atom/RSS self links. */
  mediaType: string;
  /** Short human label, e.g. `Papers (RSS)`. */
  label: string;
}

export const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

export const MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

const FILE_NAMES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };
const KIND_PREFIX: Record<FeedKind, string> = { papers: '', digest: 'daily/' };
const KIND_LABELS: Record<FeedKind, string> = { papers: 'Papers', digest: 'Daily digest' };

/** Every feed, paper feeds first, RSS then Atom then JSON Feed. */
export const FEEDS: readonly FeedDescriptor[] = (['papers', 'digest'] as const).flatMap((kind) =>
  (['rss', 'atom', 'json'] as const).map((format) => ({
    kind,
    format,
    path: KIND_PREFIX[kind] + FILE_NAMES[format],
    mediaType: MEDIA_TYPES[format],
    label: `${KIND_LABELS[kind]} (${FORMAT_NAMES[format]})`,
  })),
);

export function findFeed(kind: FeedKind, format: FeedFormat): FeedDescriptor {
  const feed = FEEDS.find((f) => f.kind === kind && f.format === format);
  if (!feed) throw new Error(`no ${kind} feed in ${format}`);
  return feed;
}

/**
 * The other site-wide feeds (issue 14 adds top, monthly and code): listed in feeds.opml and on /feeds/, and
 * announced by the pages they belong to rather than by every page (each <link> would weigh on 50,000 pages).
 */
export type MoreFeedKind = 'top' | 'weekly' | 'monthly' | 'code';

export interface MoreFeedDescriptor extends Omit<FeedDescriptor, 'kind'> {
  kind: MoreFeedKind;
  /** Site-relative path of the page the feed follows (the OPML outline's htmlUrl). */
  pagePath: string;
}

const MORE_KINDS: { kind: MoreFeedKind; label: string; formats: Record<FeedFormat, string | undefined>; pagePath: string }[] = [
  { kind: 'top', label: 'Only the best', formats: { rss: 'top/rss.xml', atom: 'top/atom.xml', json: 'top/feed.json' }, pagePath: routes.home() },
  { kind: 'weekly', label: 'Weekly bests', formats: { rss: undefined, atom: routes.weeklyFeed(), json: undefined }, pagePath: routes.weeks() },
  { kind: 'monthly', label: 'Monthly bests', formats: { rss: undefined, atom: routes.monthlyFeed(), json: undefined }, pagePath: routes.archive() },
  { kind: 'code', label: 'Papers with code', formats: { rss: undefined, atom: routes.codeFeed(), json: undefined }, pagePath: routes.code() },
];

/** The other site-wide feeds, in the order of MORE_KINDS, RSS then Atom then JSON Feed. */
export const MORE_FEEDS: readonly MoreFeedDescriptor[] = MORE_KINDS.flatMap(({ kind, label, formats, pagePath }) =>
  (['rss', 'atom', 'json'] as const).flatMap((format) => {
    const path = formats[format];
    return path === undefined ? [] : [{ kind, format, path, mediaType: MEDIA_TYPES[format], label: `${label} (${FORMAT_NAMES[format]})`, pagePath }];
  }),
);

/** Every site-wide feed: what feeds.opml lists. */
export const SITE_FEEDS: readonly (FeedDescriptor | MoreFeedDescriptor)[] = [...FEEDS, ...MORE_FEEDS];

export function findMoreFeed(kind: MoreFeedKind, format: FeedFormat): MoreFeedDescriptor {
  const feed = MORE_FEEDS.find((f) => f.kind === kind && f.format === format);
  if (!feed) throw new Error(`no ${kind} feed in ${format}`);
  return feed;
}

/** Site-relative path of the OPML file listing every site-wide feed. */
export const OPML_PATH = 'feeds.opml';
/** OPML files listing every topic feed and every organization feed. */
export const TOPICS_OPML_PATH = 'topics.opml';
export const ORGS_OPML_PATH = 'orgs.opml';
/**
 * Site-relative path of the CSS that shows RSS and Atom as a readable page in a browser. CSS, not XSLT:
 * Chrome 155 switched XSLT off (Chromium 156 shows a removal banner over a feed that uses it), and
 * Firefox and WebKit announced the same; a CSS stylesheet instruction works in every engine without script.
 */
export const FEED_STYLESHEET_PATH = 'feed.css';
/** Feed icons (square PNG; RSS <image> allows at most 144 px wide). */
export const FEED_ICON_PATH = 'feed-icon-512.png';
export const FEED_IMAGE_PATH = 'feed-icon-144.png';

/** Feed title as shown in readers, e.g. `Paperboy: Hugging Face Daily Papers`. */
export function feedTitle(siteTitle: string, kind: FeedKind): string {
  return kind === 'papers' ? `${siteTitle}: Hugging Face Daily Papers` : `${siteTitle}: Hugging Face Daily Papers, daily digest`;
}

/** Title of an autodiscovery link or OPML outline, e.g. `Paperboy: Papers (Atom)`. */
export function feedLinkTitle(siteTitle: string, feed: Pick<FeedDescriptor, 'label'>): string {
  return `${siteTitle}: ${feed.label}`;
}

export function feedUrl(site: string, base: string, feed: Pick<FeedDescriptor, 'path'>): string {
  return absoluteUrl(site, base, feed.path);
}
