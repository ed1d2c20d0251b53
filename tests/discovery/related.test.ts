/**
 * Related papers (src/discovery/related.ts): shared topics weighted by rarity, ties
 * by upvotes then id, drawn only from the same and earlier list days with
 * rarity counted over those, and the early-stopping inverted index giving
 * exactly what scoring every pair would.
 */
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { buildRelated, topicWeight } from '../../src/discovery/related.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { makePaper } from '../helpers/make-paper.ts';
import { relatedByDefinition } from './related-reference.ts';

function paper(id: string, day: string, keywords: string[], upvotes = 0): Paper {
  return { ...makePaper(id, day, upvotes), keywords };
}

const ids = (list: readonly Paper[] | undefined) => (list ?? []).map((p) => p.id);
const relatedOf = (papers: Paper[], limit = 5) => buildRelated(buildArchive(papers).days, limit);

/** A small deterministic PRNG (mulberry32), so the random archives are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('related papers', () => {
  it('weigh a shared rare topic above a shared common one, even against more upvotes', () => {
    const papers = [
      paper('2401.00001', '2024-01-02', ['neural radiance field', 'large language model']),
      paper('2401.00002', '2024-01-02', ['Neural Radiance Fields'], 1), // shares the rare topic (a variant of it)
      paper('2401.00003', '2024-01-02', ['large language models'], 900), // shares the common one
      ...Array.from({ length: 6 }, (_, i) => paper(`2401.0010${i}`, '2024-01-02', ['LLM', 'large language model'], 500)),
    ];
    const related = relatedOf(papers);
    expect(ids(related.get('2401.00001'))[0]).toBe('2401.00002');
    expect(ids(related.get('2401.00001'))).toContain('2401.00003');
    expect(topicWeight(100, 2)).toBeGreaterThan(topicWeight(100, 50));
  });

  it('add up several shared topics, at most `limit` papers, never the paper itself or one sharing nothing', () => {
    const papers = [
      paper('2401.00001', '2024-01-02', ['a', 'b', 'c']),
      paper('2401.00002', '2024-01-02', ['a', 'b']),
      paper('2401.00003', '2024-01-02', ['a'], 50),
      paper('2401.00004', '2024-01-02', ['c'], 10),
      paper('2401.00005', '2024-01-02', ['zzz'], 999),
    ];
    // "c" (2 papers) is rarer than "a" (3 papers); two shared topics beat one.
    const related = relatedOf(papers, 2);
    expect(ids(related.get('2401.00001'))).toEqual(['2401.00002', '2401.00004']);
    expect(ids(relatedOf(papers).get('2401.00001'))).toEqual(['2401.00002', '2401.00004', '2401.00003']);
    expect(related.has('2401.00005')).toBe(false);
  });

  it('come only from the same and earlier list days, with rarity counted over those papers only', () => {
    const early = [
      paper('2401.00001', '2024-01-02', ['robot', 'diffusion model']),
      paper('2401.00002', '2024-01-02', ['robot'], 5),
      paper('2401.00003', '2024-01-01', ['diffusion model'], 1),
    ];
    // A later day that shares everything and makes "robot" very common.
    const later = [
      paper('2401.00009', '2024-01-03', ['robot', 'diffusion model'], 1000),
      ...Array.from({ length: 20 }, (_, i) => paper(`2401.002${String(i).padStart(2, '0')}`, '2024-01-04', ['robot'], 100)),
    ];
    const before = relatedOf(early);
    const after = relatedOf([...early, ...later]);
    expect(ids(after.get('2401.00001'))).not.toContain('2401.00009');
    for (const p of early) expect(ids(after.get(p.id)), p.id).toEqual(ids(before.get(p.id)));
    // The later paper does draw on the earlier ones.
    expect(ids(after.get('2401.00009')).slice(0, 1)).toEqual(['2401.00001']);
    // With the later days counted, "robot" would weigh less than "diffusion model" and the order would flip.
    expect(ids(before.get('2401.00001'))).toEqual(['2401.00002', '2401.00003']);
  });

  it('break ties by upvotes, then by id, whatever the input order', () => {
    const papers = [
      paper('2401.00001', '2024-01-02', ['topic']),
      paper('2401.00004', '2024-01-02', ['topic'], 7),
      paper('2401.00003', '2024-01-02', ['topic'], 9),
      paper('2401.00002', '2024-01-02', ['topic'], 7),
    ];
    const expected = ['2401.00003', '2401.00002', '2401.00004'];
    expect(ids(relatedOf(papers).get('2401.00001'))).toEqual(expected);
    expect(ids(relatedOf([...papers].reverse()).get('2401.00001'))).toEqual(expected);
  });

  it('are exactly what scoring every pair gives, on random archives with common and rare topics', () => {
    for (const seed of [1, 2, 3, 4]) {
      const next = random(seed);
      const papers: Paper[] = [];
      for (let i = 0; i < 400; i++) {
        const day = `2024-01-${String(1 + Math.floor(i / 20)).padStart(2, '0')}`;
        // A few common topics on many papers, rarer ones from a larger pool, duplicates within a paper too:
        // enough for the early stop to happen and for the commoner topics to still reorder its top.
        const common = Array.from({ length: Math.floor(next() * 4) }, () => `common ${Math.floor(next() * next() * 6)}`);
        const rare = Array.from({ length: 1 + Math.floor(next() * 4) }, () => `rare ${Math.floor(next() * 60)}`);
        const keywords = [...rare, ...common].sort(() => next() - 0.5);
        papers.push(paper(`2401.${String(10000 + i)}`, day, keywords, Math.floor(next() * 5)));
      }
      const fast = relatedOf(papers);
      const reference = relatedByDefinition(papers, 5);
      expect(new Map([...fast].map(([id, list]) => [id, ids(list)]))).toEqual(reference);
    }
  });
});
