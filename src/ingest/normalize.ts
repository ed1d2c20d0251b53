/**
 * From an API element to what Paperboy stores: hidden authors dropped, hard
 * wraps collapsed, the abstract turned into markdown that shows exactly the
 * raw text (a literal `<tag>` stays text) while `$...$` stays math.
 */
import { remark } from 'remark';
import remarkMath from 'remark-math';
import type { Paragraph, PhrasingContent, Root } from 'mdast';
import type { InlineMath } from 'mdast-util-math';
import { isoToDay } from '../archive/dates.ts';
import { type ApiElement, type Paper, VOLATILE_FIELDS } from '../archive/schema.ts';
import { splitTex } from '../render/tex.ts';
import { collapseWhitespace, stripInvalidXmlChars } from '../render/text.ts';

const markdownWriter = remark().use(remarkMath);

/**
 * The abstract as markdown. The text is built as a markdown syntax tree and
 * serialised by remark, which escapes whatever markdown would otherwise
 * interpret (`<`, `&`, `*`, `_`, `[`, stray `$`...), so the rendered result is
 * the raw text; math segments become inline math nodes, written as `$...$`.
 */
export function abstractToMarkdown(summary: string): string {
  const text = collapseWhitespace(summary);
  if (!text) return '';
  const children: PhrasingContent[] = splitTex(text).map((seg) =>
    seg.kind === 'text'
      ? { type: 'text', value: seg.value }
      : ({ type: 'inlineMath', value: seg.value.trim() } satisfies InlineMath as unknown as PhrasingContent),
  );
  const tree: Root = { type: 'root', children: [{ type: 'paragraph', children } satisfies Paragraph] };
  return String(markdownWriter.stringify(tree)).trim();
}

function clean(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = collapseWhitespace(value);
  return text === '' ? null : text;
}

/** The fields a refresh can set: the paper's front matter, and the abstract. */
export type PaperField = keyof Paper | 'abstract';

export interface NormalizedPaper {
  /** The paper as it would be archived for the first time: what the answer lacked has its default. */
  paper: Paper;
  abstract: string;
  /** The fields this answer actually carried a value for; a refresh takes nothing else from it. */
  present: ReadonlySet<PaperField>;
}

/** What a paper stores for `published` when the answer had no usable `publishedAt`: its list day. */
export function fallbackPublished(listDay: string): string {
  return `${listDay}T00:00:00.000Z`;
}

/**
 * `now` (ISO) becomes fetchedAt/updatedAt for a paper seen for the first time.
 * `askedDay` is the list day that was requested, used when the element does
 * not say its own (it must say it when there is no such day, as in an import).
 */
export function normalizeElement(element: ApiElement, now: string, askedDay?: string): NormalizedPaper {
  const p = element.paper;
  const listDay = (p.submittedOnDailyAt && isoToDay(p.submittedOnDailyAt)) ?? askedDay;
  if (!listDay) throw new Error(`paper ${p.id}: submittedOnDailyAt is not a date`);
  const present = new Set<PaperField>();
  const has = <T>(key: PaperField, value: T): T => {
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) present.add(key);
    return value;
  };
  const org = p.organization ?? element.organization;
  const submitter = p.submittedOnDailyBy ?? element.submittedBy;
  const orgName = org && clean(org.name);
  const submitterName = submitter && clean(submitter.name);
  const withdrawnAt = p.withdrawnAt === undefined ? undefined : new Date(p.withdrawnAt).toISOString();
  const title = collapseWhitespace(p.title?.trim() ? p.title : (element.title ?? ''));
  const paper: Paper = {
    id: p.id,
    title,
    authors: has('authors', p.authors.filter((a) => !a.hidden).map((a) => collapseWhitespace(a.name)).filter(Boolean)),
    published: p.publishedAt === undefined ? fallbackPublished(listDay) : has('published', new Date(p.publishedAt).toISOString()),
    listDay,
    upvotes: has('upvotes', p.upvotes) ?? 0,
    comments: has('comments', element.numComments) ?? 0,
    githubRepo: has('githubRepo', clean(p.githubRepo)),
    githubStars: has('githubStars', p.githubStars) ?? null,
    projectPage: has('projectPage', clean(p.projectPage)),
    keywords: has('keywords', (p.ai_keywords ?? []).map((k) => collapseWhitespace(k)).filter(Boolean)),
    aiSummary: has('aiSummary', clean(p.ai_summary)),
    organization: has('organization', orgName ? { name: orgName, fullname: clean(org.fullname) } : null),
    submittedBy: has('submittedBy', submitterName ? { name: submitterName, fullname: clean(submitter.fullname) } : null),
    thumbnail: has('thumbnail', clean(element.thumbnail)),
    ...(withdrawnAt === undefined ? {} : { withdrawnAt: has('withdrawnAt', withdrawnAt) }),
    fetchedAt: now,
    updatedAt: now,
  };
  present.add('title');
  const summary = p.summary?.trim() ? p.summary : (element.summary ?? '');
  const abstract = abstractToMarkdown(stripInvalidXmlChars(summary));
  if (abstract) present.add('abstract');
  return { paper, abstract, present };
}

export interface StoredPaper {
  paper: Paper;
  abstract: string;
}

/** Stable fields that an archived paper may lack (it was first archived from a degraded answer). */
const FILLABLE_FIELDS = ['authors', 'organization', 'submittedBy', 'thumbnail'] as const satisfies readonly (keyof Paper)[];

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * A refresh of a paper already archived. Volatile fields are taken from the
 * new answer only where it carries a value (null, absent or empty keeps what
 * is stored: a degraded answer never erases anything). Stable fields (title,
 * authors, abstract, list day...) keep the stored value, except that a stable
 * field the stored copy lacks is filled in, so a paper first archived from a
 * degraded answer heals. Timestamps are left to the caller.
 */
export function mergeRefresh(existing: StoredPaper, incoming: NormalizedPaper): StoredPaper {
  const merged: Paper = { ...existing.paper };
  const target = merged as Record<string, unknown>;
  for (const key of VOLATILE_FIELDS) if (incoming.present.has(key)) target[key] = incoming.paper[key];
  for (const key of FILLABLE_FIELDS) if (isEmpty(existing.paper[key]) && incoming.present.has(key)) target[key] = incoming.paper[key];
  if (existing.paper.published === fallbackPublished(existing.paper.listDay) && incoming.present.has('published')) {
    merged.published = incoming.paper.published;
  }
  const abstract = existing.abstract || (incoming.present.has('abstract') ? incoming.abstract : '');
  return { paper: merged, abstract };
}

/**
 * Whether a stored paper has what every real paper has: authors, an abstract
 * and its arXiv date. A paper archived from a degraded answer lacks one; its
 * day is not complete until a later answer fills it in.
 */
export function isWhole(stored: StoredPaper): boolean {
  return stored.paper.authors.length > 0 && stored.abstract !== '' && stored.paper.published !== fallbackPublished(stored.paper.listDay);
}

/**
 * Two stored copies of one paper (a hand copy, or a move interrupted between
 * its write and its delete): the kept copy's values win, and a field it lacks
 * is taken from the other, so removing the other copy loses nothing.
 */
export function fillEmpty(kept: StoredPaper, other: StoredPaper): StoredPaper {
  const merged: Paper = { ...kept.paper };
  const target = merged as Record<string, unknown>;
  for (const [key, value] of Object.entries(other.paper)) {
    if (key !== 'listDay' && isEmpty(target[key]) && !isEmpty(value)) target[key] = value;
  }
  return { paper: merged, abstract: kept.abstract || other.abstract };
}
