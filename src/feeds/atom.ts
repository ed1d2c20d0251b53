/**
 * Atom 1.0 (RFC 4287), written directly: the feed and every entry carry id,
 * title, updated and a rel="alternate" link; the feed has an author, so
 * entries without authors (digests) inherit it. Content is `type="html"`
 * (escaped HTML), summaries are plain text; a summary-only entry (empty
 * contentHtml, the topic feeds) has no content element.
 */
import { EMPTY_FEED_UPDATED, type FeedDocument, type FeedEntry } from './entries.ts';
import { rfc3339, xmlElement, xmlStylesheetInstruction } from './xml.ts';

function atomEntry(entry: FeedEntry): string {
  const lines = [
    '<entry>',
    xmlElement('id', {}, entry.id),
    xmlElement('title', { type: 'text' }, entry.title),
    xmlElement('link', { rel: 'alternate', type: 'text/html', href: entry.url }),
    entry.externalUrl ? xmlElement('link', { rel: 'related', type: 'text/html', href: entry.externalUrl }) : '',
    xmlElement('published', {}, rfc3339(entry.published)),
    xmlElement('updated', {}, rfc3339(entry.updated)),
    ...entry.authors.map((name) => `<author>${xmlElement('name', {}, name)}</author>`),
    ...entry.categories.map((term) => xmlElement('category', { term })),
    xmlElement('summary', { type: 'text' }, entry.summary),
    entry.contentHtml ? xmlElement('content', { type: 'html' }, entry.contentHtml) : '',
    '</entry>',
  ];
  return lines.filter(Boolean).join('\n');
}

export function renderAtom(doc: FeedDocument): string {
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    xmlStylesheetInstruction(doc.stylesheetHref),
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${doc.language.replace(/[^A-Za-z0-9-]/g, '')}">`,
    xmlElement('id', {}, doc.feedUrls.atom),
    xmlElement('title', { type: 'text' }, doc.title),
    xmlElement('subtitle', { type: 'text' }, doc.description),
    xmlElement('updated', {}, rfc3339(doc.updated ?? EMPTY_FEED_UPDATED)),
    `<author>${xmlElement('name', {}, doc.publisher)}${xmlElement('uri', {}, doc.homeUrl)}</author>`,
    xmlElement('link', { rel: 'self', type: 'application/atom+xml', href: doc.feedUrls.atom }),
    xmlElement('link', { rel: 'alternate', type: 'text/html', href: doc.homeUrl }),
    // No <logo>: RFC 4287 wants it twice as wide as tall; the icon is square.
    xmlElement('icon', {}, doc.iconUrl),
  ];
  return [...head, ...doc.entries.map(atomEntry), '</feed>', ''].join('\n');
}
