/**
 * RSS 2.0 through @astrojs/rss. Two of its behaviours are worked around here:
 * - item links: it resolves a relative link with `new URL(link, site)`, which
 *   drops the base path, so every link passed in is already absolute;
 * - `customData`: it re-parses the XML with fast-xml-parser, which turns
 *   number-like text into numbers (an author named `007` would become `7`). So
 *   data-bearing custom elements (dc:creator, the image title) are written as
 *   placeholder tokens and replaced with the escaped text afterwards.
 * It also passes XML-invalid characters through: every string is stripped first.
 */
import { getRssString, type RSSFeedItem, type RSSOptions } from '@astrojs/rss';
import { escapeHtml, stripInvalidXmlChars } from '../render/text.ts';
import type { FeedDocument, FeedEntry } from './entries.ts';
import { rfc822, xmlElement, xmlStylesheetInstruction } from './xml.ts';

const NAMESPACES = { atom: 'http://www.w3.org/2005/Atom', dc: 'http://purl.org/dc/elements/1.1/' };

/**
 * Text values kept out of @astrojs/rss's re-parsing: each is written as a token
 * and swapped back in one pass over the output. A token holds double spaces,
 * which no text passed straight to @astrojs/rss can (titles are whitespace-
 * collapsed), and data text is escaped, so `<tag>token</tag>` only ever comes
 * from here.
 */
class TextSlots {
  private readonly texts: string[] = [];

  element(tag: string, text: string): string {
    this.texts.push(text);
    return `<${tag}>${SLOT_PREFIX}${this.texts.length - 1}</${tag}>`;
  }

  fill(xml: string): string {
    let filled = 0;
    const out = xml.replace(SLOT_PATTERN, (_match, tag: string, index: string) => {
      filled++;
      return xmlElement(tag, {}, this.texts[Number(index)]!);
    });
    if (filled !== this.texts.length) throw new Error(`RSS: ${this.texts.length - filled} text placeholders were not written`);
    return out;
  }
}

const SLOT_PREFIX = 'paperboy  text  slot  ';
const SLOT_PATTERN = /<(dc:creator|title)>paperboy {2}text {2}slot {2}(\d+)<\/\1>/g;

const clean = stripInvalidXmlChars;

function rssItem(entry: FeedEntry, slots: TextSlots): RSSFeedItem {
  const custom: string[] = [];
  if (!entry.idIsPermalink) custom.push(xmlElement('guid', { isPermaLink: 'false' }, entry.id));
  // One dc:creator with every name: readers such as newsboat keep only the last of repeated ones.
  if (entry.authors.length) custom.push(slots.element('dc:creator', entry.authors.join(', ')));
  return {
    title: clean(entry.title),
    link: entry.url,
    // RSS readers treat description as HTML: escape the plain-text summary so it stays text. Only the markup
    // characters: a browser shows the feed's own text (feed.css), where `&#39;` for every apostrophe would show.
    description: clean(escapeMarkup(entry.summary)),
    pubDate: new Date(entry.published),
    content: clean(entry.contentHtml),
    categories: entry.categories.map(clean),
    customData: custom.join(''),
  };
}

function rssOptions(doc: FeedDocument, slots: TextSlots): RSSOptions {
  const channel = [
    xmlElement('language', {}, doc.language),
    // From the content, never the clock; an empty archive has none.
    doc.updated ? xmlElement('lastBuildDate', {}, rfc822(doc.updated)) : '',
    xmlElement('atom:link', { href: doc.feedUrls.rss, rel: 'self', type: 'application/rss+xml' }),
    `<image>${xmlElement('url', {}, doc.imageUrl)}${slots.element('title', doc.title)}${xmlElement('link', {}, doc.homeUrl)}` +
      `<width>144</width><height>144</height></image>`,
  ];
  return {
    title: clean(doc.title),
    description: clean(doc.description),
    site: doc.homeUrl,
    xmlns: NAMESPACES,
    // Written by renderRss: @astrojs/rss gives a stylesheet that is not .xsl no `type`, which the PI requires.
    stylesheet: false,
    customData: channel.join(''),
    items: doc.entries.map((entry) => rssItem(entry, slots)),
  };
}

const escapeMarkup = (text: string) => text.replace(/[&<>]/g, (c) => escapeHtml(c));

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The RSS 2.0 document as a string. */
export async function renderRss(doc: FeedDocument): Promise<string> {
  const slots = new TextSlots();
  const xml = slots.fill(await getRssString(rssOptions(doc, slots)));
  if (!xml.startsWith(XML_DECLARATION)) throw new Error('RSS: @astrojs/rss wrote no XML declaration');
  return `${XML_DECLARATION}\n${xmlStylesheetInstruction(doc.stylesheetHref)}${xml.slice(XML_DECLARATION.length)}`;
}
