/**
 * XML text and date helpers for the feed serialisers. Every string written
 * into a feed goes through `xmlEscape`, which first drops characters XML 1.0
 * forbids (the data may hold control characters) and then escapes the five
 * markup characters, so `]]>`, `&`, `<` and quotes can never end a construct.
 */
import { stripInvalidXmlChars } from '../render/text.ts';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text for XML element content or a quoted attribute value. */
export function xmlEscape(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** `<name attr="...">text</name>`; attributes with an undefined value are left out. */
export function xmlElement(name: string, attributes: Record<string, string | undefined>, text?: string): string {
  let open = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) open += ` ${key}="${xmlEscape(value)}"`;
  }
  return text === undefined ? `${open}/>` : `${open}>${xmlEscape(text)}</${name}>`;
}

/** The processing instruction that lets a browser show a feed as a page with CSS (ignored by readers). */
export function xmlStylesheetInstruction(href: string): string {
  return `<?xml-stylesheet type="text/css" href="${xmlEscape(href)}"?>`;
}

/** RFC 822 date-time as RSS 2.0 wants it, in GMT: `Wed, 03 Jan 2024 00:00:00 GMT`. */
export function rfc822(iso: string): string {
  return toDate(iso).toUTCString();
}

/** RFC 3339 date-time in UTC (Atom, JSON Feed): `2024-01-03T00:00:00Z`. */
export function rfc3339(iso: string): string {
  return toDate(iso).toISOString().replace(/\.000Z$/, 'Z');
}

function toDate(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${iso}`);
  return date;
}

/** The later of ISO date-times (compared as instants); undefined for none. */
export function latestIso(values: Iterable<string | undefined>): string | undefined {
  let best: string | undefined;
  let bestTime = -Infinity;
  for (const value of values) {
    if (value === undefined) continue;
    const time = Date.parse(value);
    if (time > bestTime) {
      best = value;
      bestTime = time;
    }
  }
  return best;
}
