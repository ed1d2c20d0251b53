import { describe, expect, it } from 'vitest';
import { bibtexAuthor, bibtexKey, bibtexTitle, escapeBibtex, toBibtex } from '../../src/render/bibtex.ts';

const paper = {
  id: '2406.11939',
  title: 'From Crowdsourced Data to High-Quality Benchmarks: Arena-Hard and BenchBuilder Pipeline',
  authors: ['Tianle Li', 'Wei-Lin Chiang', 'Joseph E. Gonzalez'],
  published: '2024-06-17T17:26:10.000Z',
};

/** Braces outside escapes must balance or the .bib file breaks for everything after the entry. */
function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('toBibtex', () => {
  it('writes an @misc entry with the arXiv eprint fields', () => {
    expect(toBibtex(paper)).toBe(
      [
        '@misc{li2024crowdsourced,',
        '  title         = {From Crowdsourced Data to High-Quality Benchmarks: Arena-Hard and BenchBuilder Pipeline},',
        '  author        = {Tianle Li and Wei-Lin Chiang and Joseph E. Gonzalez},',
        '  year          = {2024},',
        '  eprint        = {2406.11939},',
        '  archivePrefix = {arXiv},',
        '  url           = {https://arxiv.org/abs/2406.11939},',
        '}',
      ].join('\n'),
    );
  });

  it('keeps hostile text inert and braces balanced', () => {
    const bib = toBibtex({
      id: '2401.99999',
      title: '<script>}{\\input{/etc/passwd}</script> & 100% #1 a_b ~x^ $\\frac{1$ and $x^2$',
      authors: ['<i>Eve</i> & "Mallory"', 'Smith, Jr.', 'Anders and Co'],
      published: '2023-12-28T07:11:41.000Z',
    });
    expect(balanced(bib)).toBe(true);
    expect(bib).not.toMatch(/[^\\]\\input/);
    expect(bib).toContain('\\textbackslash{}input\\{/etc/passwd\\}');
    expect(bib).toContain('\\& 100\\% \\#1 a\\_b \\textasciitilde{}x\\textasciicircum{}');
    expect(bib).toContain('\\$\\textbackslash{}frac\\{1\\$ and $x^2$');
    expect(bib).toContain('author        = {<i>Eve</i> \\& "Mallory" and {Smith, Jr.} and {Anders and Co}},');
  });
});

describe('pieces', () => {
  it('escapes every LaTeX special character', () => {
    expect(escapeBibtex('\\ { } & % # _ $ ^ ~')).toBe(
      '\\textbackslash{} \\{ \\} \\& \\% \\# \\_ \\$ \\textasciicircum{} \\textasciitilde{}',
    );
  });

  it('keeps balanced math in titles and escapes unbalanced math', () => {
    expect(bibtexTitle('Scaling $O(n^{2})$ attention')).toBe('Scaling $O(n^{2})$ attention');
    expect(bibtexTitle('Broken $a}{b$ x')).toBe('Broken \\$a\\}\\{b\\$ x');
    expect(bibtexTitle('Costs $5 and $10')).toBe('Costs \\$5 and \\$10');
  });

  it('braces names BibTeX would split wrongly', () => {
    expect(bibtexAuthor('Ada Lovelace')).toBe('Ada Lovelace');
    expect(bibtexAuthor('Lovelace, Ada')).toBe('{Lovelace, Ada}');
  });

  it('builds ASCII citation keys and falls back to the id', () => {
    expect(bibtexKey({ ...paper, authors: ['José Núñez'], title: 'The $x$ Élan of Models' })).toBe('nunez2024elan');
    expect(bibtexKey({ ...paper, id: 'hep-th/9901001', authors: ['张伟'] })).toBe('arxivhepth9901001');
  });
});
