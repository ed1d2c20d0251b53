/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1). JSON.stringify escapes
 * whatever JSON needs; XML-invalid characters are stripped anyway so the same
 * text reads the same in every format.
 */
import { stripInvalidXmlChars } from '../render/text.ts';
import type { FeedDocument, FeedEntry } from './entries.ts';
import { rfc3339 } from './xml.ts';

function jsonItem(entry: FeedEntry, language: string): Record<string, unknown> {
  return {
    id: entry.id,
    url: entry.url,
    ...(entry.externalUrl ? { external_url: entry.externalUrl } : {}),
    title: entry.title,
    content_html: entry.contentHtml,
    summary: entry.summary,
    ...(entry.image ? { image: entry.image } : {}),
    date_published: rfc3339(entry.published),
    date_modified: rfc3339(entry.updated),
    ...(entry.authors.length ? { authors: entry.authors.map((name) => ({ name })) } : {}),
    ...(entry.categories.length ? { tags: entry.categories } : {}),
    language,
  };
}

export function renderJsonFeed(doc: FeedDocument): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: doc.title,
    home_page_url: doc.homeUrl,
    feed_url: doc.feedUrls.json,
    description: doc.description,
    icon: doc.iconUrl,
    favicon: doc.imageUrl,
    authors: [{ name: doc.publisher, url: doc.homeUrl }],
    language: doc.language,
    items: doc.entries.map((entry) => jsonItem(entry, doc.language)),
  };
  // Strip before serialising: JSON.stringify would turn a control character into a `\u0007` escape.
  const json = JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? stripInvalidXmlChars(value) : value), 2);
  return `${json}\n`;
}
