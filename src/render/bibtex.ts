/**
 * A BibTeX entry for a paper, to copy from its page. `@misc` with the arXiv
 * eprint fields that biblatex and BibTeX styles understand (no primaryClass:
 * the API does not tell us the category). Every value is escaped so that
 * hostile text cannot unbalance braces or inject commands; math in the title
 * is kept as `$...$` when its braces balance.
 */
import type { Paper } from '../archive/schema.ts';
import { arxivAbsUrl } from '../archive/arxiv.ts';
import { splitTex } from './tex.ts';

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  '#': '\\#',
  _: '\\_',
  $: '\\$',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/** Text for a braced BibTeX value: LaTeX specials escaped, whitespace collapsed. */
export function escapeBibtex(text: string): string {
  return escapeSpecials(text.replace(/\s+/g, ' ').trim());
}

function escapeSpecials(text: string): string {
  return text.replace(/[\\{}&%#_$^~]/g, (c) => LATEX_SPECIALS[c]!);
}

function bracesBalanced(tex: string): boolean {
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const ch = tex[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A title: text escaped, well-formed `$...$` math kept for LaTeX to typeset. */
export function bibtexTitle(title: string): string {
  return splitTex(title.replace(/\s+/g, ' ').trim())
    .map((seg) => {
      if (seg.kind === 'text') return escapeSpecials(seg.value);
      const tex = seg.value;
      return bracesBalanced(tex) && !/\\$/.test(tex) ? `$${tex}$` : escapeSpecials(`$${tex}$`);
    })
    .join('');
}

/**
 * One author for the `and`-separated list. A name holding a comma or the word
 * "and" would be misread by BibTeX, so it is braced whole.
 */
export function bibtexAuthor(name: string): string {
  const escaped = escapeBibtex(name);
  return /,|\band\b/i.test(name) ? `{${escaped}}` : escaped;
}

/** ASCII letters and digits of a string, lower case (accents folded). */
function keyPart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'with', 'from', 'towards', 'toward', 'is', 'are']);

/** A citation key like `li2024crowdsourced`; `arxiv` plus the id when no name part survives. */
export function bibtexKey(paper: Pick<Paper, 'id' | 'title' | 'authors' | 'published'>): string {
  const firstAuthor = paper.authors[0] ?? '';
  const surname = keyPart(firstAuthor.split(/\s+/).at(-1) ?? '');
  const year = paper.published.slice(0, 4);
  const word =
    paper.title
      .replace(/\$[^$]*\$/g, ' ')
      .split(/[^\p{L}\p{N}]+/u)
      .map(keyPart)
      .find((w) => w.length > 0 && !STOP_WORDS.has(w)) ?? '';
  if (!surname) return `arxiv${keyPart(paper.id)}`;
  return `${surname}${/^\d{4}$/.test(year) ? year : ''}${word}`;
}

export function toBibtex(paper: Pick<Paper, 'id' | 'title' | 'authors' | 'published'>): string {
  const fields: [string, string][] = [['title', bibtexTitle(paper.title)]];
  if (paper.authors.length > 0) fields.push(['author', paper.authors.map(bibtexAuthor).join(' and ')]);
  const year = paper.published.slice(0, 4);
  if (/^\d{4}$/.test(year)) fields.push(['year', year]);
  fields.push(['eprint', paper.id], ['archivePrefix', 'arXiv'], ['url', arxivAbsUrl(paper.id)]);
  const width = Math.max(...fields.map(([name]) => name.length));
  const lines = fields.map(([name, value]) => `  ${name.padEnd(width)} = {${value}},`);
  return `@misc{${bibtexKey(paper)},\n${lines.join('\n')}\n}`;
}
