import { describe, expect, it } from 'vitest';
import { formatAuthors, shortenAuthors } from '../../src/render/authors.ts';

const names = (n: number) => Array.from({ length: n }, (_, i) => `Author ${i + 1}`);

describe('formatAuthors', () => {
  it('shows short lists whole, separated by commas', () => {
    expect(formatAuthors(['A', 'B', 'C'], 8)).toBe('A, B, C');
    expect(formatAuthors([], 8)).toBe('');
  });

  it('shortens long lists with a count of the rest', () => {
    expect(formatAuthors(names(20), 3)).toBe('Author 1, Author 2, Author 3 and 17 more');
    expect(shortenAuthors(names(20), 3)).toEqual({ shown: names(3), hidden: 17 });
  });

  it('does not hide a single author behind "and 1 more"', () => {
    expect(shortenAuthors(names(4), 3)).toEqual({ shown: names(4), hidden: 0 });
  });
});
