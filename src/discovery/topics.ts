/**
 * Topics: the papers' machine-generated keywords (HF `ai_keywords`) folded
 * together so that "Diffusion Models", "diffusion  model" and
 * "diffusion-models" are one topic. Normalisation is deliberately shallow:
 * case, Unicode width, whitespace and hyphens, a trailing "(ACRONYM)", and a
 * simple plural on the last word only. No stemming: "process", "analysis",
 * "bias" and "robotics" stay as they are. Pure: the pages get the grouped
 * result from src/site/discovery.ts.
 */
import type { Paper } from '../archive/schema.ts';
import { segmentFor, uniqueSegments } from './slug.ts';

/** Words ending in "s" that are singular (or whose plural is irregular). */
const SINGULAR_OR_IRREGULAR: Record<string, string> = {
  alias: 'alias',
  analyses: 'analysis',
  atlas: 'atlas',
  axes: 'axis',
  bias: 'bias',
  biases: 'bias',
  caches: 'cache',
  canvas: 'canvas',
  chaos: 'chaos',
  cosmos: 'cosmos',
  diagnoses: 'diagnosis',
  ethos: 'ethos',
  gas: 'gas',
  hypotheses: 'hypothesis',
  indices: 'index',
  matrices: 'matrix',
  vertices: 'vertex',
  lens: 'lens',
  lenses: 'lens',
  means: 'means',
  movies: 'movie',
  news: 'news',
  niches: 'niche',
  pandas: 'pandas',
  series: 'series',
  species: 'species',
  syntheses: 'synthesis',
  theses: 'thesis',
  metrics: 'metric',
  heuristics: 'heuristic',
  characteristics: 'characteristic',
};

/**
 * The singular of one word, by simple rules (`original` is the word as
 * written, to recognise plural acronyms such as "LLMs" and "GPUs").
 */
