/**
 * URL path segments made from data (keywords, organization names). A segment
 * holds only `[a-z0-9._-]`, never starts with a dot and never contains `..`,
 * so no value can escape its directory or clash on a case-insensitive file
 * system. When the readable ASCII form loses information (symbols, accents,
 * other scripts, truncation), a short hash of the original text is appended so
 * that distinct texts keep distinct segments.
 */

/** FNV-1a (32 bit) of the UTF-16 code units, as 8 hex digits: stable across builds and platforms. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Lower-case ASCII letters and digits separated by single hyphens (accents folded, everything else a separator). */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** True for a segment that is safe as one directory name in a URL and on disk. */
export function isSafeSegment(segment: string): boolean {
  return /^[a-z0-9][a-z0-9._-]*$/.test(segment) && !segment.includes('..') && segment.length <= 100;
}

/**
 * `readable` when it is a safe segment that stands for `text` exactly (`lossless`),
 * otherwise the readable part (shortened) plus `-` and a hash of `text`.
 */
export function segmentFor(text: string, readable: string, lossless: boolean, maxLength = 80): string {
  if (lossless && readable.length <= maxLength && isSafeSegment(readable)) return readable;
  const stem = asciiSlug(readable).slice(0, maxLength - 9).replace(/-+$/, '');
  return stem ? `${stem}-${shortHash(text)}` : `x-${shortHash(text)}`;
}

/**
 * Segments for many keys, unique: the rare hash collision gets `-2`, `-3`...
 * in sorted key order, so the result does not depend on input order.
 */
export function uniqueSegments(keys: Iterable<string>, segmentOf: (key: string) => string): Map<string, string> {
  const result = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of [...new Set(keys)].sort()) {
    const wanted = segmentOf(key);
    let segment = wanted;
    for (let n = 2; taken.has(segment); n++) segment = `${wanted}-${n}`;
    taken.add(segment);
    result.set(key, segment);
  }
  return result;
}
