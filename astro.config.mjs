// @ts-check
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/config.ts';
import { BIB_FILES_SOURCE } from './src/lib/bib-files.ts';
import { contentStoreFromFileIntegration } from './src/lib/content-store-integration.ts';
import { outputCacheIntegration } from './src/lib/output-cache-integration.ts';
import { pagefindIntegration } from './src/lib/search-integration.ts';

// Deployment settings come from the environment so that a fork builds with zero edits
// (the scheduled workflow passes what actions/configure-pages reports). See README "Configuration".
export default defineConfig({
  site: process.env.SITE_URL || 'http://localhost:4321',
  base: process.env.BASE_PATH || '/',
  trailingSlash: 'always',
  // Tests and the benchmark build other archives side by side; each needs its own content cache.
  cacheDir: process.env.PAPERBOY_CACHE_DIR || './node_modules/.astro',
  // HTML-aware whitespace compression: Astro 7's default ('jsx') glues inline elements ("A,B" author lists).
  compressHTML: true,
  // inlineStylesheets: one shared, cached stylesheet instead of a copy inlined into each of tens of thousands
  // of pages. concurrency: pages in flight at once, so that writing one page overlaps rendering the next.
  build: { inlineStylesheets: 'never', concurrency: 4 },
  // The pages read the content store from its file rather than from a copy bundled into the server build
  // (src/lib/content-store-integration.ts: the bundled copy was the build's memory peak).
  // Incremental builds: Astro renders only the pages whose model changed; the others, and the papers/<slug>.bib
  // files, are linked from the cache dir after the pages (src/lib/output-cache.ts). Before the search index,
  // which counts the finished site's paper pages: it is built from the archive in a worker thread while the
  // pages render, and linked in after them (src/lib/search-integration.ts).
  integrations: [
    contentStoreFromFileIntegration(),
    outputCacheIntegration([BIB_FILES_SOURCE]),
    pagefindIntegration(siteConfig.language),
  ],
});