export function singularize(word: string, original = word): string {
  const known = SINGULAR_OR_IRREGULAR[word];
  if (known) return known;
  // Plural acronyms: upper case (or digits) followed by a lower-case s.
  if (/^[A-Z][A-Z0-9]*[A-Z]s$/.test(original)) return word.slice(0, -1);
  if (word.length < 4 || !word.endsWith('s')) return word;
  if (/(ss|us|is|ics)$/.test(word)) return word; // loss, corpus, analysis, robotics
  if (/[^aeiou]ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`; // queries, policies
  if (/(sses|shes|ches|xes|zzes)$/.test(word)) return word.slice(0, -2); // losses, patches, boxes
  return word.slice(0, -1); // models, images, videos, ideas, llms
}

const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const SEPARATORS = /[\s\-\u2010-\u2015_/]+/g;
const EDGE_PUNCTUATION = /^[\s.,;:!?'"`“”‘’]+|[\s.,;:!?'"`“”‘’]+$/g;

/**
 * The topic key of a keyword: lower case, NFKC, invisible characters dropped,
 * whitespace/hyphens/underscores/slashes as single spaces, a trailing
 * parenthesised part dropped ("large language models (LLMs)"), and the last
 * word singular. Undefined when nothing is left.
 */
export function normalizeKeyword(keyword: string): string | undefined {
  let text = keyword.normalize('NFKC').replace(/\s+/g, ' ').replace(INVISIBLE, '');
  const withoutParenthesis = text.replace(/\s*\([^()]*\)\s*$/, '');
  if (/[\p{L}\p{N}]/u.test(withoutParenthesis)) text = withoutParenthesis;
  text = text.replace(SEPARATORS, ' ').replace(EDGE_PUNCTUATION, '');
  if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
  const words = text.split(' ');
  const lastOriginal = words.at(-1)!;
  words[words.length - 1] = singularize(lastOriginal.toLowerCase(), lastOriginal);
  return words.join(' ').toLowerCase();
}

/** The URL segment of a topic key: `diffusion-model`, `gpt-3.5`; keys with other symbols or non-ASCII get a hash (`c-1a2b3c4d`). */
export function topicSlug(key: string): string {
  // Keys never hold hyphens (they became spaces), so this readable form maps back to exactly one key.
  const readable = key.replaceAll(' ', '-');
  return segmentFor(key, readable, /^[a-z0-9]+([-.][a-z0-9]+)*$/.test(readable));
}

export interface Topic {
  key: string;
  slug: string;
  /** The keyword as most papers write it (ties: the alphabetically first). */
  name: string;
  /** Newest list day first; within a day most upvoted first (ties: id). */
  papers: Paper[];
}

export interface TopicIndex {
  /** Topics with at least `minPapers` papers: most papers first, then by name. */
  topics: Topic[];
  bySlug: ReadonlyMap<string, Topic>;
  byKey: ReadonlyMap<string, Topic>;
  /** Each keyword as the papers wrote it, normalised once per build: its topic, or null when it has none. */
  byKeyword: ReadonlyMap<string, Topic | null>;
}

export interface TopicOptions {
  /** A keyword becomes a topic page when at least this many papers carry it. */
  minPapers: number;
  /** At most this many topics (the ones with the most papers): a hard bound on generated pages. */
  maxTopics: number;
}

/** Newest list day first, then most upvoted, then id: the order of topic and organization pages. */
export function newestFirst(a: Paper, b: Paper): number {
  if (a.listDay !== b.listDay) return a.listDay < b.listDay ? 1 : -1;
  return b.upvotes - a.upvotes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function displayName(forms: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [form, count] of forms) {
    if (count > bestCount || (count === bestCount && form < best)) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}

/** The topics of an archive's papers (a paper counts once per topic, however many variants it lists). */
export function buildTopics(papers: Iterable<Paper>, options: TopicOptions): TopicIndex {
  const grouped = new Map<string, { papers: Paper[]; forms: Map<string, number> }>();
  // Keywords repeat across papers: normalise each distinct one once (it is also what topicOfKeyword looks up per page).
  const normalized = new Map<string, { key: string | undefined; form: string }>();
  for (const paper of papers) {
    const seen = new Set<string>();
    for (const keyword of paper.keywords) {
      let known = normalized.get(keyword);
      if (!known) {
        known = { key: normalizeKeyword(keyword), form: keyword.normalize('NFKC').replace(/\s+/g, ' ').replace(INVISIBLE, '').trim() };
        normalized.set(keyword, known);
      }
      const { key, form } = known;
      if (!key) continue;
      let group = grouped.get(key);
      if (!group) grouped.set(key, (group = { papers: [], forms: new Map() }));
      group.forms.set(form, (group.forms.get(form) ?? 0) + 1);
      if (!seen.has(key)) {
        seen.add(key);
        group.papers.push(paper);
      }
    }
  }
  const minPapers = Math.max(1, options.minPapers);
  const kept = [...grouped]
    .filter(([, group]) => group.papers.length >= minPapers)
    .map(([key, group]) => ({ key, name: displayName(group.forms), papers: group.papers }))
    .sort((a, b) => b.papers.length - a.papers.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.key < b.key ? -1 : 1))
    .slice(0, Math.max(0, options.maxTopics));
  const slugs = uniqueSegments(kept.map((t) => t.key), topicSlug);
  const topics: Topic[] = kept.map((t) => ({ ...t, slug: slugs.get(t.key)!, papers: t.papers.sort(newestFirst) }));
  const byKey = new Map(topics.map((t) => [t.key, t]));
  const byKeyword = new Map<string, Topic | null>();
  for (const [keyword, { key }] of normalized) byKeyword.set(keyword, (key !== undefined && byKey.get(key)) || null);
  return { topics, bySlug: new Map(topics.map((t) => [t.slug, t])), byKey, byKeyword };
}

/** The topic page a keyword belongs to, if that topic has a page. */
export function topicOfKeyword(index: TopicIndex, keyword: string): Topic | undefined {
  const known = index.byKeyword.get(keyword);
  if (known !== undefined) return known ?? undefined;
  const key = normalizeKeyword(keyword);
  return key === undefined ? undefined : index.byKey.get(key);
}

/** Pages the topic listings take at `pageSize` papers per page (feeds not counted). */
export function topicPageCount(index: TopicIndex, pageSize: number): number {
  return index.topics.reduce((sum, t) => sum + Math.max(1, Math.ceil(t.papers.length / pageSize)), 0);
}
