// @ts-check
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/config.ts';
import { bibFilesIntegration } from './src/integrations/bib-files.ts';
import { checkSiteConfig } from './src/site/config-check.ts';
import { contentStoreFromFileIntegration } from './src/integrations/content-store.ts';
import { pagefindIntegration } from './src/integrations/search-index.ts';

// A malformed emailSubscribeUrl or feedFilter stops the build here, with one line naming it.
checkSiteConfig(siteConfig);

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
  // of pages. concurrency: pages in flight at once; a page copied from the incremental cache (below) waits on
  // the disk, not the CPU, so several at once make warm builds faster (docs/benchmark.md).
  build: { inlineStylesheets: 'never', concurrency: 4 },
  // Pages whose getStaticPaths entry carries an unchanged `cacheKey` (src/site/page-models.ts) are copied from
  // the cache dir instead of rendered again; Astro also checks the template code, this config and the lockfile.
  experimental: { incrementalBuild: true },
  // The pages read the content store from its file rather than from a copy bundled into the server build
  // (src/integrations/content-store.ts: the bundled copy was the build's memory peak).
  // After the pages: papers/<slug>.bib files (src/integrations/bib-files.ts). The search index is built from the archive
  // in a worker thread while the pages render, and copied in after them (src/integrations/search-index.ts).
  integrations: [contentStoreFromFileIntegration(), bibFilesIntegration(), pagefindIntegration(siteConfig.language, siteConfig.maxAuthorsShown)],
});
