/**
 * Full-text search with Pagefind: after `astro build` has written the site,
 * index the paper pages (their `data-pagefind-body` article: title, authors,
 * keywords, organization, abstract) and write the bundles that /search/ loads
 * under the base path. Runs as an Astro integration (astro.config.mjs), so
 * `npm run build`, the test builds and `astro preview` all have an index.
 *
 * Pagefind needs about 140 KB of memory and 2.4 ms of CPU per paper page here,
 * so a 50,000-paper archive in one index would take ~7 GB and two minutes on
 * every build. Instead the papers, in list-day order, are split into shards of
 * a fixed size, indexed one after another (memory bounded by one shard) into
 * separate bundles that the search page merges (`mergeIndex`). Each shard is
 * cached in the build cache under a hash of its pages' indexed content: old
 * shards never change, so a daily build re-indexes only the newest shard(s).
 */
import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { idToSlug } from './arxiv.ts';
import { dayManifestPaths } from './bib-files.ts';

/** Directory of the first (primary) search bundle inside the site (URL `<base>pagefind/`). */
export const SEARCH_BUNDLE_DIR = 'pagefind';
/** Papers per index shard: ~0.7 GB of Pagefind memory at most. */
export const DEFAULT_SHARD_PAPERS = 5000;

/** Bundle directory of shard `i` (0-based): `pagefind`, `pagefind-2`, `pagefind-3`... */
export function shardBundleDir(i: number): string {
  return i === 0 ? SEARCH_BUNDLE_DIR : `${SEARCH_BUNDLE_DIR}-${i + 1}`;
}

/** Papers per shard: PAPERBOY_SEARCH_SHARD_PAPERS (tests use small shards) or the default. */
export function searchShardSize(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.PAPERBOY_SEARCH_SHARD_PAPERS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_SHARD_PAPERS;
}

/** How many bundles an archive of `paperCount` papers is indexed into (at least one, so /search/ always loads). */
export function searchShardCount(paperCount: number, shardSize: number): number {
  return Math.max(1, Math.ceil(paperCount / shardSize));
}

export interface SearchIndexStats {
  /** Paper pages in the index. */
  pages: number;
  shards: number;
  /** Shards taken from the cache instead of being indexed again. */
  cachedShards: number;
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

/**
 * Paper page files (site-relative) in index order: list days oldest first, ids
 * within a day; new days only ever append, so earlier shards keep their pages.
 * Read from the per-day papers.json files this build wrote.
 */
export async function paperPagesInOrder(siteDir: string): Promise<string[]> {
  const days: { day: string; ids: string[] }[] = [];
  for (const file of await dayManifestPaths(siteDir)) {
    const data = JSON.parse(await readFile(file, 'utf8')) as { day: string; papers: { id: string }[] };
    days.push({ day: data.day, ids: data.papers.map((p) => p.id).sort() });
  }
  days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return days.flatMap((d) => d.ids.map((id) => `papers/${idToSlug(id)}/index.html`));
}

/** What Pagefind indexes of a page (the marked article), for the cache key: the page shell may change freely. */
function indexedPart(html: string): string {
  const start = html.indexOf('data-pagefind-body');
  const end = html.lastIndexOf('</article>');
  return start >= 0 && end > start ? html.slice(start, end) : html;
}

/**
 * Index the built site in `siteDir` into bundles `pagefind/`, `pagefind-2/`...
 * reusing shards cached under `cacheDir` (when given) whose pages are unchanged.
 */
export async function writeSearchIndex(
  siteDir: string,
  options: { language: string; shardSize: number; cacheDir?: string | undefined },
): Promise<SearchIndexStats> {
  const started = performance.now();
  const pages = await paperPagesInOrder(siteDir);
  const shardCount = searchShardCount(pages.length, options.shardSize);
  const pagefind = await import('pagefind');
  // In the cache key: another Pagefind version writes other files. (package.json is not in its exports.)
  const version = JSON.parse(await readFile(new URL('../package.json', import.meta.resolve('pagefind')), 'utf8')).version as string;
  const used = new Set<string>();
  let cachedShards = 0;
  let files = 0;
  let bytes = 0;
  try {
    for (let shard = 0; shard < shardCount; shard++) {
      const shardPages = pages.slice(shard * options.shardSize, (shard + 1) * options.shardSize);
      const contents = await Promise.all(shardPages.map((page) => readFile(join(siteDir, page), 'utf8')));
      const hash = createHash('sha256').update(`pagefind ${version} ${options.language}\n`);
      shardPages.forEach((page, i) => hash.update(`${page}\n${indexedPart(contents[i]!)}\n`));
      const key = hash.digest('hex').slice(0, 32);
      used.add(key);
      const outputPath = join(siteDir, shardBundleDir(shard));
      const cached = options.cacheDir ? join(options.cacheDir, key) : undefined;
      if (cached && existsSync(join(cached, 'pagefind-entry.json'))) {
        await cp(cached, outputPath, { recursive: true });
        cachedShards++;
      } else {
        const { index, errors } = await pagefind.createIndex({ forceLanguage: options.language });
        if (!index) throw new Error(`pagefind: could not create an index: ${errors.join('; ')}`);
        // Batches in flight keep the Pagefind service busy without queueing a whole shard at once.
        for (let from = 0; from < shardPages.length; from += 200) {
          const batch = shardPages.slice(from, from + 200);
          const results = await Promise.all(batch.map((sourcePath, i) => index.addHTMLFile({ sourcePath, content: contents[from + i]! })));
          const failed = results.findIndex((r) => r.errors.length > 0);
          if (failed >= 0) throw new Error(`pagefind: indexing ${batch[failed]} failed: ${results[failed]!.errors.join('; ')}`);
        }
        const written = await index.writeFiles({ outputPath });
        if (written.errors.length > 0) throw new Error(`pagefind: writing the index failed: ${written.errors.join('; ')}`);
        await index.deleteIndex();
        if (cached) {
          await rm(cached, { recursive: true, force: true });
          await mkdir(options.cacheDir!, { recursive: true });
          await cp(outputPath, cached, { recursive: true });
        }
      }
      const size = await directorySize(outputPath);
      files += size.files;
      bytes += size.bytes;
    }
  } finally {
    await pagefind.close();
  }
  // Shards no longer part of the site would only pile up in the cache.
  if (options.cacheDir && existsSync(options.cacheDir)) {
    for (const entry of await readdir(options.cacheDir)) {
      if (!used.has(entry)) await rm(join(options.cacheDir, entry), { recursive: true, force: true });
    }
  }
  return { pages: pages.length, shards: shardCount, cachedShards, files, bytes, seconds: (performance.now() - started) / 1000 };
}

export function formatSearchIndexStats(stats: SearchIndexStats): string {
  return (
    `search index: ${stats.pages} paper pages indexed in ${stats.shards} ${stats.shards === 1 ? 'shard' : 'shards'} ` +
    `(${stats.cachedShards} from cache), ${stats.files} files, ${(stats.bytes / 1024 / 1024).toFixed(1)} MB, in ${stats.seconds.toFixed(1)} s`
  );
}

/** The Astro integration: index after every build, caching shards in Astro's cache directory. */
export function pagefindIntegration(language: string): AstroIntegration {
  let cacheDir: string | undefined;
  return {
    name: 'paperboy-pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = join(fileURLToPath(config.cacheDir), 'paperboy-search-shards');
      },
      'astro:build:done': async ({ dir, logger }) => {
        const stats = await writeSearchIndex(fileURLToPath(dir), { language, shardSize: searchShardSize(), cacheDir });
        logger.info(formatSearchIndexStats(stats));
      },
    },
  };
}
