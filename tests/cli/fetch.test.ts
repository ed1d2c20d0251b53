/**
 * The fetch command end to end: the real CLI against a local replay of the
 * API, with the faults the real one produces.
 */
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDayRecord, parsePaperFile } from '../../src/archive/paper-file.ts';
import { startReplayServer, type ReplayServer } from '../helpers/replay-server.ts';
import { clone, FETCH, realOnly, ROOT, runFetch, snapshot } from '../helpers/fetch-cli.ts';

const day = (d: string) => realOnly.filter((e) => e.paper.submittedOnDailyAt.startsWith(d));

/** 130 elements on one day, to force a second page at limit=100. */
function bigDay(date: string): any[] {
  const base = day('2024-01-02');
  return Array.from({ length: 130 }, (_, i) => {
    const e = clone(base[i % base.length]);
    e.paper.id = `2401.${String(90000 + i)}`;
    e.paper.upvotes = 1000 - i;
    e.paper.submittedOnDailyAt = `${date}T00:00:00.000Z`;
    return e;
  });
}

let server: ReplayServer;
let contentDir: string;
const TODAY = '2024-01-10';
const NOW = '2024-01-10T12:00:00.000Z';
const common = () => ['--api-base', server.baseUrl, '--content-dir', contentDir, '--now', NOW, '--refresh-days', '0'];

beforeAll(async () => {
  server = await startReplayServer({ elements: [...realOnly, ...bigDay('2024-01-08')], today: TODAY });
});
afterAll(() => server.close());
beforeEach(() => {
  contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-fetch-'));
  server.requests.length = 0;
});

