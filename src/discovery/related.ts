/**
 * "Related papers": for each paper, the papers that share the most of its
 * topics, a topic counting more the rarer it is (smoothed inverse document
 * frequency, ln(1 + N / df)); ties go to the most upvoted, then the smaller id.
 *
 * Permanence: a paper's list is drawn only from papers listed on the same or
 * an earlier day, and rarity is counted over those same papers. So a later list
 * day never changes an older paper's list (and its page stays cached); only a
 * change to one of those papers can (upvotes reordering a tie, new keywords).
 *
 * Topics here are keyword keys (src/discovery/topics.ts normalizeKeyword), not topic
 * pages: which keywords get a page depends on the whole archive, later days
 * included.
 *
 * Cost: one pass over the days, oldest first, with an inverted index (topic ->
 * papers so far). A paper's topics are scanned rarest first, and the scan of
 * the remaining, commoner topics' papers stops as soon as no paper reached only
 * through them could enter the top `limit` (the "max score" bound), so the
 * huge postings of "large language model" are rarely walked. Pure.
 */
import { byUpvotes, type ListDay } from '../site/archive.ts';
import type { Paper } from '../archive/schema.ts';
import { normalizeKeyword } from './topics.ts';

/** Related papers by paper id, best first; papers with none are absent. */
export type RelatedIndex = ReadonlyMap<string, readonly Paper[]>;

/** The weight of a topic carried by `df` of `n` papers: rarer weighs more, always above zero. */
export function topicWeight(n: number, df: number): number {
  return Math.log(1 + n / df);
}

/** Float tolerance for the early stop's comparisons: a bound is only trusted when it clears this margin. */
const SLACK = 1 + 1e-9;

/**
 * The related papers of every paper of `days` (in any order; each list day's
 * papers once), at most `limit` each. `keyOf` maps a keyword to its topic key
 * (undefined: no topic).
 */
