/**
 * Titles and abstracts to HTML (site and feeds) and to plain text (meta
 * descriptions). Pure and cheap: it runs for every paper of every build.
 *
 * Titles are raw text with `$...$` math (split by `splitTex`). Abstract bodies
 * are the markdown written by `abstractToMarkdown` (src/ingest/normalize.ts):
 * text with CommonMark backslash escapes (`\<`, `\*`, `\$`...), occasionally
 * a character reference, and `$...$` math spans (remark-math's code-span-like
 * syntax). Instead of running remark over 50,000 abstracts per build, a small
 * parser reads exactly that subset; everything else is literal text, which is
 * what remark renders for it too, since remark escaped whatever it would have
 * interpreted. All text is HTML-escaped; math is rendered by KaTeX only where
 * there is math, and a formula KaTeX rejects is shown as its escaped source.
 *
 * Modes: 'katex' KaTeX HTML (plus hidden MathML for screen readers) for the site (needs katex.css), 'feed' math
 * that reads once in every feed reader (src/render/feed-math.ts: MathML without the TeX annotation, or a text
 * form where MathML would read wrong as text), 'text' TeX source kept as text, between its `$` delimiters.
 */
import katex from 'katex';
import { feedMath } from './feed-math.ts';
import { splitTex, type TexSegment } from './tex.ts';
import { escapeHtml } from './text.ts';

export type MathMode = 'katex' | 'feed' | 'text';

/** Per-formula cache: the same formula (and a title on many pages) is rendered once per build. */
const mathCache = new Map<string, string>();
const MATH_CACHE_LIMIT = 5000;

/** A formula as source text, `$...$` (or `$$...$$` for display math). */
function texSource(tex: string, display: boolean): string {
  const delim = display ? '$$' : '$';
  return delim + tex + delim;
}

/** One formula in the given mode; never throws (a formula KaTeX rejects shows its source in <code>). */
export function renderMath(tex: string, display: boolean, mode: MathMode): string {
  if (mode === 'text') return escapeHtml(texSource(tex, display));
  const key = `${mode}${display ? 'D' : 'i'}${tex}`;
  const cached = mathCache.get(key);
  if (cached !== undefined) return cached;
  let html: string;
  try {
    html = katex.renderToString(tex, {
      displayMode: display,
      // The site keeps KaTeX's MathML next to the HTML: with 'html' alone the formula is aria-hidden and screen readers get nothing.
      output: mode === 'feed' ? 'mathml' : 'htmlAndMathml',
      throwOnError: true,
      strict: 'ignore',
      trust: false,
      maxSize: 20,
      maxExpand: 200,
    });
    if (mode === 'feed') html = feedMath(html, tex, display) ?? `<code class="tex">${escapeHtml(texSource(tex, display))}</code>`;
  } catch {
    html = `<code class="tex">${escapeHtml(texSource(tex, display))}</code>`;
  }
  if (mathCache.size >= MATH_CACHE_LIMIT) mathCache.clear();
  mathCache.set(key, html);
  return html;
}

function renderSegments(segments: readonly TexSegment[], mode: MathMode, inlineOnly = false): string {
  let html = '';
  for (const seg of segments) {
    if (seg.kind === 'text') html += escapeHtml(seg.value);
    else if (mode === 'text') html += renderMath(seg.value, seg.display, mode);
    else html += renderMath(seg.value, seg.display && !inlineOnly, mode);
  }
  return html;
}

/** A title (raw text with `$...$` math) as inline HTML; `$$...$$` is typeset inline too (it sits in a heading). */
export function renderTexInline(text: string, mode: MathMode): string {
  if (!text.includes('$')) return escapeHtml(text);
  return renderSegments(splitTex(text), mode, true);
}

// ------------------------------------------------------------ abstract markdown

