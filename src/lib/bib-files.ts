/**
 * /papers/<slug>.bib: every paper's BibTeX entry as a file, for reference
 * managers and scripts (the same entry its page shows, src/lib/bibtex.ts).
 * The paper route hands them over (src/lib/site-files.ts) and this
 * integration writes them after the pages. The file sits next to the page
 * directory /papers/<slug>/ and never collides with it.
 */
import type { AstroIntegration } from 'astro';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isArxivId } from './arxiv.ts';
import { toBibtex } from './bibtex.ts';
import type { Paper } from './schema.ts';
import { collectSiteFiles, type SiteFile, takeSiteFiles } from './site-files.ts';
import { routes } from './urls.ts';

/** Who hands the .bib files over: the paper pages' route. */
export const BIB_FILES_SOURCE = 'paper pages';

/** A paper's .bib file. The id names the file: never trust it further than the schema does. */
export function bibFile(paper: Pick<Paper, 'id' | 'title' | 'authors' | 'published'>): SiteFile {
  if (!isArxivId(paper.id)) throw new Error(`not an arXiv id, no .bib file for it: ${JSON.stringify(paper.id)}`);
  return { path: routes.paperBib(paper.id), text: () => `${toBibtex(paper)}\n` };
}

/** Writes the files under `siteDir` (in batches: one promise per file for 50,000 files costs memory); returns how many. */
export async function writeSiteFiles(siteDir: string, files: readonly SiteFile[]): Promise<number> {
  const dirs = new Set(files.map((f) => dirname(join(siteDir, f.path))));
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  const BATCH = 256;
  for (let i = 0; i < files.length; i += BATCH) {
    await Promise.all(files.slice(i, i + BATCH).map((f) => writeFile(join(siteDir, f.path), f.text())));
  }
  return files.length;
}

export function bibFilesIntegration(): AstroIntegration {
  return {
    name: 'paperboy-bib-files',
    hooks: {
      'astro:build:start': () => collectSiteFiles(),
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const count = await writeSiteFiles(fileURLToPath(dir), takeSiteFiles(BIB_FILES_SOURCE));
        logger.info(`${count} BibTeX files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      },
    },
  };
}
