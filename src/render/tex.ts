/**
 * Splitting raw arXiv text into plain text and `$...$` / `$$...$$` math, with
 * pandoc's rules so that prices ("$5 and $10") stay text: an opening `$` is
 * followed by a non-space, a closing `$` is preceded by a non-space and not
 * followed by a digit, and `\$` is a literal dollar. Shared by the ingest
 * (markdown) and the site and feeds (rendering).
 */

export type TexSegment =
  | { kind: 'text'; value: string }
  | { kind: 'math'; value: string; display: boolean };

function isSpace(ch: string | undefined): boolean {
  return ch === undefined || /\s/.test(ch);
}

function findClosing(text: string, from: number, delim: string): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++; // skip the escaped character (e.g. \$ inside math)
      continue;
    }
    if (text.startsWith(delim, i)) {
      if (delim === '$') {
        if (isSpace(text[i - 1]) || /\d/.test(text[i + 1] ?? '')) continue;
      }
      return i;
    }
  }
  return -1;
}

export function splitTex(text: string): TexSegment[] {
  const segments: TexSegment[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) segments.push({ kind: 'text', value: buffer });
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '$') {
      buffer += '$';
      i += 2;
      continue;
    }
    if (ch === '$') {
      const display = text[i + 1] === '$';
      const delim = display ? '$$' : '$';
      const start = i + delim.length;
      if (!isSpace(text[start])) {
        const end = findClosing(text, start, delim);
        if (end > start) {
          flush();
          segments.push({ kind: 'math', value: text.slice(start, end), display });
          i = end + delim.length;
          continue;
        }
      }
      buffer += delim;
      i += delim.length;
      continue;
    }
    buffer += ch;
    i++;
  }
  flush();
  return segments;
}

export function hasTex(text: string): boolean {
  return text.includes('$') && splitTex(text).some((s) => s.kind === 'math');
}