/** ASCII punctuation: the characters a CommonMark backslash escapes. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const NAMED_REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/** Backslash escapes and character references, for the common path without math. */
const ESCAPE_OR_REFERENCE = /\\([!-/:-@[-`{-~])|&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

function codePointText(code: number): string | undefined {
  // CommonMark: invalid code points become U+FFFD.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

function decodeReference(match: string, hex?: string, dec?: string, name?: string): string {
  if (hex !== undefined) return codePointText(parseInt(hex, 16))!;
  if (dec !== undefined) return codePointText(parseInt(dec, 10))!;
  return (name !== undefined && NAMED_REFERENCES[name]) || match;
}

/** Markdown text (no math) to the literal text it stands for. */
function decodeText(markdown: string): string {
  if (!markdown.includes('\\') && !markdown.includes('&')) return markdown;
  return markdown.replace(ESCAPE_OR_REFERENCE, (match, escaped, hex, dec, name) =>
    escaped !== undefined ? escaped : decodeReference(match, hex, dec, name),
  );
}

/**
 * The abstract markdown as text and math segments. Math spans follow
 * remark-math: a run of N dollars opens, the next run of exactly N dollars
 * closes, the content is literal (no escapes), one padding space each side is
 * dropped; a run without a closing run is text. `\$` is a literal dollar.
 */
export function parseAbstract(markdown: string): TexSegment[] {
  if (!markdown.includes('$')) return markdown ? [{ kind: 'text', value: decodeText(markdown) }] : [];
  const segments: TexSegment[] = [];
  let textStart = 0;
  let rawText = '';
  let i = 0;
  const pushText = (end: number) => {
    rawText += markdown.slice(textStart, end);
  };
  const flushText = () => {
    if (rawText) segments.push({ kind: 'text', value: decodeText(rawText) });
    rawText = '';
  };
  while (i < markdown.length) {
    const ch = markdown[i];
    if (ch === '\\' && i + 1 < markdown.length && ASCII_PUNCTUATION.test(markdown[i + 1]!)) {
      i += 2; // an escaped character stays in the text run; decodeText resolves it
      continue;
    }
    if (ch !== '$') {
      i++;
      continue;
    }
    let runEnd = i;
    while (markdown[runEnd] === '$') runEnd++;
    const size = runEnd - i;
    const close = findClosingRun(markdown, runEnd, size);
    if (close < 0) {
      i = runEnd; // no closing run: the dollars are text
      continue;
    }
    pushText(i);
    flushText();
    let value = markdown.slice(runEnd, close);
    if (value.length > 2 && value.startsWith(' ') && value.endsWith(' ') && value.trim() !== '') {
      value = value.slice(1, -1);
    }
    // abstractToMarkdown writes every formula as inline math; `$$` only marks a value holding a `$`.
    segments.push({ kind: 'math', value, display: false });
    i = textStart = close + size;
  }
  pushText(markdown.length);
  flushText();
  return segments;
}

function findClosingRun(text: string, from: number, size: number): number {
  let i = text.indexOf('$', from);
  while (i >= 0) {
    let end = i;
    while (text[end] === '$') end++;
    if (end - i === size) return i;
    i = text.indexOf('$', end);
  }
  return -1;
}

/** The abstract body (markdown from abstractToMarkdown) as one safe `<p>`; '' when empty. */
export function renderAbstractHtml(markdownBody: string, mode: MathMode): string {
  const body = markdownBody.trim();
  if (!body) return '';
  if (!body.includes('$')) return `<p>${escapeHtml(decodeText(body))}</p>`;
  return `<p>${renderSegments(parseAbstract(body), mode)}</p>`;
}

// ------------------------------------------------------------------ plain text

/** The abstract as plain text, TeX source kept between `$`: for meta descriptions and search. */
export function abstractPlainText(markdownBody: string): string {
  let text = '';
  for (const seg of parseAbstract(markdownBody.trim())) {
    text += seg.kind === 'text' ? seg.value : texSource(seg.value, seg.display);
  }
  return text;
}

/**
 * Plain text shortened to at most `maxLength` UTF-16 code units at a word
 * boundary, with an ellipsis when cut (meta descriptions); never splits a
 * surrogate pair. Not HTML-escaped: Astro escapes attribute values.
 */
export function shortenText(text: string, maxLength: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= maxLength) return collapsed;
  let cut = collapsed.slice(0, Math.max(1, maxLength - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The start of an abstract as plain text (TeX kept between `$`), at most `maxLength` characters: what list
 * pages show of it. Render it with renderTexInline.
 */
export function abstractExcerpt(markdownBody: string, maxLength: number): string {
  return shortenText(abstractPlainText(markdownBody), maxLength);
}

/** Whether plain text with `$...$` (a title, an excerpt) holds math that KaTeX will typeset. */
export function textHasMath(text: string): boolean {
  return text.includes('$') && splitTex(text).some((s) => s.kind === 'math');
}

/** Whether a paper's title or abstract holds math that KaTeX will typeset (the page then links katex.css). */
export function paperHasMath(title: string, abstractMarkdown: string): boolean {
  if (textHasMath(title)) return true;
  return abstractMarkdown.includes('$') && parseAbstract(abstractMarkdown).some((s) => s.kind === 'math');
}
