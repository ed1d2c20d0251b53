/**
 * The feeds Paperboy publishes, in one list: endpoints, autodiscovery tags,
 * the /feeds/ page and the OPML file all read it, so they cannot disagree.
 */
import { absoluteUrl } from '../urls.ts';

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

/** Site-relative path of the OPML file listing every feed. */
export const OPML_PATH = 'feeds.opml';
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
export function feedLinkTitle(siteTitle: string, feed: FeedDescriptor): string {
  return `${siteTitle}: ${feed.label}`;
}

export function feedUrl(site: string, base: string, feed: FeedDescriptor): string {
  return absoluteUrl(site, base, feed.path);
}
