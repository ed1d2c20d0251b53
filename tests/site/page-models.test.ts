/**
 * Page models and their cache keys (src/site/page-models.ts): a cached page is
 * reused while its key is unchanged, so the key must change with everything the
 * page shows, and must not change with anything else (or nothing is reused).
 */
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { buildOrganizations } from '../../src/discovery/orgs.ts';
import { buildRelated } from '../../src/discovery/related.ts';
import {
  codePageKey,
  dayPageKey,
  dayPageModel,
  digestLookup,
  orgFeedKey,
  orgFeedModel,
  monthPageKey,
  monthPageModel,
  paperPageKey,
  paperPageModel,
  plainModelKey,
  topicFeedKey,
  topicFeedModel,
  topicPageKey,
  weekPageKey,
  weekPageModel,
  yearPageModel,
} from '../../src/site/page-models.ts';
import { stablePages } from '../../src/site/pagination.ts';
import type { Paper } from '../../src/archive/schema.ts';
import { buildTopics } from '../../src/discovery/topics.ts';
import { buildWeeks } from '../../src/discovery/weeks.ts';
import { makePaper, makeRecord } from '../helpers/make-paper.ts';

function withKeywords(paper: Paper, keywords: string[], org?: string): Paper {
  return { ...paper, keywords, organization: org ? { name: org, fullname: org, avatar: null } : null } as Paper;
}

const papers = [
  withKeywords(makePaper('2401.00001', '2024-01-02', 5), ['diffusion models', 'robots'], 'acme'),
  withKeywords(makePaper('2401.00002', '2024-01-02', 3), ['diffusion model']),
  withKeywords(makePaper('2401.00003', '2024-01-03', 9), ['Diffusion Models'], 'acme'),
];
const abstracts = new Map(papers.map((p) => [p.id, `Abstract of ${p.id}.`]));
const digests = new Map(papers.map((p) => [p.id, `digest-${p.id}`]));
const archive = buildArchive(papers, [makeRecord('2024-01-02', 2), makeRecord('2024-01-03', 1)]);
const discovery = { topics: buildTopics(papers, { minPapers: 2, maxTopics: 10 }), orgs: buildOrganizations(papers), related: buildRelated(archive.days, 5) };
const digestOf = digestLookup(digests);

describe('paper page model', () => {
  it('holds the paper, its abstract, its organization page and its keywords’ topic pages', () => {
    const model = paperPageModel(papers[0]!, abstracts, discovery);
    expect(model.abstract).toBe('Abstract of 2401.00001.');
    expect(model.orgSlug).toBeTruthy();
    // "diffusion models" has a topic (3 papers with variants), "robots" (1 paper) has none.
    expect(model.keywordTopics[0]).toBeTruthy();
    expect(model.keywordTopics[1]).toBeUndefined();
  });

  it('has a key that follows the file digest, the organization page and the topic pages', () => {
    const model = paperPageModel(papers[0]!, abstracts, discovery);
    const key = paperPageKey(model, digestOf);
    expect(paperPageKey(paperPageModel(papers[0]!, abstracts, discovery), digestOf)).toBe(key);
    expect(paperPageKey(model, () => 'digest-after-an-upvote')).not.toBe(key);
    expect(paperPageKey({ ...model, orgSlug: undefined }, digestOf)).not.toBe(key);
    expect(paperPageKey({ ...model, keywordTopics: [model.keywordTopics[0], 'robots'] }, digestOf)).not.toBe(key);
  });

  it('shows related papers from the same and earlier days, keyed by exactly what the page shows of them', () => {
    const model = paperPageModel(papers[2]!, abstracts, discovery);
    expect(model.related).toEqual([
      { id: '2401.00001', title: 'Paper 2401.00001' },
      { id: '2401.00002', title: 'Paper 2401.00002' },
    ]);
    // 2401.00003 is listed a day later: not related to 2401.00001's page.
    expect(paperPageModel(papers[0]!, abstracts, discovery).related.map((r) => r.id)).toEqual(['2401.00002']);
    const key = paperPageKey(model, digestOf);
    const withUpvotes = (upvotes: number) => {
      const changed = papers.map((p) => (p.id === '2401.00002' ? { ...p, upvotes } : p));
      const related = buildRelated(buildArchive(changed).days, 5);
      return paperPageKey(paperPageModel(changed[2]!, abstracts, { ...discovery, related }), digestOf);
    };
    // A related paper's new upvotes that keep the order change nothing on this page; a new order does.
    expect(withUpvotes(4)).toBe(key);
    expect(withUpvotes(6)).not.toBe(key);
    expect(paperPageKey({ ...model, related: [model.related[0]!, { id: '2401.00002', title: 'Renamed' }] }, digestOf)).not.toBe(key);
    expect(paperPageKey({ ...model, related: [model.related[0]!] }, digestOf)).not.toBe(key);
  });

  it('refuses to key a paper without a digest instead of caching it under a wrong key', () => {
    expect(() => digestLookup(new Map())(papers[0]!)).toThrow(/no content digest for paper 2401.00001/);
  });
});

describe('day page model', () => {
  it('carries the papers with the start of their abstracts, the record and the neighbouring days', () => {
    const model = dayPageModel(archive, abstracts, archive.byDay.get('2024-01-02')!, 15);
    expect(model.papers.map((p) => p.id)).toEqual(['2401.00001', '2401.00002']);
    expect(model.excerpts).toEqual(['Abstract of…', 'Abstract of…']);
    expect(dayPageModel(archive, abstracts, archive.byDay.get('2024-01-02')!, 100).excerpts).toEqual(['Abstract of 2401.00001.', 'Abstract of 2401.00002.']);
    expect(model).toMatchObject({ previous: undefined, next: '2024-01-03' });
  });

  it('has a key that changes when a new day appears next to it, the list completes or a paper changes', () => {
    const model = dayPageModel(archive, abstracts, archive.byDay.get('2024-01-02')!, 240);
    const key = dayPageKey(model, digestOf);
    expect(dayPageKey({ ...model, next: '2024-01-04' }, digestOf)).not.toBe(key);
    expect(dayPageKey({ ...model, record: { ...model.record!, complete: false } }, digestOf)).not.toBe(key);
    expect(dayPageKey(model, (p) => (p.id === '2401.00002' ? 'changed' : digestOf(p)))).not.toBe(key);
  });
});

