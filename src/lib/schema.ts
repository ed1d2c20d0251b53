/**
 * The one place that says what Paperboy's data looks like:
 * - `ApiElementSchema`: one element of `GET /api/daily_papers` (tolerant:
 *   unknown fields are ignored, optional fields may be absent or null);
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

const ApiAuthorSchema = z.object({
  name: z.string(),
  hidden: z.boolean().nullish(),
});

const ApiPaperSchema = z.object({
  id: z.string().refine(isArxivId, 'not a valid arXiv id'),
  title: z.string().min(1),
  summary: z.string(),
  authors: z.array(ApiAuthorSchema),
  publishedAt: isoTime,
  submittedOnDailyAt: isoTime,
  upvotes: count.nullish(),
  githubRepo: z.string().nullish(),
  githubStars: count.nullish(),
  projectPage: z.string().nullish(),
  ai_summary: z.string().nullish(),
  ai_keywords: z.array(z.string()).nullish(),
  organization: z.object({ name: z.string(), fullname: z.string().nullish() }).nullish(),
  submittedOnDailyBy: z.object({ user: z.string().nullish(), fullname: z.string().nullish() }).nullish(),
  withdrawnAt: z.string().nullish(),
});

export const ApiElementSchema = z.object({
  paper: ApiPaperSchema,
  numComments: count.nullish(),
  thumbnail: z.string().nullish(),
  submittedBy: z.object({ name: z.string().nullish(), fullname: z.string().nullish() }).nullish(),
  organization: z.object({ name: z.string(), fullname: z.string().nullish() }).nullish(),
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
  /** When the email digest for this day was sent (null: not sent). */
  digestSentAt: isoTime.nullable().default(null),
});
export type DayRecord = z.infer<typeof DayRecordSchema>;
