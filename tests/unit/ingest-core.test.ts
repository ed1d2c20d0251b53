/** The pure pieces of the ingest: ids, days, TeX splitting, markdown, file format, paths, atomic writes. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fileStemToId, idToFileStem, isArxivId } from '../../src/lib/arxiv.ts';
import { addDays, dayRange, isDay, isoToDay, todayUtc } from '../../src/lib/dates.ts';
import { rateLimitWaitMs } from '../../src/lib/hf-client.ts';
import { validateElements } from '../../src/lib/ingest.ts';
import { abstractToMarkdown, mergeVolatile, normalizeElement } from '../../src/lib/normalize.ts';
import { parsePaperFile, serializePaper } from '../../src/lib/paper-file.ts';
import { parsePaperRelPath, paperRelPath, resolveInside } from '../../src/lib/paths.ts';
import { renderAbstractHtml } from '../../src/lib/render.ts';
import { ApiElementSchema } from '../../src/lib/schema.ts';
import { writeFileAtomic } from '../../src/lib/store.ts';
import { splitTex } from '../../src/lib/tex.ts';

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
  it('validates element by element, reporting id and reason', () => {
    const bad = element(1);
    bad.paper.upvotes = 'many';
    const { papers, rejected } = validateElements([element(0), bad, null, { paper: { id: '../x' } }], NOW);
    expect(papers).toHaveLength(1);
    expect(rejected.map((r) => r.id)).toEqual([JSON.stringify(bad.paper.id), '(no id)', '"../x"']);
    expect(rejected[0]!.reason).toMatch(/^paper\.upvotes: /);
  });
  it('a refresh keeps stable fields and takes only volatile ones', () => {
    const { paper: old } = normalizeElement(ApiElementSchema.parse(element()), NOW);
    const changed = { ...old, title: 'New', authors: ['X'], upvotes: old.upvotes + 1, aiSummary: 'new', githubStars: 7 };
    expect(mergeVolatile(old, changed)).toEqual({ ...old, upvotes: old.upvotes + 1, aiSummary: 'new', githubStars: 7 });
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
