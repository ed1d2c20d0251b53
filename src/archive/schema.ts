/**
 * The one place that says what Paperboy's data looks like:
 * - `ApiElementSchema`: one element of `GET /api/daily_papers`, strict only on
 *   the essentials (id, title) and lenient on the rest (the fallbacks are
 *   listed with it);
 * - `PaperSchema`: the front matter of `content/papers/YYYY/MM/DD/<id>.md`;
 * - `DayRecordSchema`: `content/papers/YYYY/MM/DD/day.json`, written for every
 *   fetched list day, empty ones included.
 * The fetch command validates with these and the Astro content collections
 * reuse them, so the site and the scripts cannot disagree.
 */
import { z } from 'zod';
import { isArxivId } from './arxiv.ts';
import { isDay } from './dates.ts';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date-time');
const count = z.number().int().nonnegative();

// ---------------------------------------------------------------- the HF API
//
// Lenient on everything but the essentials. An element is skipped only when its paper has no valid arXiv id
// (`paper.id`) or no title (`paper.title`, else the element's own copy `title`). Every other field that is
// missing, null or of the wrong type falls back instead of costing the paper. "Absent" below means: a paper
// archived for the first time gets the default, and a refresh of an archived paper keeps what is stored.
//   text (summary, githubRepo, projectPage, ai_summary, thumbnail, names)  a string, else absent
//                                                (summary: else the element's copy `summary`, else no abstract)
//   counts (upvotes, numComments, githubStars)   a number or a numeric string ("12"), rounded down; negative,
//                                                beyond 2^53 or anything else -> absent (new paper: 0; stars: none)
//   authors                                      not an array -> no authors; an author without a name -> dropped;
//                                                hidden only when `hidden` is true
//   ai_keywords                                  not an array -> absent; an entry that is not a string -> dropped
//   publishedAt, submittedOnDailyAt, withdrawnAt a date-time (YYYY-MM-DD...), else absent (publishedAt: the
//                                                list day; submittedOnDailyAt: the day that was asked for)
//   organization, submitter                      an object with a name, else absent
// Unknown fields are ignored.

const ISO_START = /^\d{4}-\d{2}-\d{2}/;

/** A transform that reads one field leniently: `read` returns undefined for "absent". */
const lenient = <T>(read: (value: unknown) => T | undefined) => z.unknown().optional().transform((value): T | undefined => read(value));

const readText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const readTime = (value: unknown): string | undefined =>
  typeof value === 'string' && ISO_START.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
const readCount = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  const whole = Math.floor(n);
  return Number.isSafeInteger(whole) ? whole : undefined;
};
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

const text = lenient(readText);
const time = lenient(readTime);
const apiCount = lenient(readCount);

const authors = z.unknown().optional().transform((value): { name: string; hidden: boolean }[] =>
  Array.isArray(value)
    ? value.filter((a) => isRecord(a) && hasText(a.name)).map((a) => ({ name: a.name as string, hidden: a.hidden === true }))
    : [],
);
const keywords = lenient((value) => (Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : undefined));
const organization = lenient((value) =>
  isRecord(value) && hasText(value.name) ? { name: value.name, fullname: readText(value.fullname) } : undefined,
);
/** `submittedOnDailyBy` names the user `user`; the element's `submittedBy` names it `name`. */
const person = (key: 'user' | 'name') =>
  lenient((value) => (isRecord(value) && hasText(value[key]) ? { name: value[key], fullname: readText(value.fullname) } : undefined));

const ApiPaperSchema = z.object(
  {
    id: z.custom<string>((value) => isArxivId(value), { error: 'not a valid arXiv id' }),
    title: text,
    summary: text,
    authors,
    publishedAt: time,
    submittedOnDailyAt: time,
    upvotes: apiCount,
    githubRepo: text,
    githubStars: apiCount,
    projectPage: text,
    ai_summary: text,
    ai_keywords: keywords,
    organization,
    submittedOnDailyBy: person('user'),
    withdrawnAt: time,
  },
  { error: 'missing or not an object' },
);

