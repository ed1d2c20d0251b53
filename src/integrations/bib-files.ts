/**
 * /papers/<slug>.bib: every paper's BibTeX entry as a file, for reference
 * managers and scripts (the same entry its page shows, src/render/bibtex.ts).
 * Not a route (a route costs ~1 ms per file in Astro's page loop, a plain
 * write a few microseconds): the paper route hands them over and the
 * incremental build's integration writes the new or changed ones and links the
 * rest from its cache (src/site/output-cache.ts), so `astro dev` does not
 * serve them. The file sits next to the page directory /papers/<slug>/ and
 * never collides with it.
 */
import { isArxivId } from '../archive/arxiv.ts';
import type { Paper } from '../archive/schema.ts';
import { toBibtex } from '../render/bibtex.ts';
import type { SiteFile } from '../site/output-cache.ts';
import { routes } from '../site/urls.ts';

/** Who hands the .bib files over: the paper pages' route. */
export const BIB_FILES_SOURCE = 'paper pages';

/** A paper's .bib file. The id names the file: never trust it further than the schema does. */
export function bibFile(paper: Pick<Paper, 'id' | 'title' | 'authors' | 'published'>): SiteFile {
  if (!isArxivId(paper.id)) throw new Error(`not an arXiv id, no .bib file for it: ${JSON.stringify(paper.id)}`);
  const { id, title, authors, published } = paper;
  // The key is exactly what the entry is made of.
  return { path: routes.paperBib(id), key: JSON.stringify([id, title, authors, published]), text: () => `${toBibtex(paper)}\n` };
}
