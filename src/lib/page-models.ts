/**
 * What each cached page shows, gathered once per build in its getStaticPaths,
 * and the page's cache key for the incremental build (src/lib/output-cache.ts):
 * a page whose key and code version are unchanged since an earlier build is
 * linked from the cache instead of rendered again, so a daily build renders
 * only what a new list day changes.
 *
 * The rule that keeps this correct: the page renders from its model alone, and
 * the model's key function (next to it) hashes every field of the model.
 * Anything a page shows that is not in its model (a module-level lookup, the
 * clock, an environment variable) would go stale in a cached copy. A paper and
 * its abstract enter a key as the digest of the paper's file, which covers
 * both: hashing the text itself cost ~4 s per build at 50,000 papers.
 */
import { createHash } from 'node:crypto';
import { type Archive, type ListDay, neighbours } from './archive.ts';
import { type Organization, type OrganizationIndex, organizationOf } from './orgs.ts';
import type { ListPage } from './pagination.ts';
import { abstractExcerpt } from './render.ts';
import type { DayRecord, Paper } from './schema.ts';
import { type Topic, type TopicIndex, topicOfKeyword } from './topics.ts';

type Abstracts = ReadonlyMap<string, string>;

/** A short, stable hash of a JSON-serialisable value (arrays in a fixed order, so no key-order concerns). */
function cacheKeyOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27);
}
/** The digest of a paper's file (src/lib/content.ts `digests`). */
export type DigestOf = (paper: Paper) => string;

export function digestLookup(digests: ReadonlyMap<string, string>): DigestOf {
  return (paper) => {
    const digest = digests.get(paper.id);
    if (digest === undefined) throw new Error(`no content digest for paper ${paper.id}`);
    return digest;
  };
}

/** /papers/<slug>/ */
export interface PaperPageModel {
  paper: Paper;
  /** The abstract's markdown (the file body); '' when none is archived. */
  abstract: string;
  /** Slug of the paper's organization page, when it has one. */
  orgSlug: string | undefined;
  /** Per keyword (same order as paper.keywords): the slug of its topic page, when it has one. */
  keywordTopics: (string | undefined)[];
}

export function paperPageModel(paper: Paper, abstracts: Abstracts, discovery: { orgs: OrganizationIndex; topics: TopicIndex }): PaperPageModel {
  return {
    paper,
    abstract: abstracts.get(paper.id) ?? '',
    orgSlug: organizationOf(discovery.orgs, paper)?.slug,
    keywordTopics: paper.keywords.map((k) => topicOfKeyword(discovery.topics, k)?.slug),
  };
}

export function paperPageKey(model: PaperPageModel, digestOf: DigestOf): string {
  return cacheKeyOf([digestOf(model.paper), model.orgSlug, model.keywordTopics]);
}

/** A list day as /YYYY/MM/DD/ and the home page show it. */
export interface DayPageModel {
  day: string;
  /** Most upvoted first. */
  papers: Paper[];
  /** The start of each paper's abstract (plain text, TeX kept between `$`), same order. */
  excerpts: string[];
  record: DayRecord | undefined;
  /** The neighbouring list days (previous = older). */
  previous: string | undefined;
  next: string | undefined;
}

/** `excerptLength`: siteConfig.listExcerptLength. */
export function dayPageModel(archive: Archive, abstracts: Abstracts, listDay: ListDay, excerptLength: number): DayPageModel {
  return {
    day: listDay.day,
    papers: listDay.papers,
    excerpts: listDay.papers.map((p) => abstractExcerpt(abstracts.get(p.id) ?? '', excerptLength)),
    record: listDay.record,
    ...neighbours(archive, listDay.day),
  };
}

export function dayPageKey(model: DayPageModel, digestOf: DigestOf): string {
  return cacheKeyOf([model.day, model.papers.map(digestOf), model.record, model.previous, model.next]);
}

/** /topics/<slug>/atom.xml: the topic and its newest papers with their abstracts. */
export interface TopicFeedModel {
  topic: Pick<Topic, 'slug' | 'name' | 'papers'>;
  abstracts: string[];
}

export function topicFeedModel(topic: Topic, limit: number, abstracts: Abstracts): TopicFeedModel {
  const papers = topic.papers.slice(0, Math.max(0, limit));
  return { topic: { slug: topic.slug, name: topic.name, papers }, abstracts: papers.map((p) => abstracts.get(p.id) ?? '') };
}

export function topicFeedKey(model: TopicFeedModel, digestOf: DigestOf): string {
  return cacheKeyOf([model.topic.slug, model.topic.name, model.topic.papers.map(digestOf)]);
}

/** What a list page (topic, organization) shows of its page (src/lib/pagination.ts), papers as their digests. */
function listPageKeyParts(page: ListPage<Paper>, digestOf: DigestOf): unknown[] {
  const { number, from, to, newer, older, total, archive, items } = page;
  return [number, from, to, newer ?? null, older ?? null, total ?? null, archive ?? null, items.map(digestOf)];
}

/** /topics/<slug>/ and its archive pages /topics/<slug>/N/: the topic and one page of its papers. */
export interface TopicPageModel {
  topic: { slug: string; name: string };
  page: ListPage<Paper>;
}

export function topicPageKey(model: TopicPageModel, digestOf: DigestOf): string {
  return cacheKeyOf([model.topic.slug, model.topic.name, ...listPageKeyParts(model.page, digestOf)]);
}

/** /orgs/<slug>/ and its archive pages: the organization and one page of its papers. */
export interface OrgPageModel {
  org: Pick<Organization, 'slug' | 'name' | 'fullname'>;
  page: ListPage<Paper>;
}

export function orgPageKey(model: OrgPageModel, digestOf: DigestOf): string {
  return cacheKeyOf([model.org.slug, model.org.name, model.org.fullname, ...listPageKeyParts(model.page, digestOf)]);
}
