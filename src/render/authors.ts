/** Author lists for display: long lists shortened with a count of the rest. */

export interface ShortAuthorList {
  /** Names to show, in order. */
  shown: string[];
  /** How many names were left out (0: the list is complete). */
  hidden: number;
}

/**
 * The first `max` authors; when more than `max` remain, the rest become a
 * count. A list only one longer than `max` is shown whole ("and 1 more" would
 * save nothing).
 */
export function shortenAuthors(authors: readonly string[], max: number): ShortAuthorList {
  const limit = Math.max(1, Math.floor(max));
  if (authors.length <= limit + 1) return { shown: [...authors], hidden: 0 };
  return { shown: authors.slice(0, limit), hidden: authors.length - limit };
}

/** One line of text: `A, B, C and 12 more` (text, not HTML: separators never depend on markup whitespace). */
export function formatAuthors(authors: readonly string[], max: number): string {
  const { shown, hidden } = shortenAuthors(authors, max);
  if (shown.length === 0) return '';
  return hidden > 0 ? `${shown.join(', ')} and ${hidden} more` : shown.join(', ');
}
