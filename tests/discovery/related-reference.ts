/**
 * Related papers straight from their definition (src/discovery/related.ts), scoring
 * every pair: slow, obviously right, the reference for the unit and build tests.
 */
import { topicWeight } from '../../src/discovery/related.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { normalizeKeyword } from '../../src/discovery/topics.ts';

/** Paper id -> the ids of its related papers, best first (papers with none are absent). */
export function relatedByDefinition(papers: Paper[], limit: number): Map<string, string[]> {
  const keysOf = new Map(papers.map((p) => [p.id, new Set(p.keywords.map((k) => normalizeKeyword(k)).filter((k) => k !== undefined))]));
  const result = new Map<string, string[]>();
  for (const p of papers) {
    const pool = papers.filter((q) => q.listDay <= p.listDay);
    const df = new Map<string, number>();
    for (const q of pool) for (const k of keysOf.get(q.id)!) df.set(k, (df.get(k) ?? 0) + 1);
    const scored = pool
      .filter((q) => q.id !== p.id)
      .map((q) => {
        const weights = [...keysOf.get(p.id)!].filter((k) => keysOf.get(q.id)!.has(k)).map((k) => topicWeight(pool.length, df.get(k)!));
        // Largest first: the order the fast version adds them in, so equal sums come out bit-identical.
        return { q, score: weights.sort((a, b) => b - a).reduce((s, w) => s + w, 0) };
      })
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score || b.q.upvotes - a.q.upvotes || (a.q.id < b.q.id ? -1 : 1))
      .slice(0, limit);
    if (scored.length) result.set(p.id, scored.map((c) => c.q.id));
  }
  return result;
}

