/**
 * What each cached page shows, gathered once per build in its getStaticPaths:
 * the page renders from its model alone, so the model's hash is the page's
 * incremental-build cache key (src/lib/page-cache.ts). Anything a page shows
 * that is not in its model would go stale in a cached copy: add it here.
 */
import { type Archive, type ListDay, neighbours } from './archive.ts';
import type { Discovery } from './discovery.ts';
import { organizationOf } from './orgs.ts';
import type { DayRecord, Paper } from './schema.ts';
import { type Topic, topicOfKeyword } from './topics.ts';

type Abstracts = ReadonlyMap<string, string>;

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

export function paperPageModel(paper: Paper, abstracts: Abstracts, discovery: Pick<Discovery, 'orgs' | 'topics'>): PaperPageModel {
  return {
    paper,
    abstract: abstracts.get(paper.id) ?? '',
    orgSlug: organizationOf(discovery.orgs, paper)?.slug,
    keywordTopics: paper.keywords.map((k) => topicOfKeyword(discovery.topics, k)?.slug),
  };
}

/** A list day as /YYYY/MM/DD/ and the home page show it. */
export interface DayPageModel {
  day: string;
  /** Most upvoted first. */
  papers: Paper[];
  /** Abstract markdown per paper, same order. */
  abstracts: string[];
  record: DayRecord | undefined;
  /** The neighbouring list days (previous = older). */
  previous: string | undefined;
  next: string | undefined;
}

export function dayPageModel(archive: Archive, abstracts: Abstracts, listDay: ListDay): DayPageModel {
  return {
    day: listDay.day,
    papers: listDay.papers,
    abstracts: listDay.papers.map((p) => abstracts.get(p.id) ?? ''),
    record: listDay.record,
    ...neighbours(archive, listDay.day),
  };
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

/** /YYYY/MM/DD/papers.json: the day, its papers with abstracts, and each paper's organization page. */
export interface DayPapersModel {
  listDay: ListDay;
  abstracts: string[];
  orgSlugs: (string | undefined)[];
}

export function dayPapersModel(listDay: ListDay, abstracts: Abstracts, discovery: Pick<Discovery, 'orgs'>): DayPapersModel {
  return {
    listDay,
    abstracts: listDay.papers.map((p) => abstracts.get(p.id) ?? ''),
    orgSlugs: listDay.papers.map((p) => organizationOf(discovery.orgs, p)?.slug),
  };
}
