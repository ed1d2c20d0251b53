/** Text clean-up shared by the ingest, the site and the feeds. */

/**
 * Characters that are not allowed in XML 1.0 (C0 controls other than tab,
 * newline and carriage return, lone surrogates, U+FFFE/U+FFFF). They are
 * never useful in paper metadata and break feeds, so every string from the
 * API loses them on the way in, and every feed strips them again on the way out.
 */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(XML_INVALID, '');
}

/** Collapse every run of whitespace (arXiv hard wraps included) to one space. */
export function collapseWhitespace(text: string): string {
  return stripInvalidXmlChars(text).replace(/\s+/g, ' ').trim();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A URL from the data is used only when it is absolute http(s). */
export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
