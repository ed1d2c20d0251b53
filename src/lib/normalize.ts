/**
 * From an API element to what Paperboy stores: hidden authors dropped, hard
 * wraps collapsed, the abstract turned into markdown that shows exactly the
 * raw text (a literal `<tag>` stays text) while `$...$` stays math.
 */
import { remark } from 'remark';
import remarkMath from 'remark-math';
import type { Paragraph, PhrasingContent, Root } from 'mdast';
import type { InlineMath } from 'mdast-util-math';
import { isoToDay } from './dates.ts';
import { type ApiElement, type Paper, VOLATILE_FIELDS } from './schema.ts';
import { splitTex } from './tex.ts';
import { collapseWhitespace, stripInvalidXmlChars } from './text.ts';

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

export interface NormalizedPaper {
  paper: Paper;
  abstract: string;
}

/** `now` (ISO) becomes fetchedAt/updatedAt for a paper seen for the first time. */
export function normalizeElement(element: ApiElement, now: string): NormalizedPaper {
  const p = element.paper;
  const listDay = isoToDay(p.submittedOnDailyAt);
  if (!listDay) throw new Error(`paper ${p.id}: submittedOnDailyAt is not a date`);
  const org = p.organization ?? element.organization;
  const submitter = p.submittedOnDailyBy?.user
    ? { name: p.submittedOnDailyBy.user, fullname: p.submittedOnDailyBy.fullname ?? null }
    : element.submittedBy?.name
      ? { name: element.submittedBy.name, fullname: element.submittedBy.fullname ?? null }
      : null;
  const paper: Paper = {
    id: p.id,
    title: collapseWhitespace(p.title),
    authors: p.authors.filter((a) => !a.hidden).map((a) => collapseWhitespace(a.name)).filter(Boolean),
    published: new Date(p.publishedAt).toISOString(),
    listDay,
    upvotes: p.upvotes ?? 0,
    comments: element.numComments ?? 0,
    githubRepo: clean(p.githubRepo),
    githubStars: p.githubStars ?? null,
    projectPage: clean(p.projectPage),
    keywords: (p.ai_keywords ?? []).map((k) => collapseWhitespace(k)).filter(Boolean),
    aiSummary: clean(p.ai_summary),
    organization: org ? { name: collapseWhitespace(org.name), fullname: clean(org.fullname) } : null,
    submittedBy: submitter && { name: collapseWhitespace(submitter.name), fullname: clean(submitter.fullname) },
    thumbnail: clean(element.thumbnail),
    fetchedAt: now,
    updatedAt: now,
  };
  return { paper, abstract: abstractToMarkdown(stripInvalidXmlChars(p.summary)) };
}

/**
 * A refresh of a paper already archived: the stored, stable fields (title,
 * authors, abstract, list day...) win; only the volatile fields are taken
 * from the new answer. Timestamps are left to the caller.
 */
export function mergeVolatile(existing: Paper, incoming: Paper): Paper {
  const merged: Paper = { ...existing };
  for (const key of VOLATILE_FIELDS) (merged as Record<string, unknown>)[key] = incoming[key];
  return merged;
}
