/**
 * The Astro integration of the incremental build (src/site/output-cache.ts):
 * at astro:build:start it opens the build's run with the code version and the
 * entries in `<cacheDir>/paperboy-pages/`, and a worker thread links each
 * route's unchanged pages into the site as soon as the route has decided,
 * while Astro renders the others (output-cache-links.ts); at astro:build:done
 * it waits for that, stores the rendered pages, writes or links the site files
 * (.bib), removes the entries this build did not use, and says so in one log
 * line. It must come before integrations that read the finished
 * site in astro:build:done (the search index counts the paper pages).
 *
 * Hard links: a kept page in the site and its cache entry are one file. Astro
 * empties the output directory at the start of a build (unlinking, which
 * leaves the entry alone) and writes every page it renders as a new file, so
 * nothing writes through the link; a tool that edits the built site in place
 * must write new files instead (write elsewhere, then rename). Where the
 * cache and the site are on different file systems, entries are copied.
 */
import type { AstroConfig, AstroIntegration, AstroIntegrationLogger } from 'astro';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteConfig } from '../config.ts';
import { type CacheRun, closeRun, entryName, openRun, type Output, outputFile, takeSiteFiles } from '../site/output-cache.ts';
import { EarlyLinks, entryPath } from './output-cache-links.ts';
import { Linker } from './output-cache-linker.ts';

/** The cache's directory under Astro's cacheDir (PAPERBOY_CACHE_DIR). */
export const ENTRIES_DIR = 'paperboy-pages';

/** What a page's bytes depend on besides its key: the project's code and settings. */
const CODE_DIRS = ['src', 'public'];
const CODE_FILES = ['astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * The code version: a hash of every file under src/ and public/, the config and lock files, `values` (the
 * resolved settings that reach the pages: src/config.ts's values, which read the environment, and the
 * Astro config's URLs and output format) and the Node version (dates are formatted with its ICU data).
 */
export function codeVersion(root: string, values: unknown): string {
  const hash = createHash('sha256');
  const files = [...CODE_FILES.map((f) => join(root, f))];
  for (const dir of CODE_DIRS) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
    }
  }
  for (const file of files.sort()) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  hash.update(JSON.stringify(values)).update('\0').update(process.version);
  return hash.digest('hex');
}

/** The settings of the Astro config that change what a page holds. */
function pageSettings(config: AstroConfig): unknown {
  const { site, base, trailingSlash, compressHTML, build } = config;
  return { site, base, trailingSlash, compressHTML, format: build.format, assets: build.assets, inlineStylesheets: build.inlineStylesheets };
}

/** Entry names in the cache (40 hex digits: the subdirectory's two and the file's 38). */
export function listEntries(entriesDir: string): Set<string> {
  const names = new Set<string>();
  if (!existsSync(entriesDir)) return names;
  for (const sub of readdirSync(entriesDir)) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    for (const name of readdirSync(join(entriesDir, sub))) if (/^[0-9a-f]{38}$/.test(name)) names.add(sub + name);
  }
  return names;
}

export interface FinishedRun {
  /** Per route: pages rendered and pages taken from the cache. */
  routes: { route: string; rendered: number; kept: number }[];
  files: { written: number; kept: number };
  pruned: number;
  /** Rendered pages Astro did not write where expected (not stored; the first few). */
  missing: string[];
  copies: number;
}

/**
 * After the pages: put the kept outputs into the site, store the rendered ones, write or link the site files
 * of `fileSources`, remove entries nobody used.
 */
