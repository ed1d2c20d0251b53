/**
 * What each cached page shows, gathered once per build in its getStaticPaths,
 * and the page's cache key for the incremental build (src/site/output-cache.ts):
 * a page whose key and code version are unchanged since an earlier build is
 * linked from the cache instead of rendered again, so a daily build renders
 * only what a new list day changes.
 *
 * The rule that keeps this correct: the page renders from its model alone, and
 * the model's key function (next to it) hashes every field of the model.
 * Anything a page shows that is not in its model (a module-level lookup, the
 * clock, an environment variable) would go stale in a cached copy. A paper and
 * its abstract enter a key as the digest of the paper's file, which covers
 * both, and costs nothing to compute (hashing the text itself took seconds per build).
 */
import { createHash } from 'node:crypto';
import { type Archive, type ListDay, type MonthSummary, neighbours } from './archive.ts';
import { type MonthGrid, monthGrid, monthNeighbours } from './calendar.ts';
import type { Discovery } from '../discovery/model.ts';
import type { MonthBest } from '../discovery/months.ts';
import { type Organization, organizationOf } from '../discovery/orgs.ts';
import type { ListPage } from './pagination.ts';
import { abstractExcerpt } from '../render/render.ts';
import type { DayRecord, Paper } from '../archive/schema.ts';
import { type Topic, topicOfKeyword } from '../discovery/topics.ts';
import type { Week } from '../discovery/weeks.ts';

type Abstracts = ReadonlyMap<string, string>;

/** A short, stable hash of a JSON-serialisable value (arrays in a fixed order, so no key-order concerns). */
function cacheKeyOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27);
}
/** The digest of a paper's file (src/site/content.ts `digests`). */
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
  /**
   * "Related papers" (src/discovery/related.ts), best first: only what the page shows of them, so that their other
   * changes (upvotes that leave the order as it is, comments...) do not re-render this page.
   */
  related: Pick<Paper, 'id' | 'title'>[];
}

export function paperPageModel(paper: Paper, abstracts: Abstracts, discovery: Pick<Discovery, 'orgs' | 'topics' | 'related'>): PaperPageModel {
  return {
    paper,
    abstract: abstracts.get(paper.id) ?? '',
    orgSlug: organizationOf(discovery.orgs, paper)?.slug,
    keywordTopics: paper.keywords.map((k) => topicOfKeyword(discovery.topics, k)?.slug),
    related: (discovery.related.get(paper.id) ?? []).map(({ id, title }) => ({ id, title })),
  };
}

export function paperPageKey(model: PaperPageModel, digestOf: DigestOf): string {
  return cacheKeyOf([digestOf(model.paper), model.orgSlug, model.keywordTopics, model.related.map((r) => [r.id, r.title])]);
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
  let excerpts: string[] | undefined;
  return {
    day: listDay.day,
    papers: listDay.papers,
    // Made when the page renders (the key does not need them): a daily build takes most day pages from the
    // cache, and cutting every abstract of the archive for them was a fixed cost per build.
    get excerpts() {
      excerpts ??= listDay.papers.map((p) => abstractExcerpt(abstracts.get(p.id) ?? '', excerptLength));
      return excerpts;
    },
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

/** /orgs/<slug>/atom.xml: the organization and its newest papers with their abstracts. */
export interface OrgFeedModel {
  org: Pick<Organization, 'slug' | 'name' | 'fullname' | 'papers'>;
  abstracts: string[];
}

export function orgFeedModel(org: Organization, limit: number, abstracts: Abstracts): OrgFeedModel {
  const papers = org.papers.slice(0, Math.max(0, limit));
  return { org: { slug: org.slug, name: org.name, fullname: org.fullname, papers }, abstracts: papers.map((p) => abstracts.get(p.id) ?? '') };
}

export function orgFeedKey(model: OrgFeedModel, digestOf: DigestOf): string {
  const { slug, name, fullname, papers } = model.org;
  return cacheKeyOf([slug, name, fullname, papers.map(digestOf)]);
}

/** What a list page (topic, organization) shows of its page (src/site/pagination.ts), papers as their digests. */
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

/** /weeks/YYYY-Www/: the week's ranking, its list days and the neighbouring weeks (newest first, as src/site/discovery.ts has them). */
export interface WeekPageModel {
  week: Pick<Week, 'key' | 'paperCount' | 'top' | 'final' | 'finalFrom'> & { days: { day: string; paperCount: number }[] };
  newer: string | undefined;
  older: string | undefined;
}

export function weekPageModel(weeks: readonly Week[], index: number): WeekPageModel {
  const { key, paperCount, top, final, finalFrom, days } = weeks[index]!;
  return {
    week: { key, paperCount, top, final, finalFrom, days: days.map((d) => ({ day: d.day, paperCount: d.papers.length })) },
    newer: weeks[index - 1]?.key,
    older: weeks[index + 1]?.key,
  };
}

export function weekPageKey(model: WeekPageModel, digestOf: DigestOf): string {
  return cacheKeyOf([{ ...model.week, top: model.week.top.map(digestOf) }, model.newer ?? null, model.older ?? null]);
}

/** /YYYY/MM/: the month's calendar, its most upvoted papers (src/discovery/months.ts) and the neighbouring months with papers. */
export interface MonthPageModel {
  key: string;
  year: string;
  month: string;
  paperCount: number;
  dayCount: number;
  grid: MonthGrid;
  previous: string | undefined;
  next: string | undefined;
  best: Pick<MonthBest, 'top' | 'final' | 'finalFrom'>;
}

export function monthPageModel(archive: Archive, summary: MonthSummary, best: MonthBest): MonthPageModel {
  return {
    key: summary.key,
    year: summary.year,
    month: summary.month,
    paperCount: summary.paperCount,
    dayCount: summary.days.length,
    grid: monthGrid(archive, summary.year, summary.month),
    ...monthNeighbours(archive, summary.key),
    best: { top: best.top, final: best.final, finalFrom: best.finalFrom },
  };
}

export function monthPageKey(model: MonthPageModel, digestOf: DigestOf): string {
  return cacheKeyOf({ ...model, best: { ...model.best, top: model.best.top.map(digestOf) } });
}

/** /YYYY/: the year's months with their counts and the neighbouring years. Plain data: its key is the whole model. */
export interface YearPageModel {
  year: string;
  paperCount: number;
  months: { key: string; year: string; month: string; paperCount: number; dayCount: number }[];
  newer: string | undefined;
  older: string | undefined;
}

export function yearPageModel(archive: Archive, index: number): YearPageModel {
  // Years are newest first.
  const summary = archive.years[index]!;
  return {
    year: summary.year,
    paperCount: summary.paperCount,
    months: summary.months.map((m) => ({ key: m.key, year: m.year, month: m.month, paperCount: m.paperCount, dayCount: m.days.length })),
    newer: archive.years[index - 1]?.year,
    older: archive.years[index + 1]?.year,
  };
}

/** The key of a model that holds plain data only (no papers): the model itself. */
export function plainModelKey(model: YearPageModel): string {
  return cacheKeyOf(model);
}

/** /code/ and its archive pages: one page of the papers with code, paginated like a topic page (stars are in each digest). */
export type CodePageModel = Pick<TopicPageModel, 'page'>;

export function codePageKey(model: CodePageModel, digestOf: DigestOf): string {
  return cacheKeyOf(['code', ...listPageKeyParts(model.page, digestOf)]);
}