export const ApiElementSchema = z
  .object(
    {
      paper: ApiPaperSchema,
      title: text,
      summary: text,
      numComments: apiCount,
      thumbnail: text,
      submittedBy: person('name'),
      organization,
    },
    { error: 'not an object' },
  )
  .superRefine((element, ctx) => {
    if (!hasText(element.paper.title) && !hasText(element.title)) {
      ctx.addIssue({ code: 'custom', path: ['paper', 'title'], message: 'missing or empty' });
    }
  });
export type ApiElement = z.infer<typeof ApiElementSchema>;

// ---------------------------------------------------------- archived papers

const optionalString = z.string().nullable().default(null);

export const PersonSchema = z.object({ name: z.string(), fullname: z.string().nullable().default(null) });

export const PaperSchema = z.object({
  /** arXiv id, always a string (`2401.10000` must not become 2401.1). */
  id: z.string().refine(isArxivId, 'not a valid arXiv id'),
  title: z.string().min(1),
  /** Visible author names in order; hidden authors are dropped at ingest. */
  authors: z.array(z.string()).default([]),
  /** arXiv v1 submission time (ISO). */
  published: isoTime,
  /** The Daily Papers list day this paper appeared on (UTC, YYYY-MM-DD). */
  listDay: z.string().refine(isDay, 'not a YYYY-MM-DD day'),
  upvotes: count.default(0),
  comments: count.default(0),
  githubRepo: optionalString,
  githubStars: count.nullable().default(null),
  projectPage: optionalString,
  /** ai_keywords from HF: machine-generated. */
  keywords: z.array(z.string()).default([]),
  /** ai_summary from HF: machine-generated. */
  aiSummary: optionalString,
  organization: PersonSchema.nullable().default(null),
  /** The HF user who submitted the paper to the list (`name` is the user name). */
  submittedBy: PersonSchema.nullable().default(null),
  thumbnail: optionalString,
  /**
   * When the paper was withdrawn (HF `paper.withdrawnAt`, ISO); absent while it is not. The archive keeps a
   * withdrawn paper and says so on its page, in day lists and in feeds.
   */
  withdrawnAt: isoTime.optional(),
  /** When Paperboy first archived the paper. */
  fetchedAt: isoTime,
  /** When any field of this file last changed (equals fetchedAt until a refresh changes something). */
  updatedAt: isoTime,
});
export type Paper = z.infer<typeof PaperSchema>;

/** Fields that keep changing on HF for a week or two; a refresh updates only these. */
export const VOLATILE_FIELDS = [
  'upvotes',
  'comments',
  'githubRepo',
  'githubStars',
  'projectPage',
  'keywords',
  'aiSummary',
  'withdrawnAt',
] as const satisfies readonly (keyof Paper)[];

// --------------------------------------------------------------- list days

export const DayRecordSchema = z.object({
  day: z.string().refine(isDay, 'not a YYYY-MM-DD day'),
  /** How many papers the list held (0: no list that day, e.g. a weekend). */
  count,
  /** The ids on the list, sorted; some may be archived under an earlier day. */
  papers: z.array(z.string().refine(isArxivId, 'not a valid arXiv id')),
  /** 'api' when fetched from HF, 'import' when read from a recorded response. */
  source: z.enum(['api', 'import']),
  /**
   * True once the list was fetched after its UTC day had ended, so it no longer
   * grows; a day fetched while it was still filling stays false until a later run.
   */
  complete: z.boolean(),
  firstFetchedAt: isoTime,
  /** When this record last changed. Fetching again without changes leaves it as is. */
  updatedAt: isoTime,
  /**
   * When the email digest for this day was claimed for sending (null: not sent). The workflow writes and
   * pushes it before it mails (docs/digest.md), so a day is never mailed twice; a send that certainly reached
   * nobody sets it back to null.
   */
  digestSentAt: isoTime.nullable().default(null),
});
export type DayRecord = z.infer<typeof DayRecordSchema>;
