/**
 * OPML 2.0 subscription list of every feed (http://opml.org/spec2.opml):
 * readers import it to subscribe in one step. No dateCreated: the file would
 * change on every build for nothing.
 */
import { FEEDS, feedLinkTitle, feedUrl } from './catalog.ts';
import type { FeedSite } from './entries.ts';
import { absoluteUrl, routes } from '../urls.ts';
import { xmlElement } from './xml.ts';

export function renderOpml(site: FeedSite): string {
  const home = absoluteUrl(site.site, site.base, routes.home());
  const outlines = FEEDS.map((feed) => {
    const title = feedLinkTitle(site.title, feed);
    // OPML 2.0: type="rss" marks a feed subscription whatever its format; `version` names it.
    const version = feed.format === 'rss' ? 'RSS2' : feed.format === 'atom' ? 'Atom' : 'JSONFeed';
    return `    ${xmlElement('outline', { type: 'rss', text: title, title, version, xmlUrl: feedUrl(site.site, site.base, feed), htmlUrl: home })}`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    ${xmlElement('title', {}, `${site.title} feeds`)}`,
    `    ${xmlElement('docs', {}, 'http://opml.org/spec2.opml')}`,
    '  </head>',
    '  <body>',
    ...outlines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
