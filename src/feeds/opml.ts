/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml): readers import one
 * to subscribe to a whole set in one step. feeds.opml holds every site-wide
 * feed, topics.opml every topic feed, orgs.opml every organization feed. No
 * dateCreated: the file would change on every build for nothing.
 */
import { collapseWhitespace } from '../render/text.ts';
import { absoluteUrl, routes } from '../site/urls.ts';
import { type FeedFormat, SITE_FEEDS, feedLinkTitle, feedUrl } from './catalog.ts';
import type { FeedSite } from './entries.ts';
import { xmlElement } from './xml.ts';

export interface OpmlOutline {
  /** What the reader names the subscription. */
  title: string;
  format: FeedFormat;
  /** Absolute feed URL. */
  xmlUrl: string;
  /** Absolute URL of the page the feed follows. */
  htmlUrl: string;
}

// OPML 2.0: type="rss" marks a feed subscription whatever its format; `version` names it.
const VERSIONS: Record<FeedFormat, string> = { rss: 'RSS2', atom: 'Atom', json: 'JSONFeed' };

export function renderOutlines(title: string, outlines: readonly OpmlOutline[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    ${xmlElement('title', {}, title)}`,
    `    ${xmlElement('docs', {}, 'http://opml.org/spec2.opml')}`,
    '  </head>',
    '  <body>',
    ...outlines.map(
      (o) => `    ${xmlElement('outline', { type: 'rss', text: o.title, title: o.title, version: VERSIONS[o.format], xmlUrl: o.xmlUrl, htmlUrl: o.htmlUrl })}`,
    ),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

/** feeds.opml: every site-wide feed (papers, digest, top, weekly, monthly, code). */
export function renderOpml(site: FeedSite): string {
  const home = routes.home();
  return renderOutlines(
    `${site.title} feeds`,
    SITE_FEEDS.map((feed) => ({
      title: feedLinkTitle(site.title, feed),
      format: feed.format,
      xmlUrl: feedUrl(site.site, site.base, feed),
      htmlUrl: absoluteUrl(site.site, site.base, 'pagePath' in feed ? feed.pagePath : home),
    })),
  );
}

/** topics.opml: the Atom feed of every topic page, in the order of the topics index (most papers first). */
export function renderTopicsOpml(site: FeedSite, topics: readonly { slug: string; name: string }[]): string {
  const abs = (path: string) => absoluteUrl(site.site, site.base, path);
  return renderOutlines(
    `${site.title} topic feeds`,
    topics.map((t) => ({ title: `${site.title}: ${collapseWhitespace(t.name)}`, format: 'atom', xmlUrl: abs(routes.topicFeed(t.slug)), htmlUrl: abs(routes.topic(t.slug)) })),
  );
}

/** orgs.opml: the Atom feed of every organization page, in the order of the organizations index. */
export function renderOrgsOpml(site: FeedSite, orgs: readonly { slug: string; fullname: string }[]): string {
  const abs = (path: string) => absoluteUrl(site.site, site.base, path);
  return renderOutlines(
    `${site.title} organization feeds`,
    orgs.map((o) => ({ title: `${site.title}: ${collapseWhitespace(o.fullname)}`, format: 'atom', xmlUrl: abs(routes.orgFeed(o.slug)), htmlUrl: abs(routes.org(o.slug)) })),
  );
}
