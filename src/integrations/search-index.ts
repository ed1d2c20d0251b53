/**
 * The Astro integration that builds the search index during `astro build`
 * (astro.config.mjs), so `npm run build`, the test builds and `astro preview`
 * all have one. Dev, preview, check and sync never start it.
 *
 * Astro 7.3.5 runs, for a build: astro:config:setup (which alone is told the
 * command), astro:config:done, the content sync, astro:build:start, the page
 * rendering, astro:build:done. Indexing starts at astro:config:done in a
 * worker thread (src/search/search-worker.ts) that reads the archive itself, so
 * it overlaps the content sync and the rendering, which use one core; at
 * astro:build:done the build waits for it and links (or copies) the shard
 * bundles from the cache into the site. An indexing error fails the build there with one
 * line; the worker and the Pagefind process never outlive a failed build
 * (the worker is unreferenced until build:done, and Pagefind exits when its
 * parent's pipes close).
 */
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, link as linkFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { contentDirSetting } from '../site/paper-loader.ts';
import { formatSearchIndexStats, SEARCH_WORKER_DATA_KEY, searchShardSize, searchWorkerOldGenerationMb, shardBundleDir } from '../search/search.ts';
import type { IndexArchiveOptions, IndexedArchive, SearchWorkerMessage } from '../search/search-worker.ts';
import { normalizeBase } from '../site/urls.ts';

interface RunningIndex {
  result: Promise<IndexedArchive>;
  /** Keep the process alive for the worker (build:done awaits it). */
  ref(): void;
  stop(): Promise<void>;
}

/** Start indexing in a worker thread; the promise rejects with a one-line message on any failure. */
export function startSearchWorker(options: IndexArchiveOptions, logger?: AstroIntegrationLogger): RunningIndex {
  const worker = new Worker(new URL('../search/search-worker.ts', import.meta.url), {
    workerData: { [SEARCH_WORKER_DATA_KEY]: options },
    // Parsing makes short-lived garbage; a small young generation collects it sooner (less memory, same time),
    // and an old-generation limit keeps V8 from letting the heap grow to several times what the worker holds
    // (see searchWorkerOldGenerationMb).
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: searchWorkerOldGenerationMb(options.shardSize) },
  });
  // Until build:done awaits it, a failed Astro build must not wait for the index.
  worker.unref();
  let settled = false;
  const result = new Promise<IndexedArchive>((resolvePromise, reject) => {
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      logger?.error(`search index failed: ${message}`);
      reject(new Error(`search index failed: ${message}`));
    };
    worker.on('message', (message: SearchWorkerMessage) => {
      if (!message.ok) return fail(message.message);
      settled = true;
      resolvePromise(message.result);
    });
    worker.on('error', (error) => fail(error.message.replace(/\s+/g, ' ')));
    worker.on('messageerror', (error) => fail(`unreadable message from the indexing worker: ${error.message}`));
    worker.on('exit', (code) => fail(`the indexing worker stopped (exit code ${code}) without a result`));
  });
  // Handled at build:done; a build that fails earlier must not also report an unhandled rejection.
  result.catch(() => {});
  return {
    result,
    ref: () => worker.ref(),
    stop: async () => {
      await worker.terminate();
    },
  };
}

/**
 * A bundle into the site: hard links where the cache and the site share a
 * file system (one per paper fragment: copying 50,000 small files takes
 * seconds, linking them a fraction), copies elsewhere. Nothing writes to
 * these files in place: a build replaces the site's bundle directories whole.
 */
async function linkOrCopyTree(source: string, target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  let link = true;
  for (const entry of await readdir(source, { withFileTypes: true, recursive: true })) {
    const from = join(entry.parentPath, entry.name);
    const to = join(target, relative(source, from));
    if (entry.isDirectory()) {
      await mkdir(to, { recursive: true });
      continue;
    }
    if (link) {
      try {
        await linkFile(from, to);
        continue;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
        link = false;
      }
    }
    await copyFile(from, to);
  }
}

/** Each shard's bundle from the cache into the site as pagefind/, pagefind-2/... */
async function placeBundles(siteDir: string, bundles: readonly string[]): Promise<void> {
  await Promise.all(bundles.map((bundle, shard) => linkOrCopyTree(bundle, join(siteDir, shardBundleDir(shard)))));
}

/**
 * Paper pages in the finished site: the directories papers/<slug>/ (the .bib files beside them are files).
 * Counted from the site, not from astro:build:done's `pages`, which lists only the pages rendered in this
 * build (the others come from the incremental build's cache: src/site/output-cache.ts).
 */
function countPaperPages(siteDir: string): number {
  const papersDir = join(siteDir, 'papers');
  return existsSync(papersDir) ? readdirSync(papersDir, { withFileTypes: true }).filter((e) => e.isDirectory()).length : 0;
}

/** `maxAuthors`: authors a search result shows before "and N more" (siteConfig.maxAuthorsShown). */
export function pagefindIntegration(language: string, maxAuthors?: number): AstroIntegration {
  let command: string | undefined;
  let running: RunningIndex | undefined;
  return {
    name: 'paperboy-pagefind',
    hooks: {
      'astro:config:setup': (params) => {
        command = params.command;
      },
      'astro:config:done': ({ config, logger }) => {
        if (command !== 'build') return;
        running = startSearchWorker(
          {
            contentDir: resolve(fileURLToPath(config.root), contentDirSetting()),
            base: normalizeBase(config.base),
            language,
            maxAuthors,
            shardSize: searchShardSize(),
            cacheDir: join(fileURLToPath(config.cacheDir), 'paperboy-search-shards'),
          },
          logger,
        );
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!running) throw new Error('search index failed: indexing was never started (astro:config:done did not run as a build)');
        const waitStarted = performance.now();
        running.ref();
        let indexed: IndexedArchive;
        try {
          indexed = await running.result;
        } finally {
          await running.stop();
          running = undefined;
        }
        const waitedSeconds = (performance.now() - waitStarted) / 1000;
        const paperPages = countPaperPages(fileURLToPath(dir));
        if (paperPages !== indexed.papers) {
          throw new Error(`search index failed: it holds ${indexed.papers} papers but the site has ${paperPages} paper pages`);
        }
        const placeStarted = performance.now();
        await placeBundles(fileURLToPath(dir), indexed.bundles);
        logger.info(formatSearchIndexStats({ ...indexed, waitedSeconds, placedSeconds: (performance.now() - placeStarted) / 1000 }));
      },
    },
  };
}
