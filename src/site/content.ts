/**
 * The archive of this build, loaded from the content collections once and
 * shared by every page and endpoint: calling getCollection and grouping in
 * each page would repeat that work for every one of 50,000 pages.
 */
import { getCollection } from 'astro:content';
import { type Archive, buildArchive } from './archive.ts';
import { type DigestOf, digestLookup } from './page-models.ts';

export interface SiteContent {
  archive: Archive;
  /** Abstract markdown (the file body) by arXiv id; '' when a paper has none. */
  abstracts: ReadonlyMap<string, string>;
  /**
   * The content loader's digest of a paper's file (front matter and abstract): it changes exactly when the
   * paper's data or abstract does, so page cache keys use it instead of hashing both (page-models.ts).
   */
  digestOf: DigestOf;
}

let loading: Promise<SiteContent> | undefined;

async function load(): Promise<SiteContent> {
  const [paperEntries, dayEntries] = await Promise.all([getCollection('papers'), getCollection('days')]);
  const abstracts = new Map<string, string>();
  const digests = new Map<string, string>();
  for (const entry of paperEntries) {
    abstracts.set(entry.data.id, entry.body ?? '');
    // The loader always sets one (paper-loader.ts); without it a key falls back to the data itself.
    digests.set(entry.data.id, entry.digest === undefined ? JSON.stringify([entry.data, entry.body]) : String(entry.digest));
  }
  return {
    archive: buildArchive(
      paperEntries.map((e) => e.data),
      dayEntries.map((e) => e.data),
    ),
    abstracts,
    digestOf: digestLookup(digests),
  };
}

/** The whole archive, grouped; the first call loads it, every later call gets the same promise. */
export function getSiteContent(): Promise<SiteContent> {
  loading ??= load();
  return loading;
}

export async function getArchive(): Promise<Archive> {
  return (await getSiteContent()).archive;
}