describe('organization feed and code page keys', () => {
  it('organization feed: its newest papers only, keyed by slug, names and digests', () => {
    const org = discovery.orgs.orgs[0]!;
    const model = orgFeedModel(org, 1, abstracts);
    expect(model.org.papers.map((p) => p.id)).toEqual(['2401.00003']);
    expect(model.abstracts).toEqual(['Abstract of 2401.00003.']);
    const key = orgFeedKey(model, digestOf);
    expect(orgFeedKey(orgFeedModel(org, 2, abstracts), digestOf)).not.toBe(key);
    expect(orgFeedKey({ ...model, org: { ...model.org, fullname: 'Renamed' } }, digestOf)).not.toBe(key);
    expect(orgFeedKey(model, (p) => `${digestOf(p)}-changed`)).not.toBe(key);
  });

  it('code page: the page number, page count, total and the papers’ digests are part of the key', () => {
    const model = { page: stablePages(papers, 3)[0]! };
    const key = codePageKey(model, digestOf);
    expect(codePageKey({ page: stablePages(papers, 2)[0]! }, digestOf)).not.toBe(key);
    expect(codePageKey({ page: { ...model.page, total: 4 } }, digestOf)).not.toBe(key);
    expect(codePageKey(model, (p) => (p.id === '2401.00002' ? 'stars changed' : digestOf(p)))).not.toBe(key);
  });
});

describe('topic feed and topic page keys', () => {
  const topic = discovery.topics.topics[0]!;

  it('topic feed: the topic’s newest papers only, keyed by name, slug and digests', () => {
    const model = topicFeedModel(topic, 2, abstracts);
    expect(model.topic.papers.map((p) => p.id)).toEqual(['2401.00003', '2401.00001']);
    const key = topicFeedKey(model, digestOf);
    expect(topicFeedKey({ ...model, topic: { ...model.topic, name: 'Renamed' } }, digestOf)).not.toBe(key);
    expect(topicFeedKey(topicFeedModel(topic, 3, abstracts), digestOf)).not.toBe(key);
  });

  it('topic page: its archive pages do not change when the topic grows, only the list page does', () => {
    const model = (papersNewestFirst: typeof topic.papers, number: number) => ({
      topic: { slug: topic.slug, name: topic.name },
      page: stablePages(papersNewestFirst, 1).find((p) => p.number === number)!,
    });
    const older = topic.papers.slice(1); // the topic before its newest paper arrived
    expect(older.length).toBeGreaterThanOrEqual(2);
    expect(topicPageKey(model(topic.papers, 1), digestOf)).toBe(topicPageKey(model(older, 1), digestOf));
    expect(topicPageKey(model(topic.papers, 0), digestOf)).not.toBe(topicPageKey(model(older, 0), digestOf));
    expect(topicPageKey({ ...model(topic.papers, 1), topic: { slug: topic.slug, name: 'Renamed' } }, digestOf)).not.toBe(topicPageKey(model(topic.papers, 1), digestOf));
  });
});

describe('week, month and year page keys', () => {
  it('week: the ranking, its finality and the neighbouring weeks are part of the key', () => {
    const weeks = buildWeeks(archive, 3, new Date('2024-02-01T00:00:00Z'));
    const model = weekPageModel(weeks, 0);
    const key = weekPageKey(model, digestOf);
    expect(weekPageKey(weekPageModel(weeks, 0), digestOf)).toBe(key);
    expect(weekPageKey({ ...model, week: { ...model.week, final: !model.week.final } }, digestOf)).not.toBe(key);
    expect(weekPageKey({ ...model, newer: '2099-W01' }, digestOf)).not.toBe(key);
    expect(weekPageKey(model, (p) => `${digestOf(p)}!`)).not.toBe(key);
  });

  it('month: the calendar, the neighbours and the best papers as their digests are the key', () => {
    const summary = archive.months.get('2024-01')!;
    const best = { key: '2024-01', year: '2024', month: '01', paperCount: summary.paperCount, top: papers.slice(0, 2), final: false, finalFrom: '2024-02-14' };
    const month = monthPageModel(archive, summary, best);
    expect(month).toMatchObject({ key: '2024-01', previous: undefined, next: undefined });
    const key = monthPageKey(month, digestOf);
    expect(monthPageKey(monthPageModel(archive, summary, best), digestOf)).toBe(key);
    expect(monthPageKey({ ...month, next: '2024-02' }, digestOf)).not.toBe(key);
    expect(monthPageKey({ ...month, best: { ...month.best, final: true } }, digestOf)).not.toBe(key);
    expect(monthPageKey({ ...month, best: { ...month.best, top: papers.slice(0, 1) } }, digestOf)).not.toBe(key);
    expect(monthPageKey(month, (p) => `${digestOf(p)}!`)).not.toBe(key);
  });

  it('year: the whole plain model is the key', () => {
    const year = yearPageModel(archive, 0);
    expect(year.months.map((m) => m.key)).toEqual(['2024-01']);
    expect(plainModelKey({ ...year, paperCount: year.paperCount + 1 })).not.toBe(plainModelKey(year));
  });
});
