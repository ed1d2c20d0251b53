import { describe, expect, it } from 'vitest';
import { buildOrganizations, organizationOf } from '../../src/discovery/orgs.ts';
import { isSafeSegment } from '../../src/discovery/slug.ts';
import { buildTopics, normalizeKeyword, singularize, topicOfKeyword, topicPageCount, topicSlug } from '../../src/discovery/topics.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { makePaper } from '../helpers/make-paper.ts';

function paper(id: string, listDay: string, keywords: string[], upvotes = 0, organization: Paper['organization'] = null): Paper {
  return { ...makePaper(id, listDay, upvotes), keywords, organization };
}

describe('normalizeKeyword', () => {
  it('folds case, whitespace, hyphens and simple plurals into one topic', () => {
    for (const variant of ['Diffusion Models', 'diffusion model', '  DIFFUSION\tmodels ', 'diffusion-models', 'Diffusion_Model']) {
      expect(normalizeKeyword(variant), variant).toBe('diffusion model');
    }
    expect(normalizeKeyword('Large Language Models (LLMs)')).toBe('large language model');
    expect(normalizeKeyword('LLMs')).toBe('llm');
    expect(normalizeKeyword('llm')).toBe('llm');
    expect(normalizeKeyword('Fine-tuning')).toBe(normalizeKeyword('fine tuning'));
    expect(normalizeKeyword('ｆｕｌｌ－ｗｉｄｔｈ Ｍｏｄｅｌｓ')).toBe('full width model');
  });

  it('does not over-stem singular words that end in s', () => {
    for (const word of ['process', 'analysis', 'bias', 'robotics', 'corpus', 'loss', 'physics', 'lens', 'series', 'news', 'gas']) {
      expect(normalizeKeyword(word), word).toBe(word);
    }
    expect(normalizeKeyword('Data Analysis')).toBe('data analysis');
    expect(normalizeKeyword('gender bias')).toBe('gender bias');
    expect(normalizeKeyword('diffusion process')).toBe('diffusion process');
  });

  it('singularises regular plurals, acronyms and a few irregular ones', () => {
    expect(singularize('queries')).toBe('query');
    expect(singularize('patches')).toBe('patch');
    expect(singularize('losses')).toBe('loss');
    expect(singularize('processes')).toBe('process');
    expect(singularize('biases')).toBe('bias');
    expect(singularize('analyses')).toBe('analysis');
    expect(singularize('videos')).toBe('video');
    expect(singularize('images')).toBe('image');
    expect(singularize('gpus', 'GPUs')).toBe('gpu');
    expect(singularize('gpus')).toBe('gpus');
    expect(singularize('matrices')).toBe('matrix');
  });

  it('only changes the last word, and drops invisible characters', () => {
    expect(normalizeKeyword('neural radiance fields')).toBe('neural radiance field');
    expect(normalizeKeyword('reinforcement learning from human feedback')).toBe('reinforcement learning from human feedback');
    expect(normalizeKeyword('vision\u200b-language\u202e models')).toBe('vision language model');
  });

  it('returns undefined for keywords with no letters or digits', () => {
    for (const empty of ['', '   ', '()', '---', '\u200b', '"."']) expect(normalizeKeyword(empty), JSON.stringify(empty)).toBeUndefined();
  });
});

describe('topicSlug', () => {
  it('is readable for plain keys and keeps dotted versions', () => {
    expect(topicSlug('diffusion model')).toBe('diffusion-model');
    expect(topicSlug('gpt 3.5')).toBe('gpt-3.5');
    expect(topicSlug('3d gaussian splatting')).toBe('3d-gaussian-splatting');
  });

  it('adds a hash when the readable form would lose information, and never escapes its directory', () => {
    const hostile = ['c++', 'c#', 'c', '../../etc/passwd', '<script>alert(1)</script>', 'réseau', 'τ-divergence', '大模型', '.', 'a'.repeat(300)];
    const slugs = hostile.map((k) => topicSlug(normalizeKeyword(k) ?? k));
    for (const slug of slugs) {
      expect(isSafeSegment(slug), slug).toBe(true);
      expect(slug).not.toMatch(/[/\\]|\.\./);
      expect(slug.length).toBeLessThanOrEqual(80);
    }
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(topicSlug('c++')).toMatch(/^c-[0-9a-f]{8}$/);
  });
});

describe('buildTopics', () => {
  const papers = [
    paper('2401.00001', '2024-01-02', ['Diffusion Models', 'diffusion model'], 5),
    paper('2401.00002', '2024-01-03', ['diffusion models', 'process'], 1),
    paper('2401.00003', '2024-01-03', ['DIFFUSION MODELS', 'Process'], 9),
    paper('2401.00004', '2024-01-01', ['diffusion model', 'processes'], 2),
    paper('2401.00005', '2024-01-04', ['rare keyword'], 0),
  ];

  it('keeps topics with at least minPapers papers, counting a paper once, most papers first', () => {
    const index = buildTopics(papers, { minPapers: 2, maxTopics: 100 });
    expect(index.topics.map((t) => [t.key, t.papers.length])).toEqual([
      ['diffusion model', 4],
      ['process', 3],
    ]);
    expect(index.bySlug.get('diffusion-model')?.key).toBe('diffusion model');
  });

  it('lists papers newest list day first, then by upvotes', () => {
    const topic = buildTopics(papers, { minPapers: 2, maxTopics: 100 }).byKey.get('diffusion model')!;
    expect(topic.papers.map((p) => p.id)).toEqual(['2401.00003', '2401.00002', '2401.00001', '2401.00004']);
  });

  it('names a topic by its most common spelling', () => {
    const topic = buildTopics(papers, { minPapers: 2, maxTopics: 100 }).byKey.get('diffusion model')!;
    expect(topic.name).toBe('diffusion model');
  });

  it('bounds the number of topics and counts their pages', () => {
    const many = Array.from({ length: 30 }, (_, i) => paper(`2401.${String(i).padStart(5, '0')}`, '2024-01-02', ['a b', `k${i % 3}`]));
    const index = buildTopics(many, { minPapers: 1, maxTopics: 2 });
    expect(index.topics.map((t) => t.key)).toEqual(['a b', 'k0']);
    expect(topicPageCount(index, 7)).toBe(Math.ceil(30 / 7) + Math.ceil(10 / 7));
    expect(topicOfKeyword(index, 'A-B')?.slug).toBe('a-b');
    expect(topicOfKeyword(index, 'k2')).toBeUndefined();
  });
});

describe('buildOrganizations', () => {
  it('groups names case-insensitively with safe slugs, newest paper first', () => {
    const papers = [
      paper('2401.00001', '2024-01-02', [], 0, { name: 'ByteDance-Seed', fullname: 'ByteDance Seed' }),
      paper('2401.00002', '2024-01-03', [], 0, { name: 'bytedance-seed', fullname: null }),
      paper('2401.00003', '2024-01-03', [], 0, { name: '../../evil<script>', fullname: '<b>Evil</b>' }),
      paper('2401.00004', '2024-01-03', [], 0, null),
    ];
    const index = buildOrganizations(papers);
    expect(index.orgs.map((o) => o.slug)[0]).toBe('bytedance-seed');
    expect(index.orgs[0]!.papers.map((p) => p.id)).toEqual(['2401.00002', '2401.00001']);
    const evil = organizationOf(index, papers[2]!)!;
    expect(isSafeSegment(evil.slug)).toBe(true);
    expect(evil.slug).not.toContain('..');
    expect(evil.fullname).toBe('<b>Evil</b>');
    expect(organizationOf(index, papers[3]!)).toBeUndefined();
  });
});
