import { describe, expect, it } from 'vitest';
import { type ListPage, stablePages } from '../../src/site/pagination.ts';

/** Items 1..n, newest (n) first. */
const list = (n: number) => Array.from({ length: n }, (_, i) => n - i);
const archivePages = <T>(pages: ListPage<T>[]) => pages.filter((p) => p.number > 0);

describe('stablePages', () => {
  it('shows the newest items on the list page and the rest on full archive pages counted from the oldest', () => {
    const pages = stablePages(list(123), 50);
    expect(pages.map((p) => p.number)).toEqual([0, 1, 2]);
    expect(pages[0]).toMatchObject({ items: list(123).slice(0, 50), from: 123, to: 74, total: 123, archive: [2, 1], older: 2 });
    expect(pages[1]).toMatchObject({ items: list(50), from: 50, to: 1, newer: 2, older: undefined });
    expect(pages[2]).toMatchObject({ items: list(100).slice(0, 50), from: 100, to: 51, newer: 0, older: 1 });
    // Every item is on an archive page, or only on the list page when too new to fill one.
    const archived = archivePages(pages).flatMap((p) => p.items);
    expect(new Set([...archived, ...pages[0]!.items]).size).toBe(123);
    expect(archived.length).toBe(new Set(archived).size);
    expect(archivePages(pages).every((p) => p.items.length === 50)).toBe(true);
  });

  it('has only the list page while the list fits on it', () => {
    expect(stablePages(list(50), 50)).toEqual([
      { number: 0, items: list(50), from: 50, to: 1, newer: undefined, older: undefined, total: 50, archive: [] },
    ]);
    expect(stablePages([], 50)).toMatchObject([{ number: 0, items: [], total: 0, archive: [] }]);
    expect(() => stablePages(list(3), 0)).toThrow(/page size/);
  });

  it('keeps every archive page as it was when newer items arrive; a page changes once, when the next one appears', () => {
    const size = 7;
    for (let n = 0; n < 60; n++) {
      const before = new Map(archivePages(stablePages(list(n), size)).map((p) => [p.number, p]));
      const after = new Map(archivePages(stablePages(list(n + 1), size)).map((p) => [p.number, p]));
      for (const [number, page] of before) {
        const next = after.get(number)!;
        expect(next.items).toEqual(page.items);
        const appeared = after.size > before.size && number === before.size;
        expect(next, `n=${n}, page ${number}`).toEqual(appeared ? { ...page, newer: number + 1 } : page);
      }
    }
  });
});