describe('fetch from the API', () => {
  it('pages past 100 elements, writes one file per paper and a day record, and names Paperboy', async () => {
    const r = await runFetch([...common(), '--date', '2024-01-08']);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests.map((q) => new URL(q.url, 'http://x').searchParams.get('p'))).toEqual(['0', '1']);
    expect(server.requests[0]!.url).toContain('limit=100');
    expect(server.requests[0]!.userAgent).toMatch(/Paperboy/);
    const files = fs.readdirSync(path.join(contentDir, '2024/01/08'));
    expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(130);
    const record = parseDayRecord(fs.readFileSync(path.join(contentDir, '2024/01/08/day.json'), 'utf8'));
    expect(record).toMatchObject({ day: '2024-01-08', count: 130, complete: true, source: 'api' });
    expect(r.stdout).toMatch(/2024-01-08 +130 listed, 130 new/);
  });

  it('writes ids as strings, titles without hard wraps and abstracts as escaped markdown', async () => {
    const elements = clone(day('2024-01-03'));
    elements[0].paper.id = '2401.10000';
    elements[0].paper.title = 'A title\n  across lines';
    elements[0].paper.summary = 'We use <tag> & $x^2$\n  over lines.';
    server.setElements(elements);
    try {
      expect((await runFetch([...common(), '--date', '2024-01-03'])).code).toBe(0);
    } finally {
      server.setElements([...realOnly, ...bigDay('2024-01-08')]);
    }
    const text = fs.readFileSync(path.join(contentDir, '2024/01/03/2401.10000.md'), 'utf8');
    expect(text).toContain('id: "2401.10000"');
    const { paper, abstract } = parsePaperFile(text);
    expect(paper.id).toBe('2401.10000');
    expect(paper.title).toBe('A title across lines');
    expect(abstract).toBe('We use \\<tag> & $x^2$ over lines.');
  });

  it('is idempotent: the same answers twice change no file, not even a timestamp', async () => {
    expect((await runFetch([...common(), '--date', '2024-01-02'])).code).toBe(0);
    const before = snapshot(contentDir);
    const r = await runFetch([...common(), '--date', '2024-01-02', '--now', '2024-01-11T00:00:00.000Z']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 new, 0 updated, 16 unchanged/);
    expect(snapshot(contentDir)).toEqual(before);
  });

  it('a refresh changes only the volatile fields', async () => {
    expect((await runFetch([...common(), '--date', '2024-01-02'])).code).toBe(0);
    const id = day('2024-01-02')[0].paper.id;
    const file = path.join(contentDir, '2024/01/02', `${id}.md`);
    const before = parsePaperFile(fs.readFileSync(file, 'utf8'));
    const changed = clone(realOnly).map((e: any) => {
      if (e.paper.id !== id) return e;
      e.paper.upvotes += 50;
      e.numComments = 99;
      e.paper.githubStars = 12345;
      e.paper.ai_summary = 'A new machine summary.';
      e.paper.title = 'A Completely Different Title';
      e.paper.summary = 'A different abstract.';
      return e;
    });
    server.setElements(changed);
    try {
      const r = await runFetch([...common(), '--date', '2024-01-02', '--now', '2024-01-12T00:00:00.000Z']);
      expect(r.stdout).toMatch(/1 updated, 15 unchanged/);
    } finally {
      server.setElements([...realOnly, ...bigDay('2024-01-08')]);
    }
    const after = parsePaperFile(fs.readFileSync(file, 'utf8'));
    expect(after.paper).toEqual({
      ...before.paper,
      upvotes: before.paper.upvotes + 50,
      comments: 99,
      githubStars: 12345,
      aiSummary: 'A new machine summary.',
      updatedAt: '2024-01-12T00:00:00.000Z',
    });
    expect(after.abstract).toBe(before.abstract);
  });

  it('does not write a paper again under a later list day', async () => {
    const again = clone(day('2024-01-02')[0]);
    again.paper.submittedOnDailyAt = '2024-01-09T00:00:00.000Z';
    server.setElements([...realOnly, again]);
    try {
      expect((await runFetch([...common(), '--from', '2024-01-02', '--to', '2024-01-09'])).code).toBe(0);
    } finally {
      server.setElements([...realOnly, ...bigDay('2024-01-08')]);
    }
    expect(fs.existsSync(path.join(contentDir, '2024/01/09', `${again.paper.id}.md`))).toBe(false);
    expect(fs.existsSync(path.join(contentDir, '2024/01/02', `${again.paper.id}.md`))).toBe(true);
    const record = parseDayRecord(fs.readFileSync(path.join(contentDir, '2024/01/09/day.json'), 'utf8'));
    expect(record.papers).toEqual([again.paper.id]);
  });

  it('retries a 503 and succeeds', async () => {
    server.queueFault('2024-01-03', { kind: 'status', status: 503 });
    const r = await runFetch([...common(), '--date', '2024-01-03']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/HTTP 503; retrying/);
    expect(fs.readdirSync(path.join(contentDir, '2024/01/03')).length).toBe(day('2024-01-03').length + 1);
  });

  it('waits as a 429 RateLimit header says, then succeeds', async () => {
    server.queueFault('2024-01-03', { kind: 'status', status: 429, headers: { ratelimit: '"api";r=0;t=1', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' } });
    const started = Date.now();
    const r = await runFetch([...common(), '--date', '2024-01-03']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rate limited; waiting 1 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('fails the day on a truncated JSON body, changing no file, with one clear line', async () => {
    expect((await runFetch([...common(), '--date', '2024-01-03'])).code).toBe(0);
    const before = snapshot(contentDir);
    server.queueFault('2024-01-03', { kind: 'truncated' });
    const r = await runFetch([...common(), '--date', '2024-01-03', '--now', '2024-01-13T00:00:00.000Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^2024-01-03 +FAILED: page 0 is not valid JSON/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(contentDir)).toEqual(before);
  });

  it('reports a day after today as not published yet, exit 0, nothing written', async () => {
    const r = await runFetch([...common(), '--date', '2024-01-11']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2024-01-11 +not published yet/);
    expect(fs.readdirSync(contentDir)).toEqual([]);
  });

  it('does not trust an empty answer alone: the day stays incomplete until a later day answers with papers', async () => {
    const alone = await runFetch([...common(), '--date', '2024-01-06']);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/2024-01-06 +empty answer, not trusted until a later day has papers/);
    const recordFile = path.join(contentDir, '2024/01/06/day.json');
    expect(parseDayRecord(fs.readFileSync(recordFile, 'utf8'))).toMatchObject({ count: 0, papers: [], complete: false });
    // 2024-01-08 answers with papers in the same run: the weekend before it had no list.
    const confirmed = await runFetch([...common(), '--from', '2024-01-06', '--to', '2024-01-08']);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/2024-01-06 +no list that day/);
    expect(confirmed.stdout).toMatch(/2024-01-07 +no list that day/);
    expect(parseDayRecord(fs.readFileSync(recordFile, 'utf8'))).toMatchObject({ count: 0, papers: [], complete: true });
  });

  it('rejects hostile ids before they touch the file system, and skips invalid elements', async () => {
    const good = day('2024-01-03');
    const hostile = ['../../../../tmp/paperboy-escape', '2401.12345/../../x', '/etc/passwd', '2401.12345\u0000', 'CON', 2401.1].map((id) => {
      const e = clone(good[0]);
      e.paper.id = id;
      return e;
    });
    const extra = clone(good[1]);
    extra.brandNewField = { nested: true };
    extra.paper.anotherNewField = [1, 2, 3];
    const missing = clone(good[2]);
    delete missing.paper.title;
    delete missing.title; // the element's own copy of the title would do
    const elements = [...hostile, extra, missing, ...good.slice(3)];
    server.setElements(elements);
    try {
      const r = await runFetch([...common(), '--date', '2024-01-03']);
      // The rest of the day is written, and the run says it skipped something: exit 1.
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/; 7 element\(s\) SKIPPED$/m);
      expect(r.stderr).toContain('skipped element "../../../../tmp/paperboy-escape": paper.id: not a valid arXiv id');
      expect(r.stderr).toContain(`skipped element "${good[2].paper.id}": paper.title`);
      expect(r.stderr).toContain('skipped element 2401.1: paper.id');
    } finally {
      server.setElements([...realOnly, ...bigDay('2024-01-08')]);
    }
    expect(fs.existsSync('/tmp/paperboy-escape.md')).toBe(false);
    const written = fs.readdirSync(path.join(contentDir, '2024/01/03')).sort();
    expect(written).toContain(`${good[1].paper.id}.md`);
    expect(written).not.toContain(`${good[2].paper.id}.md`);
    expect(written).toHaveLength(1 + good.length - 3 + 1); // extra + the rest + day.json
    expect(fs.readdirSync(contentDir)).toEqual(['2024']);
  });

  it('in a range, one failing day does not stop the others; the summary names it; exit 1', async () => {
    for (let i = 0; i < 3; i++) server.queueFault('2024-01-02', { kind: 'status', status: 500 });
    const r = await runFetch([...common(), '--from', '2023-12-29', '--to', '2024-01-03', '--retries', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^2024-01-02 +FAILED: HTTP 500 after 3 attempts/m);
    expect(r.stdout).toMatch(/1 FAILED: 2024-01-02$/m);
    expect(fs.existsSync(path.join(contentDir, '2023/12/29/day.json'))).toBe(true);
    expect(fs.existsSync(path.join(contentDir, '2024/01/03/day.json'))).toBe(true);
    expect(fs.existsSync(path.join(contentDir, '2024/01/02'))).toBe(false);
  });

  it('refreshes the list days before the target', async () => {
    expect((await runFetch([...common(), '--from', '2023-12-29', '--to', '2024-01-02'])).code).toBe(0);
    server.requests.length = 0;
    const r = await runFetch([...common().slice(0, -2), '--refresh-days', '2', '--date', '2024-01-03']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Refreshing 2023-12-29, 2024-01-02 before 2024-01-03');
    expect(server.requests.map((q) => new URL(q.url, 'http://x').searchParams.get('date'))).toEqual(['2023-12-29', '2024-01-02', '2024-01-03']);
  });

  it('--dry-run reports and writes nothing', async () => {
    const r = await runFetch([...common(), '--date', '2024-01-02', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/16 new/);
    expect(r.stdout).toMatch(/dry run: nothing written/);
    expect(fs.readdirSync(contentDir)).toEqual([]);
  });

  it('writes a JSON summary for the workflow', async () => {
    const summaryFile = path.join(contentDir, '..', `summary-${path.basename(contentDir)}.json`);
    expect((await runFetch([...common(), '--date', '2024-01-02', '--summary-file', summaryFile])).code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ mode: 'days', failed: 0, skipped: 0, calls: 1, days: [{ day: '2024-01-02', status: 'ok', state: 'complete', listed: 16, written: 16 }] });
    expect(summary.days).toHaveLength(1);
  });
});

describe('usage', () => {
  it.each([
    [['--date', '2024-13-01'], /--date needs a date as YYYY-MM-DD/],
    [['--from', '2024-01-05'], /--from and --to go together/],
    [['--from', '2024-01-05', '--to', '2024-01-01'], /is after --to/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--refresh-days', '-1'], /--refresh-days/],
    [['--import'], /--import needs at least one file/],
    [['--api-base', 'file:///etc'], /--api-base needs an http\(s\) URL/],
    [['--lookback', '401'], /--lookback needs a whole number from 0 to 400/],
    [['--lookback', '3', '--date', '2024-01-02'], /--lookback is for the catch-up/],
    [['--rate-limit', '500'], /--rate-limit needs CALLS\/SECONDS/],
  ])('%j exits 2 with one clear line', async (args, message) => {
    const r = await runFetch([...args, '--content-dir', contentDir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('--help documents every option', async () => {
    const r = await runFetch(['--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--date', '--from', '--to', '--lookback', '--rate-limit', 'GITHUB_STEP_SUMMARY', '--refresh-days', '--api-base', 'PAPERBOY_API_BASE', '--content-dir', '--dry-run', '--import', '--summary-file', '--now', '--timeout', '--retries']) {
      expect(r.stdout).toContain(opt);
    }
  });
});

describe('import', () => {
  it('files recorded elements under their own list days, plain or gzipped', async () => {
    const gz = path.join(contentDir, '..', `rec-${path.basename(contentDir)}.json.gz`);
    fs.writeFileSync(gz, zlib.gzipSync(JSON.stringify(day('2024-01-02'))));
    const plain = path.join(ROOT, 'tests/fixtures/api/fixture-days.json');
    const r = await runFetch(['--import', gz, plain, '--content-dir', contentDir, '--now', '2024-01-04T06:00:00.000Z']);
    expect(r.code, r.stderr).toBe(0);
    // The committed fixture archive was made by exactly this import.
    for (const rel of fs.readdirSync(path.join(ROOT, 'tests/fixtures/archive'), { recursive: true }) as string[]) {
      const full = path.join(ROOT, 'tests/fixtures/archive', rel);
      if (!fs.statSync(full).isFile() || rel.startsWith('2023/12/3')) continue;
      expect(fs.readFileSync(path.join(contentDir, rel), 'utf8'), rel).toBe(fs.readFileSync(full, 'utf8'));
    }
    expect(fs.existsSync(path.join(contentDir, '2024/01/02/hep-th_9901001.md'))).toBe(true);
  });

  it('reports a file that is not JSON and exits 1', async () => {
    const bad = path.join(contentDir, '..', `bad-${path.basename(contentDir)}.json`);
    fs.writeFileSync(bad, '[{"paper": ');
    const r = await runFetch(['--import', bad, '--content-dir', contentDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not valid JSON/);
  });

  it('an interrupted run leaves no partial file, and the next run finishes the job', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => {
      const e = clone(realOnly[i % realOnly.length]);
      e.paper.id = `2402.${String(10000 + i)}`;
      return e;
    });
    const file = path.join(contentDir, '..', `many-${path.basename(contentDir)}.json`);
    fs.writeFileSync(file, JSON.stringify(many));
    const child = spawn(process.execPath, [FETCH, '--import', file, '--content-dir', contentDir], { stdio: 'ignore' });
    // Kill it as soon as it has started writing papers.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const dirs = ['2023/12/29', '2024/01/02', '2024/01/03'].map((d) => path.join(contentDir, d));
        if (dirs.some((d) => fs.existsSync(d) && fs.readdirSync(d).length > 5)) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    let checked = 0;
    for (const rel of fs.readdirSync(contentDir, { recursive: true }) as string[]) {
      if (!rel.endsWith('.md')) continue;
      parsePaperFile(fs.readFileSync(path.join(contentDir, rel), 'utf8'));
      checked++;
    }
    expect(checked).toBeLessThan(4000);
    const r = await runFetch(['--import', file, '--content-dir', contentDir]);
    expect(r.code).toBe(0);
    const all = (fs.readdirSync(contentDir, { recursive: true }) as string[]);
    expect(all.filter((f) => f.endsWith('.md'))).toHaveLength(4000);
    expect(all.filter((f) => f.includes('paperboy-tmp'))).toEqual([]);
  });
});
