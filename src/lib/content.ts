/**
 * The archive of this build, loaded from the content collections once and
 * shared by every page and endpoint: calling getCollection and grouping in
 * each page would repeat that work for every one of 50,000 pages.
 */
import { getCollection } from 'astro:content';
import { type Archive, buildArchive } from './archive.ts';

export interface SiteContent {
  archive: Archive;
  /** Abstract markdown (the file body) by arXiv id; '' when a paper has none. */
  abstracts: ReadonlyMap<string, string>;
}

let loading: Promise<SiteContent> | undefined;

async function load(): Promise<SiteContent> {
  const [paperEntries, dayEntries] = await Promise.all([getCollection('papers'), getCollection('days')]);
  const abstracts = new Map<string, string>();
  for (const entry of paperEntries) abstracts.set(entry.data.id, entry.body ?? '');
  return {
    archive: buildArchive(
      paperEntries.map((e) => e.data),
      dayEntries.map((e) => e.data),
    ),
    abstracts,
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
