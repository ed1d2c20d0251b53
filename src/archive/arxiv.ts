/**
 * arXiv identifiers: validation, the file name a paper is stored under, and
 * the public links built from an id. Every id that reaches the file system or
 * a URL passes `isArxivId` first.
 */

/** New style (2007+): `2401.12345`, optionally versioned `2401.12345v2`. */
const NEW_STYLE = /^\d{4}\.\d{4,5}(?:v\d+)?$/;
/** Old style (before 2007): `hep-th/9901001`, `math.CA/0611800v2`. */
const OLD_STYLE = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?$/;

export function isArxivId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && (NEW_STYLE.test(value) || OLD_STYLE.test(value));
}

export class InvalidArxivIdError extends Error {
  readonly id: unknown;
  constructor(id: unknown) {
    super(`not a valid arXiv id: ${JSON.stringify(String(id)).slice(0, 80)}`);
    this.name = 'InvalidArxivIdError';
    this.id = id;
  }
}

export function assertArxivId(value: unknown): string {
  if (!isArxivId(value)) throw new InvalidArxivIdError(value);
  return value;
}

/**
 * The base name (no extension) a paper is stored under. Old-style ids hold a
 * slash, which must never become a path separator: it is written as `_`,
 * a character no arXiv id contains, so the mapping is reversible.
 */
export function idToFileStem(id: string): string {
  return assertArxivId(id).replace('/', '_');
}

export function fileStemToId(stem: string): string | undefined {
  const id = stem.replace('_', '/');
  return isArxivId(id) ? id : undefined;
}

/** URL path segment for a paper page: the same reversible form as files. */
export const idToSlug = idToFileStem;

export function huggingFaceUrl(id: string): string {
  return `https://huggingface.co/papers/${assertArxivId(id)}`;
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${assertArxivId(id)}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${assertArxivId(id)}`;
}
