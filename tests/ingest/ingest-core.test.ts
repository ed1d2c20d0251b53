/** The pure pieces of the ingest: ids, days, TeX splitting, markdown, file format, paths, atomic writes. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fileStemToId, idToFileStem, isArxivId } from '../../src/archive/arxiv.ts';
import { addDays, dayRange, isDay, isoToDay, todayUtc } from '../../src/archive/dates.ts';
import { planCatchUp, type DayState } from '../../src/ingest/fetch-plan.ts';
import { CallBudget, rateLimitWaitMs } from '../../src/ingest/hf-client.ts';
import { validateElements } from '../../src/ingest/ingest.ts';
import { abstractToMarkdown, mergeRefresh, normalizeElement } from '../../src/ingest/normalize.ts';
import { parsePaperFile, serializePaper } from '../../src/archive/paper-file.ts';
import { parsePaperRelPath, paperRelPath, resolveInside } from '../../src/archive/paths.ts';
import { renderAbstractHtml } from '../../src/render/render.ts';
import { ApiElementSchema } from '../../src/archive/schema.ts';
import { writeFileAtomic } from '../../src/archive/store.ts';
import { splitTex } from '../../src/render/tex.ts';

const recorded: unknown[] = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/api/fixture-days.json'), 'utf8'));
const element = (i = 0) => structuredClone(recorded[i]) as any;
const NOW = '2024-01-04T06:00:00.000Z';

describe('arXiv ids', () => {
  it.each(['2401.12345', '0704.0001', '2401.12345v2', 'hep-th/9901001', 'math.CA/0611800v2', 'cond-mat/0102536'])('accepts %s', (id) => {
    expect(isArxivId(id)).toBe(true);
  });
  it.each(['', '2401.1', '2401.123456', '../2401.12345', '2401.12345/..', '/etc/passwd', 'hep-th/990100', 'HEP-TH/9901001', '2401.12345\n', 'a'.repeat(50), 'hep-th\\9901001'])(
    'rejects %j',
    (id) => expect(isArxivId(id)).toBe(false),
  );
  it('rejects non-strings such as the number gray-matter would make of 2401.10000', () => {
    expect(isArxivId(2401.1)).toBe(false);
  });
  it('stores old-style ids without a path separator, reversibly', () => {
    expect(idToFileStem('hep-th/9901001')).toBe('hep-th_9901001');
    expect(fileStemToId('hep-th_9901001')).toBe('hep-th/9901001');
    expect(fileStemToId('..')).toBeUndefined();
    expect(() => idToFileStem('../../x')).toThrow(/not a valid arXiv id/);
  });
});

describe('days', () => {
  it('validates real calendar days only', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2023-02-29')).toBe(false);
    expect(isDay('2024-1-01')).toBe(false);
  });
  it('computes in UTC across month and year ends', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(dayRange('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(dayRange('2024-01-02', '2024-01-01')).toEqual([]);
    expect(todayUtc(new Date('2024-01-01T23:30:00-05:00'))).toBe('2024-01-02');
    expect(isoToDay('2024-01-05T00:00:00.000Z')).toBe('2024-01-05');
  });
});

describe('TeX segments', () => {
  it('finds inline and display math and leaves prices alone', () => {
    expect(splitTex('cost $5 and $10')).toEqual([{ kind: 'text', value: 'cost $5 and $10' }]);
    expect(splitTex('with $x^2$ and $$\\sum_i a_i$$.')).toEqual([
      { kind: 'text', value: 'with ' },
      { kind: 'math', value: 'x^2', display: false },
      { kind: 'text', value: ' and ' },
      { kind: 'math', value: '\\sum_i a_i', display: true },
      { kind: 'text', value: '.' },
    ]);
  });
  it('treats \\$ as a literal dollar and an unclosed $ as text', () => {
    expect(splitTex('a \\$ b $ c')).toEqual([{ kind: 'text', value: 'a $ b $ c' }]);
  });
});

describe('abstract markdown', () => {
  it('joins hard wraps and keeps math as $...$', () => {
    expect(abstractToMarkdown('We study\n  $\\alpha$-nets\nhere.')).toBe('We study $\\alpha$-nets here.');
  });
  it('escapes whatever markdown would interpret, so raw text never becomes HTML', () => {
    const raw = '<script>alert(1)</script> & *a* _b_ [c](d) `e` # f $5';
    const md = abstractToMarkdown(raw);
    expect(md).not.toMatch(/(^|[^\\])<script>/);
    // Rendering the markdown back as text shows exactly the raw characters.
    expect(renderAbstractHtml(md, 'text')).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; *a* _b_ [c](d) `e` # f $5');
  });
  it('starts safely when the abstract begins with markdown syntax', () => {
    for (const start of ['# Heading', '- item', '1. item', '> quote', '+ x', '=== x']) {
      expect(renderAbstractHtml(abstractToMarkdown(start), 'text')).toContain(start.replace('>', '&gt;'));
    }
  });
});

describe('normalising an API element', () => {
  it('drops hidden authors, collapses title wraps and takes the list day from submittedOnDailyAt', () => {
    const e = element();
    e.paper.title = 'Line one\n  line two';
    e.paper.authors = [{ name: 'Shown', hidden: false }, { name: 'Hidden', hidden: true }, { name: ' Spaced\nName ' }];
    const { paper } = normalizeElement(ApiElementSchema.parse(e), NOW);
    expect(paper.title).toBe('Line one line two');
    expect(paper.authors).toEqual(['Shown', 'Spaced Name']);
    expect(paper.listDay).toBe(e.paper.submittedOnDailyAt.slice(0, 10));
    expect(paper.fetchedAt).toBe(NOW);
  });
  it('treats absent and null optional fields alike', () => {
    const a = element();
    const b = element();
    delete a.paper.githubRepo;
    delete a.paper.ai_keywords;
    b.paper.githubRepo = null;
    b.paper.ai_keywords = null;
    expect(normalizeElement(ApiElementSchema.parse(a), NOW)).toEqual(normalizeElement(ApiElementSchema.parse(b), NOW));
  });
  it('validates element by element: only a missing id or title costs the element, reported with id and reason', () => {
    const odd = element(1);
    odd.paper.upvotes = 'many';
    const untitled = element(2);
    delete untitled.paper.title;
    untitled.title = '   ';
    const { papers, rejected } = validateElements([element(0), odd, null, { paper: { id: '../x' } }, untitled], NOW);
    expect(papers.map((p) => p.paper.id)).toEqual([element(0).paper.id, odd.paper.id]);
    expect(papers[1]!.paper.upvotes).toBe(0);
    expect(rejected).toEqual([
      { id: '(no id)', reason: 'element: not an object' },
      { id: '"../x"', reason: 'paper.id: not a valid arXiv id' },
      { id: JSON.stringify(untitled.paper.id), reason: 'paper.title: missing or empty' },
    ]);
  });
  it('a refresh keeps stable fields and takes only the volatile ones the answer carries', () => {
    const stored = normalizeElement(ApiElementSchema.parse(element()), NOW);
    const e = element();
    e.paper.title = 'New';
    e.paper.authors = [{ name: 'X' }];
    e.paper.upvotes = stored.paper.upvotes + 1;
    e.paper.ai_summary = 'new';
    e.paper.githubStars = 7;
    delete e.paper.ai_keywords;
    e.paper.githubRepo = null;
    e.paper.projectPage = '';
    e.numComments = -1;
    const merged = mergeRefresh(stored, normalizeElement(ApiElementSchema.parse(e), '2024-02-01T00:00:00.000Z'));
    expect(merged).toEqual({ paper: { ...stored.paper, upvotes: stored.paper.upvotes + 1, aiSummary: 'new', githubStars: 7 }, abstract: stored.abstract });
  });
});

describe('lenient fields (the documented fallbacks of ApiElementSchema)', () => {
  const normalize = (mutate: (e: any) => void, day?: string) => {
    const e = element();
    mutate(e);
    const { papers, rejected } = validateElements([e], NOW, day);
    expect(rejected).toEqual([]);
    return papers[0]!;
  };
  it('keeps the paper when optional fields are odd, with the documented defaults', () => {
    const { paper, abstract, present } = normalize((e) => {
      e.paper.authors = [{ name: null }, { name: 'Kept', hidden: 'yes' }, 'not an object', { name: '  ' }, { name: 'Gone', hidden: true }];
      e.numComments = -1;
      e.paper.upvotes = '12';
      e.paper.githubStars = 3.9;
      e.paper.ai_keywords = ['kept', 7, null, { k: 1 }, '  '];
      e.paper.githubRepo = 42;
      e.paper.ai_summary = null;
      e.paper.summary = 123;
      e.summary = undefined;
      e.paper.organization = { fullname: 'no name' };
      e.organization = undefined;
      e.paper.publishedAt = 'yesterday';
      e.thumbnail = ['x'];
      e.paper.withdrawnAt = 'not a time';
    });
    expect(paper.authors).toEqual(['Kept']);
    expect(paper.comments).toBe(0);
    expect(paper.upvotes).toBe(12);
    expect(paper.githubStars).toBe(3);
    expect(paper.keywords).toEqual(['kept']);
    expect(paper.githubRepo).toBeNull();
    expect(paper.aiSummary).toBeNull();
    expect(abstract).toBe('');
    expect(paper.organization).toBeNull();
    expect(paper.published).toBe(`${paper.listDay}T00:00:00.000Z`);
    expect(paper.thumbnail).toBeNull();
    expect(paper).not.toHaveProperty('withdrawnAt');
    // A refresh takes only what was really there.
    expect([...present].sort()).toEqual(['authors', 'githubStars', 'keywords', 'submittedBy', 'title', 'upvotes']);
  });
  it('takes the title and abstract from the element when the paper lacks them', () => {
    const { paper, abstract } = normalize((e) => {
      e.title = 'Element title';
      e.summary = 'Element summary.';
      delete e.paper.title;
      e.paper.summary = '';
    });
    expect(paper.title).toBe('Element title');
    expect(abstract).toBe('Element summary.');
  });
  it('with no authors, abstract or counts at all, still archives the paper', () => {
    const { paper, abstract } = normalize((e) => {
      for (const key of Object.keys(e.paper)) if (!['id', 'title', 'submittedOnDailyAt'].includes(key)) delete e.paper[key];
      for (const key of Object.keys(e)) if (key !== 'paper') delete e[key];
    });
    expect(paper).toMatchObject({ authors: [], upvotes: 0, comments: 0, githubStars: null, keywords: [], organization: null, submittedBy: null });
    expect(abstract).toBe('');
  });
  it('files an element without its list day under the day that was asked for, and refuses a count beyond 2^53', () => {
    const { paper } = normalize((e) => {
      delete e.paper.submittedOnDailyAt;
      e.paper.upvotes = 1e300;
    }, '2024-02-03');
    expect(paper.listDay).toBe('2024-02-03');
    expect(paper.upvotes).toBe(0);
    const e = element();
    delete e.paper.submittedOnDailyAt;
    expect(validateElements([e], NOW).rejected[0]!.reason).toMatch(/^paper\.submittedOnDailyAt: missing/);
  });
  it('stores withdrawnAt when HF gives it', () => {
    const { paper } = normalize((e) => (e.paper.withdrawnAt = '2024-01-05T10:00:00.000Z'));
    expect(paper.withdrawnAt).toBe('2024-01-05T10:00:00.000Z');
    expect(parsePaperFile(serializePaper(paper, '')).paper.withdrawnAt).toBe('2024-01-05T10:00:00.000Z');
  });
});

describe('paper files', () => {
  it('round-trips, quotes every string and keeps ids strings', () => {
    const e = element();
    e.paper.id = '2401.10000';
    const { paper, abstract } = normalizeElement(ApiElementSchema.parse(e), NOW);
    const text = serializePaper(paper, abstract);
    expect(text).toMatch(/^id: "2401\.10000"$/m);
    expect(text).toMatch(/^listDay: "\d{4}-\d{2}-\d{2}"$/m);
    for (const line of text.split('---')[1]!.trim().split('\n')) {
      const value = line.replace(/^\s*(- |[A-Za-z]+: ?)/, '');
      if (value && !/^(\d+|null|true|false)$/.test(value)) expect(value.startsWith('"'), line).toBe(true);
    }
    expect(parsePaperFile(text)).toEqual({ paper, abstract });
    expect(serializePaper(paper, abstract)).toBe(text);
  });
  it('refuses a file whose id is not valid', () => {
    const { paper, abstract } = normalizeElement(ApiElementSchema.parse(element()), NOW);
    const text = serializePaper(paper, abstract).replace(/^id: .*$/m, 'id: 2401.1');
    expect(() => parsePaperFile(text)).toThrow();
  });
});

describe('paths', () => {
  it('builds day folders and never leaves the content directory', () => {
    expect(paperRelPath('2024-01-03', 'hep-th/9901001')).toBe('2024/01/03/hep-th_9901001.md');
    expect(parsePaperRelPath('2024/01/03/hep-th_9901001.md')).toEqual({ day: '2024-01-03', id: 'hep-th/9901001' });
    expect(parsePaperRelPath('2024/01/03/notes.md')).toBeUndefined();
    expect(() => resolveInside('/tmp/content', '../escape.md')).toThrow(/outside the content directory/);
    expect(() => paperRelPath('2024-01-03', '../../x')).toThrow();
  });
});

describe('atomic writes', () => {
  it('leaves the old file and no temp file when the final rename fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-atomic-'));
    const file = path.join(dir, 'a.md');
    fs.writeFileSync(file, 'old');
    const spy = vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw new Error('disk full');
    });
    try {
      expect(() => writeFileAtomic(file, 'new')).toThrow('disk full');
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['a.md']);
    writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['a.md']);
  });
});

describe('rate limits', () => {
  it('reads the seconds until reset from the RateLimit header', () => {
    expect(rateLimitWaitMs('"api";r=0;t=42')).toBe(42_000);
    expect(rateLimitWaitMs(null)).toBeUndefined();
    expect(rateLimitWaitMs('"api";r=0')).toBeUndefined();
  });
});

describe('the call budget', () => {
  it('counts calls and waits so that no window holds more than the limit, counting a call from its answer', async () => {
    let now = 0;
    const waits: number[] = [];
    const budget = new CallBudget(2, 1000, async (ms) => {
      waits.push(ms);
      now += ms;
    }, () => now);
    (await budget.take())();
    now += 100;
    (await budget.take())();
    now += 100;
    const answered = await budget.take(); // third call: waits until the first leaves the window
    expect(waits).toEqual([801]);
    now += 50;
    answered();
    expect(budget.calls).toBe(3);
    expect(budget.waitedMs).toBe(801);
  });
});

describe('the catch-up plan', () => {
  const records = new Map<string, DayState>([
    ['2024-03-01', { kind: 'recorded', count: 5, complete: true }],
    ['2024-03-05', { kind: 'recorded', count: 0, complete: false }],
    ['2024-03-08', { kind: 'recorded', count: 4, complete: true }],
    ['2024-03-09', { kind: 'recorded', count: 0, complete: true }],
    ['2024-03-10', { kind: 'unreadable' }],
    ['2024-03-11', { kind: 'recorded', count: 6, complete: true }],
  ]);
  const input = (today: string, lookback: number) => ({
    today,
    lookback,
    refreshDays: 2,
    knownDays: [...records.keys()],
    recordDays: new Set(records.keys()),
    read: (day: string) => records.get(day)!,
  });
  it('starts at the oldest day of the window without a complete record and runs through today', () => {
    const plan = planCatchUp(input('2024-03-12', 3));
    expect(plan.window).toEqual({ from: '2024-03-09', to: '2024-03-12' });
    // 03-09 is complete, 03-10 unreadable: fetched (and failed with the file's name) until it is fixed.
    expect(plan.days).toEqual(['2024-03-10', '2024-03-11', '2024-03-12']);
    expect(plan.needed).toBe(2);
    expect(plan.refresh).toEqual(['2024-03-01', '2024-03-08']);
    expect(plan.olderGaps).toEqual({ missing: 5, incomplete: 1, from: '2024-03-02', to: '2024-03-07' });
  });
  it('with everything before today complete, asks for today only; with no archive, reports no gap', () => {
    expect(planCatchUp(input('2024-03-12', 1)).days).toEqual(['2024-03-12']);
    expect(planCatchUp({ ...input('2024-03-12', 30), knownDays: [], recordDays: new Set(), read: () => ({ kind: 'missing' }) })).toMatchObject({
      days: [expect.any(String), ...Array(30).fill(expect.any(String))],
      olderGaps: undefined,
      refresh: [],
    });
  });
});
