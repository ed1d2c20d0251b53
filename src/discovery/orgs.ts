/**
 * Organizations (the Hugging Face organization a paper was submitted under):
 * one page per organization at /orgs/<segment>/. The name comes from the API,
 * so it is treated as hostile: the segment is the lower-cased name only when
 * that is a safe single path segment, otherwise a readable part plus a hash.
 * Names are grouped case-insensitively (HF names are unique regardless of case),
 * so two spellings never fight over one directory on a case-insensitive disk.
 */
import type { Paper } from '../archive/schema.ts';
import { segmentFor, uniqueSegments } from './slug.ts';
import { newestFirst } from './topics.ts';

export interface Organization {
  /** The HF name as the newest paper spells it, e.g. `ByteDance-Seed`. */
  name: string;
  /** Display name (the newest paper's fullname, or the name). */
  fullname: string;
  slug: string;
  /** Newest list day first. */
  papers: Paper[];
}

export function orgKey(name: string): string {
  return name.trim().toLowerCase();
}

export function orgSlug(key: string): string {
  return segmentFor(key, key, true);
}

export interface OrganizationIndex {
  /** Most papers first, then by display name. */
  orgs: Organization[];
  byKey: ReadonlyMap<string, Organization>;
}

export function buildOrganizations(papers: Iterable<Paper>): OrganizationIndex {
  const grouped = new Map<string, Paper[]>();
  for (const paper of papers) {
    const name = paper.organization?.name;
    if (!name || !orgKey(name)) continue;
    const key = orgKey(name);
    let list = grouped.get(key);
    if (!list) grouped.set(key, (list = []));
    list.push(paper);
  }
  const slugs = uniqueSegments(grouped.keys(), orgSlug);
  const entries = [...grouped].map(([key, list]): [string, Organization] => {
    list.sort(newestFirst);
    const newest = list[0]!.organization!;
    const name = newest.name.trim();
    return [key, { name, fullname: (newest.fullname ?? '').trim() || name, slug: slugs.get(key)!, papers: list }];
  });
  entries.sort(
    ([ka, a], [kb, b]) => b.papers.length - a.papers.length || a.fullname.localeCompare(b.fullname, 'en') || (ka < kb ? -1 : 1),
  );
  return { orgs: entries.map(([, org]) => org), byKey: new Map(entries) };
}

/** The organization page of a paper, if it has an organization. */
export function organizationOf(index: OrganizationIndex, paper: Paper): Organization | undefined {
  const name = paper.organization?.name;
  return name ? index.byKey.get(orgKey(name)) : undefined;
}
