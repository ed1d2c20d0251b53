/**
 * Pages of a list that grows at its newest end (a topic's or an
 * organization's papers), numbered so that adding items does not move the
 * old ones to other pages: the list's own page shows the newest `size` items,
 * and the archive pages behind it hold the rest counted from the oldest, page
 * 1 the oldest `size` items, page 2 the next, and so on. Only full archive
 * pages exist (the newest items that do not fill one are on the list's own
 * page), so an archive page, once there, keeps its items, and changes only
 * when the page after it appears (its "newer" link) or one of its items does.
 * Numbering newest-first instead shifts every page by one item per new item:
 * a daily build re-rendered every page of every topic with a new paper.
 */

export interface ListPage<T> {
  /** 0 for the list's own page (the newest items), else the archive page's number (1: the oldest items). */
  number: number;
  /** This page's items, newest first. */
  items: T[];
  /** Positions of the first and the last item here, counted from the oldest (1-based); newest first, so from > to. */
  from: number;
  to: number;
  /** Archive pages: the next newer archive page, or 0 for the list's own page. */
  newer: number | undefined;
  /** The next older archive page, if any. */
  older: number | undefined;
  /** The list's own page only: how many items in all, and the archive pages, newest first. */
  total: number | undefined;
  archive: number[] | undefined;
}

/** `newestFirst`: the whole list, newest item first. A list of at most `size` items has only its own page. */
export function stablePages<T>(newestFirst: readonly T[], size: number): ListPage<T>[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`page size must be a whole number of at least 1, not ${size}`);
  const n = newestFirst.length;
  const full = n > size ? Math.floor(n / size) : 0;
  const archive = Array.from({ length: full }, (_, i) => full - i);
  const pages: ListPage<T>[] = [
    { number: 0, items: newestFirst.slice(0, size), from: n, to: Math.max(1, n - size + 1), newer: undefined, older: full || undefined, total: n, archive },
  ];
  for (let k = 1; k <= full; k++) {
    // Oldest-first positions (k-1)*size+1 .. k*size are newest-first indexes n-k*size .. n-(k-1)*size-1.
    pages.push({
      number: k,
      items: newestFirst.slice(n - k * size, n - (k - 1) * size),
      from: k * size,
      to: (k - 1) * size + 1,
      newer: k < full ? k + 1 : 0,
      older: k > 1 ? k - 1 : undefined,
      total: undefined,
      archive: undefined,
    });
  }
  return pages;
}