export function buildRelated(
  days: readonly ListDay[],
  limit: number,
  keyOf: (keyword: string) => string | undefined = normalizeKeyword,
): Map<string, Paper[]> {
  const related = new Map<string, Paper[]>();
  if (limit <= 0) return related;
  // Papers numbered oldest list day first: the papers before a day's last number are that day's "so far".
  const oldestFirst = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const papers = oldestFirst.flatMap((d) => d.papers);
  const total = papers.length;

  // Each paper's distinct keys as numbers, in one flat array (keyData[keyStart[i] .. keyStart[i + 1]]).
  // Keywords repeat across papers: each distinct one is normalised once.
  const keyOfKeyword = new Map<string, number>();
  const keyNumber = new Map<string, number>();
  const keyStart = new Int32Array(total + 1);
  const keyList: number[] = [];
  for (let i = 0; i < total; i++) {
    keyStart[i] = keyList.length;
    for (const keyword of papers[i]!.keywords) {
      let id = keyOfKeyword.get(keyword);
      if (id === undefined) {
        const key = keyOf(keyword);
        id = key === undefined ? -1 : (keyNumber.get(key) ?? keyNumber.size);
        if (key !== undefined && id === keyNumber.size) keyNumber.set(key, id);
        keyOfKeyword.set(keyword, id);
      }
      if (id >= 0 && !keyList.includes(id, keyStart[i])) keyList.push(id);
    }
  }
  keyStart[total] = keyList.length;
  const keyData = Int32Array.from(keyList);

  // The inverted index, flat as well: the papers of key k are postings[postStart[k] ..], oldest first, of which
  // the first df[k] are listed so far.
  const keys = keyNumber.size;
  const postStart = new Int32Array(keys + 1);
  for (const id of keyData) postStart[id + 1]!++;
  for (let k = 0; k < keys; k++) postStart[k + 1]! += postStart[k]!;
  const postings = new Int32Array(keyData.length);
  const df = new Int32Array(keys);
  for (let i = 0; i < total; i++) {
    for (let at = keyStart[i]!; at < keyStart[i + 1]!; at++) {
      const id = keyData[at]!;
      postings[postStart[id]! + df[id]!] = i;
      df[id]!++;
    }
  }
  df.fill(0);

  const scores = new Float64Array(total);
  // Ties between equal scores: most upvoted first, then the smaller id (a paper's place in that order).
  const tieOrder = new Int32Array(total);
  papers
    .map((paper, index) => ({ paper, index }))
    .sort((a, b) => byUpvotes(a.paper, b.paper))
    .forEach(({ index }, place) => (tieOrder[index] = place));
  const rank = (a: number, b: number): number => scores[b]! - scores[a]! || tieOrder[a]! - tieOrder[b]!;
  // mark[paper] === stamp: the paper is a live candidate of the paper being ranked.
  const mark = new Int32Array(total);
  let stamp = 0;
  const scratch = new Float64Array(limit);
  const has = (paper: number, id: number): boolean => {
    for (let at = keyStart[paper]!; at < keyStart[paper + 1]!; at++) if (keyData[at] === id) return true;
    return false;
  };

  let count = 0;
  for (const listDay of oldestFirst) {
    const first = count;
    count += listDay.papers.length;
    for (let i = first; i < count; i++) for (let at = keyStart[i]!; at < keyStart[i + 1]!; at++) df[keyData[at]!]!++;

    for (let self = first; self < count; self++) {
      // This paper's shared topics (carried by another paper so far), rarest first.
      const own: number[] = [];
      for (let at = keyStart[self]!; at < keyStart[self + 1]!; at++) if (df[keyData[at]!]! > 1) own.push(keyData[at]!);
      if (own.length === 0) continue;
      own.sort((a, b) => df[a]! - df[b]! || a - b);
      const weights = own.map((id) => topicWeight(count, df[id]!));
      // remaining[j]: the most a paper reached only through keys j.. could score.
      const remaining = new Float64Array(own.length + 1);
      for (let j = own.length - 1; j >= 0; j--) remaining[j] = remaining[j + 1]! + weights[j]!;

      const seen: number[] = [];
      let threshold = 0;
      let j = 0;
      for (; j < own.length; j++) {
        if (seen.length >= limit) {
          threshold = kthLargest(scores, seen, limit, scratch);
          if (threshold > remaining[j]! * SLACK) break;
        }
        const id = own[j]!;
        const w = weights[j]!;
        for (let at = postStart[id]!, end = at + df[id]!; at < end; at++) {
          const other = postings[at]!;
          if (other === self) continue;
          if (scores[other] === 0) seen.push(other);
          scores[other]! += w;
        }
      }
      // Stopped early: no paper not seen yet can reach the top. The seen ones that still can collect the
      // commoner keys they share, key by key in the same order as without the stop (so equal sums stay equal and
      // ties fall to upvotes), each key through its postings or through the candidates' own keys, whichever is
      // shorter. The others stay below the top with their partial scores.
      let alive = seen;
      for (; j < own.length; j++) {
        alive = alive.filter((other) => (scores[other]! + remaining[j]!) * SLACK >= threshold);
        const id = own[j]!;
        const w = weights[j]!;
        if (df[id]! < alive.length * 4) {
          stamp++;
          for (const other of alive) mark[other] = stamp;
          for (let at = postStart[id]!, end = at + df[id]!; at < end; at++) if (mark[postings[at]!] === stamp) scores[postings[at]!]! += w;
        } else {
          for (const other of alive) if (has(other, id)) scores[other]! += w;
        }
        threshold = kthLargest(scores, alive, limit, scratch);
      }
      related.set(papers[self]!.id, topOf(seen, limit, rank).map((i) => papers[i]!));
      for (const other of seen) scores[other] = 0;
    }
  }
  return related;
}

/** The k-th largest score among `indices` (k <= indices.length); `best` is scratch space of length >= k. */
function kthLargest(scores: Float64Array, indices: readonly number[], k: number, best: Float64Array): number {
  let n = 0;
  for (const i of indices) {
    const s = scores[i]!;
    if (n === k && s <= best[k - 1]!) continue;
    let at = n < k ? n++ : k - 1;
    for (; at > 0 && best[at - 1]! < s; at--) best[at] = best[at - 1]!;
    best[at] = s;
  }
  return best[k - 1]!;
}

/** The `limit` best of `indices` under `rank`, best first: a bounded insertion (`indices` may be long). */
function topOf(indices: readonly number[], limit: number, rank: (a: number, b: number) => number): number[] {
  const best: number[] = [];
  for (const i of indices) {
    if (best.length === limit && rank(i, best[limit - 1]!) >= 0) continue;
    let at = best.length === limit ? limit - 1 : best.length;
    for (; at > 0 && rank(i, best[at - 1]!) < 0; at--) best[at] = best[at - 1]!;
    best[at] = i;
  }
  return best;
}
