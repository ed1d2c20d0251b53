// @ts-check
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/config.ts';
import { bibFilesIntegration } from './src/lib/bib-files.ts';
import { pagefindIntegration } from './src/lib/search.ts';

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
  // One shared, cached stylesheet instead of a copy inlined into each of tens of thousands of pages.
  build: { inlineStylesheets: 'never' },
  // After the pages: papers/<slug>.bib files (src/lib/bib-files.ts), then the search index (src/lib/search.ts).
  integrations: [bibFilesIntegration(), pagefindIntegration(siteConfig.language)],
});