export function finishRun(run: CacheRun, siteDir: string, entriesDir: string, fileSources: readonly string[], earlyCopies = 0): FinishedRun {
  const used = new Set<string>();
  const linker = new Linker();
  for (let i = 0; i < 256; i++) mkdirSync(join(entriesDir, i.toString(16).padStart(2, '0')), { recursive: true });
  const store = (output: Output) => {
    try {
      linker.place(join(siteDir, output.file), entryPath(entriesDir, output.entry));
    } catch (error) {
      // Already there: stored by an earlier build that failed before it could use it.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  };
  const missing: string[] = [];
  const routes: FinishedRun['routes'] = [];
  for (const [route, { rendered, kept, placed }] of run.routes) {
    for (const output of kept) {
      used.add(output.entry);
      if (!placed) linker.place(entryPath(entriesDir, output.entry), join(siteDir, output.file));
    }
    for (const output of rendered) {
      if (!existsSync(join(siteDir, output.file))) {
        missing.push(output.file);
        continue;
      }
      used.add(output.entry);
      store(output);
    }
    routes.push({ route, rendered: rendered.length, kept: kept.length });
  }
  const files = { written: 0, kept: 0 };
  for (const source of fileSources) {
    for (const file of takeSiteFiles(run, source)) {
      const output = { file: outputFile(file.path), entry: entryName(run.codeVersion, file.path, file.key) };
      used.add(output.entry);
      if (run.known.has(output.entry)) {
        linker.place(entryPath(entriesDir, output.entry), join(siteDir, output.file));
        files.kept++;
      } else {
        mkdirSync(dirname(join(siteDir, output.file)), { recursive: true });
        writeFileSync(join(siteDir, output.file), file.text());
        store(output);
        files.written++;
      }
    }
  }
  let pruned = 0;
  for (const name of run.known) {
    if (used.has(name)) continue;
    unlinkSync(entryPath(entriesDir, name));
    pruned++;
  }
  return { routes, files, pruned, missing: missing.slice(0, 5), copies: linker.copies + earlyCopies };
}

function formatFinished(result: FinishedRun, seconds: number): string {
  const routes = result.routes.map((r) => `${r.rendered} of ${r.rendered + r.kept} ${r.route}`).join(', ');
  const files = `${result.files.written} of ${result.files.written + result.files.kept} site files written`;
  const copied = result.copies ? `; ${result.copies} copied, not linked (the cache is on another file system)` : '';
  return `incremental build: rendered ${routes}; ${files}, the rest linked from the cache${copied}; ${result.pruned} stale cache entries removed; ${seconds.toFixed(1)} s`;
}

function warnMissing(logger: AstroIntegrationLogger, missing: readonly string[]): void {
  if (missing.length === 0) return;
  logger.warn(`rendered pages not found where expected, so not cached (${missing.join(', ')}): see src/site/output-cache.ts outputFile`);
}

/** `fileSources`: the routes that hand over site files (each must, in every build). */
export function outputCacheIntegration(fileSources: readonly string[]): AstroIntegration {
  let command: string | undefined;
  let config: AstroConfig | undefined;
  let entriesDir: string | undefined;
  let early: EarlyLinks | undefined;
  return {
    name: 'paperboy-output-cache',
    hooks: {
      'astro:config:setup': (params) => {
        command = params.command;
      },
      'astro:config:done': (params) => {
        config = params.config;
      },
      'astro:build:start': () => {
        if (command !== 'build' || !config) return;
        if (config.build.format !== 'directory') throw new Error(`src/site/output-cache.ts expects build.format 'directory', not '${config.build.format}'`);
        entriesDir = join(fileURLToPath(config.cacheDir), ENTRIES_DIR);
        const version = codeVersion(fileURLToPath(config.root), { siteConfig, astro: pageSettings(config) });
        const run = openRun(version, listEntries(entriesDir));
        // Unchanged pages go into the site while Astro renders the changed ones. Astro has emptied the
        // output directory by the time a route's getStaticPaths runs, and never writes these files.
        const siteDir = fileURLToPath(config.outDir);
        const cache = entriesDir;
        const links = (early = new EarlyLinks());
        run.placeKept = (kept) => links.place(kept.map((o) => [entryPath(cache, o.entry), join(siteDir, o.file)]));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const run = closeRun();
        if (!run || !entriesDir) throw new Error('incremental build: no run was opened at astro:build:start');
        const started = performance.now();
        if (early && fileURLToPath(dir) !== fileURLToPath(config!.outDir)) {
          throw new Error(`incremental build: the site was written to ${fileURLToPath(dir)}, not to the output directory ${fileURLToPath(config!.outDir)}`);
        }
        const earlyCopies = early ? await early.finish() : 0;
        early = undefined;
        const result = finishRun(run, fileURLToPath(dir), entriesDir, fileSources, earlyCopies);
        warnMissing(logger, result.missing);
        logger.info(formatFinished(result, (performance.now() - started) / 1000));
      },
    },
  };
}
