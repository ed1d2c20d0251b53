/**
 * Incremental builds: the pages and files of the site whose inputs did not
 * change since an earlier build are taken from the cache instead of being
 * rendered or written again, and a daily build renders what the new day
 * changes.
 *
 * A route's getStaticPaths gives each path a `cacheKey` (src/site/page-models.ts:
 * the page renders from its model alone, and the key hashes the whole model)
 * and passes its paths through `renderChanged`, which returns only the paths
 * Astro must render; the others are linked from the cache while Astro renders
 * (or after the build, without the integration's link worker).
 * Files that are not routes (the .bib files) are handed over with
 * `addSiteFiles` and written, or linked, the same way. A cache entry is named
 * by the hash of the code version (src/, public/, the config and the
 * lockfile, src/config.ts's values, the Node version: see
 * src/integrations/output-cache.ts), the output file and the key, so an entry is
 * never rewritten: a changed page gets a new entry, and a build that fails
 * halfway leaves only entries that are right for their names.
 *
 * Astro 7.3.5 has this as `experimental.incrementalBuild`, but it still passes
 * every unchanged page through its page loop and copies it, which at 50,000
 * papers costs more than the rest of a daily build, while a hard link outside
 * the loop costs a small fraction of that (docs/benchmark.md); and it is
 * experimental. This uses public APIs only: what getStaticPaths returns, and
 * files written in `astro:build:done`.
 *
 * Build and pages meet through `globalThis`: Astro 7.3.5 runs getStaticPaths
 * in the build's own process, from its prerender bundle, which has its own
 * copies of these modules. Outside `astro build` (dev) no run is open:
 * `renderChanged` returns every path and `addSiteFiles` does nothing. Site
 * files never handed over fail the build (`takeSiteFiles`), so that an Astro
 * version that runs getStaticPaths elsewhere cannot leave them out unnoticed.
 */
import { createHash } from 'node:crypto';

/** One output of the site: its file (relative to the site root) and its cache entry's name. */
export interface Output {
  file: string;
  entry: string;
}

/** A file of the site that is not a route: its path, its key (what its text depends on) and its text. */
export interface SiteFile {
  path: string;
  key: string;
  text: () => string;
}

/** What one build decided, route by route. */
export interface CacheRun {
  codeVersion: string;
  /** Entry names in the cache when the build started. */
  known: ReadonlySet<string>;
  /**
   * Per route: the outputs Astro renders (stored after the build) and those taken from the cache; `placed`
   * when `placeKept` was given the kept ones as soon as the route decided.
   */
  routes: Map<string, { rendered: Output[]; kept: Output[]; placed: boolean }>;
  /** Puts kept outputs into the site while the build goes on (the integration's link worker); optional. */
  placeKept?: ((kept: readonly Output[]) => void) | undefined;
  /** Site files by who handed them over (a later hand-over from the same route replaces an earlier one). */
  files: Map<string, SiteFile[]>;
}

const RUN = Symbol.for('paperboy.output-cache');
type Holder = { [RUN]?: CacheRun };

/** Start a build's run (the integration, at astro:build:start). */
export function openRun(codeVersion: string, known: ReadonlySet<string>): CacheRun {
  const run: CacheRun = { codeVersion, known, routes: new Map(), files: new Map() };
  (globalThis as Holder)[RUN] = run;
  return run;
}

/** End the run (the integration, at astro:build:done); undefined when none is open. */
export function closeRun(): CacheRun | undefined {
  const run = (globalThis as Holder)[RUN];
  delete (globalThis as Holder)[RUN];
  return run;
}

/** The name of the cache entry of `file` rendered from `key` by this code version: 40 hex digits. */
export function entryName(codeVersion: string, file: string, key: string): string {
  return createHash('sha256').update(`${codeVersion}\0${file}\0${key}`).digest('hex').slice(0, 40);
}

/**
 * The file a site-relative route path is written to (build.format 'directory'): `papers/x/` is
 * `papers/x/index.html`, `topics/x/atom.xml` itself, '' the home page's `index.html`.
 */
export function outputFile(path: string): string {
  if (path.startsWith('/') || path.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new Error(`not a site-relative path: ${JSON.stringify(path)}`);
  }
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/**
 * For a route's getStaticPaths: the paths Astro must render. The paths whose page this code version has
 * already rendered from the same key are left out and linked from the cache (by the integration's worker,
 * while Astro renders). `route` names the route in the build log; `pathOf` gives a path's site-relative
 * route path (a `routes` value).
 */
export function renderChanged<T extends { cacheKey: string }>(route: string, paths: readonly T[], pathOf: (path: T) => string): T[] {
  const run = (globalThis as Holder)[RUN];
  if (!run) return [...paths];
  const decided = { rendered: [] as Output[], kept: [] as Output[], placed: false };
  run.routes.set(route, decided);
  const render: T[] = [];
  for (const path of paths) {
    const file = outputFile(pathOf(path));
    const entry = entryName(run.codeVersion, file, path.cacheKey);
    if (run.known.has(entry)) {
      decided.kept.push({ file, entry });
    } else {
      decided.rendered.push({ file, entry });
      render.push(path);
    }
  }
  if (run.placeKept) {
    run.placeKept(decided.kept);
    decided.placed = true;
  }
  return render;
}

/** Called by a route's getStaticPaths with the site files it owns; does nothing unless a build is running. */
export function addSiteFiles(from: string, files: Iterable<SiteFile>): void {
  (globalThis as Holder)[RUN]?.files.set(from, [...files]);
}

/**
 * The files `from` handed over in `run`. Throws unless it handed files over (it always does in a build:
 * with no papers it hands over none).
 */
export function takeSiteFiles(run: CacheRun, from: string): SiteFile[] {
  const files = run.files.get(from);
  if (!files) {
    throw new Error(
      `${from} did not hand over its files in this process: did this Astro version run getStaticPaths elsewhere? See src/site/output-cache.ts`,
    );
  }
  return files;
}
