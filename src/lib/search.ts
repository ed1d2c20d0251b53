/**
 * Full-text search with Pagefind: after `astro build` has written the site,
 * index the paper pages (the only pages marked `data-pagefind-body`) and write
 * the search bundle to <outDir>/pagefind/, which /search/ loads under the base
 * path. Runs as an Astro integration (astro.config.mjs), so `npm run build`,
 * the test builds and `astro preview` all have a working index.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of the search bundle inside the site (URL `<base>pagefind/`). */
export const SEARCH_BUNDLE_DIR = 'pagefind';

export interface SearchIndexStats {
  pages: number;
  files: number;
  bytes: number;
  seconds: number;
}

async function directorySize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/** Index the built site in `siteDir` and write the bundle to `siteDir/pagefind/`. */
export async function writeSearchIndex(siteDir: string, language: string): Promise<SearchIndexStats> {
  const started = performance.now();
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
    if (!index) throw new Error(`pagefind: could not create an index: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: siteDir });
    if (added.errors.length > 0) throw new Error(`pagefind: indexing failed: ${added.errors.join('; ')}`);
    const outputPath = join(siteDir, SEARCH_BUNDLE_DIR);
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length > 0) throw new Error(`pagefind: writing the index failed: ${written.errors.join('; ')}`);
    const size = await directorySize(outputPath);
    return { pages: added.page_count, ...size, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pagefind.close();
  }
}

export function formatSearchIndexStats(stats: SearchIndexStats): string {
  return `search index: ${stats.pages} pages indexed, ${stats.files} files, ${(stats.bytes / 1024 / 1024).toFixed(1)} MB, in ${stats.seconds.toFixed(1)} s`;
}

/** The Astro integration: index after every build. */
export function pagefindIntegration(language: string) {
  return {
    name: 'paperboy-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }: { dir: URL; logger: { info(message: string): void } }) => {
        const stats = await writeSearchIndex(fileURLToPath(dir), language);
        logger.info(formatSearchIndexStats(stats));
      },
    },
  };
}
