/**
 * /papers/<slug>.bib: every paper's BibTeX entry as a file, for reference
 * managers and scripts (the same entry its page shows, src/render/bibtex.ts).
 * Written after the build from the per-day papers.json files rather than as an
 * Astro route: a route costs a page render in Astro's page loop, a plain write
 * next to nothing (docs/benchmark.md). The file sits next to the
 * page directory /papers/<slug>/ and never collides with it.
 */
import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { idToSlug, isArxivId } from '../archive/arxiv.ts';
import { toBibtex } from '../render/bibtex.ts';
import type { PaperRecord } from '../feeds/discovery-feeds.ts';

async function subdirectories(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && pattern.test(e.name)).map((e) => join(dir, e.name));
}

/**
 * The built site's `YYYY/MM/DD/papers.json` files. Walks only the dated
 * directories: a recursive walk of a 50,000-paper dist visits ~250,000 files.
 */
export async function dayManifestPaths(siteDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const year of await subdirectories(siteDir, /^\d{4}$/)) {
    for (const month of await subdirectories(year, /^\d{2}$/)) {
      for (const day of await subdirectories(month, /^\d{2}$/)) {
        const manifest = join(day, 'papers.json');
        if (existsSync(manifest)) found.push(manifest);
      }
    }
  }
  return found.sort();
}

/** Writes papers/<slug>.bib for every paper listed in the site's papers.json files; returns how many. */
export async function writeBibFiles(siteDir: string): Promise<number> {
  let written = 0;
  for (const manifest of await dayManifestPaths(siteDir)) {
    const data = JSON.parse(await readFile(manifest, 'utf8')) as { papers: PaperRecord[] };
    await Promise.all(
      data.papers.map(async (paper) => {
        // The id names a file: never trust it further than the schema does.
        if (!isArxivId(paper.id)) throw new Error(`papers.json holds an invalid arXiv id: ${JSON.stringify(paper.id)}`);
        await writeFile(join(siteDir, 'papers', `${idToSlug(paper.id)}.bib`), `${toBibtex(paper)}\n`);
        written++;
      }),
    );
  }
  return written;
}

export function bibFilesIntegration(): AstroIntegration {
  return {
    name: 'paperboy-bib-files',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const count = await writeBibFiles(fileURLToPath(dir));
        logger.info(`${count} BibTeX files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      },
    },
  };
}
