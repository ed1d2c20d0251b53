// @ts-check
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/config.ts';
import { BIB_FILES_SOURCE } from './src/integrations/bib-files.ts';
import { checkSiteConfig } from './src/site/config-check.ts';
import { contentStoreFromFileIntegration } from './src/integrations/content-store.ts';
import { outputCacheIntegration } from './src/integrations/output-cache.ts';
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
  // of pages. concurrency: pages in flight at once, so that writing one page overlaps rendering the next.
  build: { inlineStylesheets: 'never', concurrency: 4 },
  // The pages read the content store from its file rather than from a copy bundled into the server build
  // (src/integrations/content-store.ts: the bundled copy was the build's memory peak).
  // Incremental builds: Astro renders only the pages whose model changed; the others, and the papers/<slug>.bib
  // files, are linked from the cache dir after the pages (src/site/output-cache.ts). Before the search index,
  // which counts the finished site's paper pages: it is built from the archive in a worker thread while the
  // pages render, and linked in after them (src/integrations/search-index.ts).
  integrations: [
    contentStoreFromFileIntegration(),
    outputCacheIntegration([BIB_FILES_SOURCE]),
    pagefindIntegration(siteConfig.language, siteConfig.maxAuthorsShown),
  ],
});
