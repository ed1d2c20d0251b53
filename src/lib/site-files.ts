/**
 * Files of the built site that are not Astro routes: a route costs ~1 ms per
 * file in Astro's page loop, a plain write a few microseconds, which matters
 * for one file per paper (the .bib files). A page's getStaticPaths, which has
 * the data, hands them over with `addSiteFiles`; an integration
 * (src/lib/bib-files.ts) writes them after the pages.
 *
 * The hand-over goes through `globalThis`: Astro 7.3.5 runs getStaticPaths
 * from its prerender bundle in the build's own process, where the
 * integrations run too, but the bundle has its own copies of these modules.
 * `takeSiteFiles` fails the build if nothing was handed over, so that an Astro
 * version that runs getStaticPaths elsewhere cannot leave the files out
 * unnoticed. Outside `astro build` (dev) nothing collects them.
 */

/** One file: its path relative to the site root, and its text (made when it is written). */
export interface SiteFile {
  path: string;
  text: () => string;
}

/** The files handed over, by who handed them over (a later hand-over from the same route replaces an earlier one). */
type Collector = Map<string, SiteFile[]>;

const COLLECTOR = Symbol.for('paperboy.site-files');

function collector(): Collector | undefined {
  return (globalThis as { [COLLECTOR]?: Collector })[COLLECTOR];
}

/** Start collecting (astro:build:start). */
export function collectSiteFiles(): void {
  (globalThis as { [COLLECTOR]?: Collector })[COLLECTOR] = new Map();
}

/** Called by a route's getStaticPaths with the files it owns; does nothing unless a build collects them. */
export function addSiteFiles(from: string, files: Iterable<SiteFile>): void {
  collector()?.set(from, [...files]);
}

/**
 * The files `from` handed over since collectSiteFiles. Throws unless it handed files over (it always does in a
 * build: with no papers it hands over none).
 */
export function takeSiteFiles(from: string): SiteFile[] {
  const files = collector()?.get(from);
  if (!files) {
    throw new Error(
      `${from} did not hand over its files in this process: did this Astro version run getStaticPaths elsewhere? See src/lib/site-files.ts`,
    );
  }
  return files;
}
