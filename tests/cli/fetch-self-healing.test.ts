/**
 * The archive heals itself and never degrades silently (issue 12, the fetch
 * side): the real CLI against the replay server, in scripted sequences of runs
 * at chosen `--now` times. Synthetic lists: six papers every weekday, none at
 * weekends, every optional field filled, so a kept value can be told from an
 * erased one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dayRange } from '../../src/archive/dates.ts';
import { parseDayRecord, parsePaperFile } from '../../src/archive/paper-file.ts';
import { dayDir, dayRecordRelPath, paperRelPath } from '../../src/archive/paths.ts';
import { startReplayServer, type ReplayServer } from '../helpers/replay-server.ts';
import { clone, runFetch, snapshot, syntheticDay } from '../helpers/fetch-cli.ts';

const universe = new Map<string, any[]>();
for (const day of dayRange('2024-02-19', '2024-03-17')) {
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  universe.set(day, weekday === 0 || weekday === 6 ? [] : syntheticDay(day, 6));
}
const allElements = () => [...universe.values()].flat().map(clone);

let server: ReplayServer;
let contentDir: string;

beforeAll(async () => {
  server = await startReplayServer({ elements: allElements() });
});
afterAll(() => server.close());
beforeEach(() => {
  contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-heal-'));
  server.requests.length = 0;
  server.setRespond(undefined);
  server.setElements(allElements());
});

/** One run of the real command at `now`; the replay server's "today" moves with it. */
function at(now: string, args: string[], env: Record<string, string> = {}) {
  server.setToday(now.slice(0, 10));
  return runFetch(['--api-base', server.baseUrl, '--content-dir', contentDir, '--now', now, '--retries', '0', ...args], env);
}
const recordOf = (day: string) => parseDayRecord(fs.readFileSync(path.join(contentDir, dayRecordRelPath(day)), 'utf8'));
const recordText = (day: string) => fs.readFileSync(path.join(contentDir, dayRecordRelPath(day)), 'utf8');
const paperFile = (day: string, id: string) => path.join(contentDir, paperRelPath(day, id));
const paperOf = (day: string, id: string) => parsePaperFile(fs.readFileSync(paperFile(day, id), 'utf8'));
const requestedDays = () => [...new Set(server.requests.map((r) => r.date))];
const idsOf = (day: string) => universe.get(day)!.map((e) => e.paper.id).sort();
const summaryFile = () => path.join(contentDir, '..', `summary-${path.basename(contentDir)}.json`);
const readSummary = () => JSON.parse(fs.readFileSync(summaryFile(), 'utf8'));
/** A list fills during its day: before 06:00 UTC the day being asked for today has no papers yet. */
const notStartedBefore6 = (now: string) => (date: string, elements: unknown[]) => (date === now.slice(0, 10) && Number(now.slice(11, 13)) < 6 ? [] : elements);

describe('catch-up is the default', () => {
  it('fetches every day missed since the last run, through today, and then only what is left', async () => {
    // Monday 2024-03-04 08:00 on an empty archive, with a 5-day window.
    let r = await at('2024-03-04T08:00:00.000Z', ['--lookback', '5']);
    expect(r.code, r.stderr).toBe(0);
    expect(requestedDays()).toEqual(dayRange('2024-02-28', '2024-03-04'));
    expect(recordOf('2024-03-04')).toMatchObject({ count: 6, complete: false });

    // No run for four days (the schedule was down); Friday 10:00.
    server.requests.length = 0;
    r = await at('2024-03-08T10:00:00.000Z', ['--lookback', '6', '--refresh-days', '1', '--summary-file', summaryFile()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Catching up 2024-03-04 to 2024-03-08: 5 day\(s\), 5 without a complete record \(lookback 6 days, from 2024-03-02\); refreshing 2024-03-01 first$/m);
    expect(requestedDays()).toEqual(['2024-03-01', ...dayRange('2024-03-04', '2024-03-08')]);
    for (const day of dayRange('2024-02-28', '2024-03-07')) {
      expect(recordOf(day), day).toMatchObject({ papers: idsOf(day), complete: true });
    }
    expect(recordOf('2024-03-08')).toMatchObject({ count: 6, complete: false });
    const summary = readSummary();
    expect(summary).toMatchObject({ mode: 'catch-up', window: { from: '2024-03-02', to: '2024-03-08', lookback: 6 }, failed: 0, calls: 6 });
    expect(summary.days.map((d: any) => `${d.day} ${d.role} ${d.state}`)).toEqual([
      '2024-03-01 refresh complete',
      '2024-03-04 catch-up complete',
      '2024-03-05 catch-up complete',
      '2024-03-06 catch-up complete',
      '2024-03-07 catch-up complete',
      '2024-03-08 catch-up filling',
    ]);

    // The run after midnight: Friday is now over and complete; Saturday starts. Nothing older is asked again.
    server.requests.length = 0;
    r = await at('2024-03-09T02:37:00.000Z', ['--lookback', '6', '--refresh-days', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(requestedDays()).toEqual(['2024-03-08', '2024-03-09']);
    expect(recordOf('2024-03-08').complete).toBe(true);
  });

  it('a day fetched before its list started, then a day and a half of failed runs, is fetched again and completed', async () => {
    server.setRespond(notStartedBefore6('2024-03-11T00:30:00.000Z'));
    let r = await at('2024-03-11T00:30:00.000Z', ['--lookback', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(recordOf('2024-03-11')).toMatchObject({ count: 0, complete: false });
    // Every run until Tuesday night finds the API down.
    server.setRespond(() => ({ kind: 'status', status: 503 }));
    for (const now of ['2024-03-11T09:17:00.000Z', '2024-03-11T15:47:00.000Z', '2024-03-12T02:37:00.000Z', '2024-03-12T21:23:00.000Z']) {
      r = await at(now, ['--lookback', '4']);
      expect(r.code).toBe(1);
    }
    server.setRespond(undefined);
    server.requests.length = 0;
    r = await at('2024-03-13T02:37:00.000Z', ['--lookback', '4']);
    expect(r.code, r.stderr).toBe(0);
    // From the oldest incomplete day of the window (the weekend's unconfirmed empty answers), plus the refresh.
    expect(requestedDays()).toEqual(['2024-03-07', '2024-03-08', ...dayRange('2024-03-09', '2024-03-13')]);
    expect(recordOf('2024-03-11')).toMatchObject({ papers: idsOf('2024-03-11'), complete: true });
    expect(recordOf('2024-03-12')).toMatchObject({ papers: idsOf('2024-03-12'), complete: true });
    // The weekend's empty answers are trusted now that Monday answered with papers.
    expect(recordOf('2024-03-09')).toMatchObject({ count: 0, complete: true });
    expect(r.stdout).toMatch(/^2024-03-10 +no list that day/m);
  });

  it('reports the days older than the window that were never fetched in one line, with the backfill command, and fetches none of them', async () => {
    expect((await at('2024-02-21T10:00:00.000Z', ['--date', '2024-02-20'])).code).toBe(0);
    // A Saturday fetched alone: its empty answer is not confirmed, so it stays incomplete.
    expect((await at('2024-02-25T10:00:00.000Z', ['--date', '2024-02-24'])).code).toBe(0);
    server.requests.length = 0;
    const r = await at('2024-03-08T10:00:00.000Z', ['--lookback', '6', '--refresh-days', '0', '--summary-file', summaryFile()]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((line) => line.includes('lookback, not fetched'));
    expect(lines).toEqual([
      'Older than the 6-day lookback, not fetched: 9 day(s) never fetched and 1 day(s) incomplete between 2024-02-21 and 2024-03-01; ' +
        'backfill them with `npm run fetch -- --from 2024-02-21 --to 2024-03-01` (or the workflow\'s from/to inputs)',
    ]);
    expect(requestedDays()).toEqual(dayRange('2024-03-02', '2024-03-08'));
    expect(readSummary().olderGaps).toEqual({ missing: 9, incomplete: 1, from: '2024-02-21', to: '2024-03-01', command: 'npm run fetch -- --from 2024-02-21 --to 2024-03-01' });
  });

  it('counts its calls and keeps within the rate limit it is given', async () => {
    const started = Date.now();
    const r = await at('2024-03-08T10:00:00.000Z', ['--lookback', '7', '--refresh-days', '0', '--rate-limit', '3/1', '--summary-file', summaryFile()]);
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(8);
    for (let i = 0; i + 3 < server.requests.length; i++) {
      // Any four consecutive calls span at least the 1-second window (a millisecond of clock slack).
      expect(server.requests[i + 3]!.at - server.requests[i]!.at).toBeGreaterThanOrEqual(999);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(r.stderr).toMatch(/3 calls in the last 1 s \(the API's limit\): waiting/);
    expect(r.stdout).toMatch(/, 8 API call\(s\)/);
    expect(readSummary().calls).toBe(8);
  });
  it('with the API down, stops asking after three days in a row failed, names the rest as not asked, and the next run catches up', async () => {
    server.setRespond(() => ({ kind: 'status', status: 503 }));
    const r = await at('2024-03-08T10:00:00.000Z', ['--lookback', '7', '--refresh-days', '0']);
    expect(r.code).toBe(1);
    expect(requestedDays()).toEqual(['2024-03-01', '2024-03-02', '2024-03-03']);
    expect(r.stderr).toMatch(/^2024-03-04 +FAILED: not asked: the API failed for 3 days in a row; the next run tries again$/m);
    expect(r.stdout).toMatch(/8 FAILED: 2024-03-01, .*, 2024-03-08$/m);
    expect(fs.readdirSync(contentDir)).toEqual([]);
    server.setRespond(undefined);
    expect((await at('2024-03-08T15:47:00.000Z', ['--lookback', '7', '--refresh-days', '0'])).code).toBe(0);
    for (const day of dayRange('2024-03-01', '2024-03-07')) expect(recordOf(day).complete, day).toBe(true);
  });
});

describe('never downgrade', () => {
  it('a day that had papers and now answers an empty list is a failed day: record untouched, named, exit 1', async () => {
    expect((await at('2024-03-05T10:00:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    const before = snapshot(path.join(contentDir, dayDir('2024-03-04')));
    server.setRespond(() => []);
    const r = await at('2024-03-06T10:00:00.000Z', ['--date', '2024-03-04', '--summary-file', summaryFile()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^2024-03-04 +FAILED: HF answered an empty list, but 6 paper\(s\) are recorded for this day: record kept; the next run asks again$/m);
    expect(r.stdout).toMatch(/1 FAILED: 2024-03-04$/m);
    expect(snapshot(path.join(contentDir, dayDir('2024-03-04')))).toEqual(before);
    expect(readSummary().days).toEqual([expect.objectContaining({ day: '2024-03-04', status: 'failed' })]);
  });

  it('a paper that HF no longer lists stays archived and listed', async () => {
    expect((await at('2024-03-05T10:00:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    const dropped = idsOf('2024-03-04').slice(0, 2);
    server.setRespond((date, elements) => (date === '2024-03-04' ? elements.filter((e: any) => !dropped.includes(e.paper.id)) : elements));
    const r = await at('2024-03-06T10:00:00.000Z', ['--date', '2024-03-04']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2024-03-04 +6 listed, 0 new, 0 updated, 4 unchanged, 2 kept that HF no longer lists \(complete\)$/m);
    expect(recordOf('2024-03-04').papers).toEqual(idsOf('2024-03-04'));
    for (const id of dropped) expect(fs.existsSync(paperFile('2024-03-04', id))).toBe(true);
  });

  it('an empty answer during an outage never turns a weekday into "no list": it stays incomplete until answers agree', async () => {
    server.setRespond(notStartedBefore6('2024-03-05T01:00:00.000Z'));
    expect((await at('2024-03-05T01:00:00.000Z', ['--from', '2024-03-04', '--to', '2024-03-05'])).code).toBe(0);
    expect(recordOf('2024-03-05')).toMatchObject({ count: 0, complete: false });
    // The API answers [] for every day; the run after midnight asks for yesterday and today.
    server.setRespond(() => []);
    const outage = await at('2024-03-06T02:37:00.000Z', ['--from', '2024-03-05', '--to', '2024-03-06', '--refresh-days', '0', '--summary-file', summaryFile()]);
    expect(outage.code, outage.stderr).toBe(0);
    expect(recordOf('2024-03-05')).toMatchObject({ count: 0, complete: false });
    expect(outage.stdout).toMatch(/^2024-03-05 +empty answer, not trusted until a later day has papers: the next run asks again$/m);
    expect(outage.stdout).toMatch(/1 empty answer\(s\) not confirmed yet: 2024-03-05/);
    expect(readSummary().days.map((d: any) => d.state)).toEqual(['unconfirmed', 'filling']);
    server.setRespond(undefined);
    expect((await at('2024-03-06T10:00:00.000Z', ['--from', '2024-03-05', '--to', '2024-03-06'])).code).toBe(0);
    expect(recordOf('2024-03-05')).toMatchObject({ papers: idsOf('2024-03-05'), complete: true });
  });

  it('a degraded refresh keeps every stored value; real changes still arrive', async () => {
    const [first, second, third] = idsOf('2024-03-04');
    server.setRespond((date, elements) =>
      date !== '2024-03-04' ? elements : elements.map((e: any) => (e.paper.id === third ? { ...e, paper: { ...e.paper, githubRepo: undefined } } : e)),
    );
    expect((await at('2024-03-05T10:00:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    const before = new Map(idsOf('2024-03-04').map((id) => [id, paperOf('2024-03-04', id)]));
    expect(before.get(third!)!.paper.githubRepo).toBeNull();

    server.setRespond((date, elements) => {
      if (date !== '2024-03-04') return elements;
      return elements.map((original: any) => {
        const e = clone(original);
        if (e.paper.id === first) {
          // Absent, null or empty everywhere.
          delete e.paper.ai_keywords;
          e.paper.ai_summary = null;
          delete e.paper.githubRepo;
          e.paper.projectPage = '';
          delete e.paper.upvotes;
          e.numComments = null;
          delete e.paper.githubStars;
          e.paper.authors = null;
          delete e.paper.summary;
          delete e.summary;
          delete e.thumbnail;
          e.paper.organization = null;
          delete e.organization;
          delete e.paper.publishedAt;
        } else if (e.paper.id === second) {
          e.paper.upvotes += 5;
          e.numComments += 2;
          e.paper.githubStars += 40;
          e.paper.ai_keywords = ['a new keyword'];
        } else if (e.paper.id === third) {
          e.paper.githubRepo = 'https://github.com/example/new-repo';
        }
        return e;
      });
    });
    const r = await at('2024-03-12T10:00:00.000Z', ['--date', '2024-03-04']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/6 listed, 0 new, 2 updated, 4 unchanged/);
    const later = '2024-03-12T10:00:00.000Z';
    expect(paperOf('2024-03-04', first!)).toEqual(before.get(first!));
    const b = before.get(second!)!;
    expect(paperOf('2024-03-04', second!)).toEqual({
      abstract: b.abstract,
      paper: { ...b.paper, upvotes: b.paper.upvotes + 5, comments: b.paper.comments + 2, githubStars: b.paper.githubStars! + 40, keywords: ['a new keyword'], updatedAt: later },
    });
    const c = before.get(third!)!;
    expect(paperOf('2024-03-04', third!)).toEqual({ abstract: c.abstract, paper: { ...c.paper, githubRepo: 'https://github.com/example/new-repo', updatedAt: later } });
  });

  it('a paper first archived from a degraded answer is filled in by a later healthy one', async () => {
    const [id] = idsOf('2024-03-04');
    server.setRespond((date, elements) =>
      date !== '2024-03-04'
        ? elements
        : elements.map((e: any) => (e.paper.id !== id ? e : { paper: { id: e.paper.id, title: e.paper.title, submittedOnDailyAt: e.paper.submittedOnDailyAt } })),
    );
    expect((await at('2024-03-05T10:00:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    const degraded = paperOf('2024-03-04', id!);
    expect(degraded.paper).toMatchObject({ authors: [], upvotes: 0, organization: null, thumbnail: null, published: '2024-03-04T00:00:00.000Z' });
    expect(degraded.abstract).toBe('');
    // Fetched after the day ended, but one paper came without authors, abstract or date: not complete, so asked again.
    expect(recordOf('2024-03-04')).toMatchObject({ count: 6, complete: false });
    server.setRespond(undefined);
    server.requests.length = 0;
    const r = await at('2024-03-06T10:00:00.000Z', ['--lookback', '2', '--refresh-days', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(requestedDays()[0]).toBe('2024-03-04');
    expect(recordOf('2024-03-04').complete).toBe(true);
    const healed = paperOf('2024-03-04', id!);
    const source = universe.get('2024-03-04')!.find((e) => e.paper.id === id);
    expect(healed.paper).toMatchObject({
      title: degraded.paper.title,
      authors: source.paper.authors.map((a: any) => a.name),
      published: source.paper.publishedAt,
      organization: { name: 'example-org', fullname: 'Example Org' },
      thumbnail: source.thumbnail,
      keywords: source.paper.ai_keywords,
      fetchedAt: degraded.paper.fetchedAt,
    });
    expect(healed.abstract).toBe('We study 2403.04000 and find $x^2$ results.');
  });
  it('a day stays incomplete while a paper stored under it lacks authors, even when the answer after its end leaves that paper out', async () => {
    const [id] = idsOf('2024-03-04');
    server.setRespond((date, elements) =>
      date !== '2024-03-04' ? elements : elements.map((e: any) => (e.paper.id !== id ? e : { ...e, paper: { ...e.paper, authors: [] } })),
    );
    expect((await at('2024-03-04T20:00:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    server.setRespond((date, elements) => (date !== '2024-03-04' ? elements : elements.filter((e: any) => e.paper.id !== id)));
    expect((await at('2024-03-05T02:37:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    expect(recordOf('2024-03-04')).toMatchObject({ count: 6, complete: false });
    server.setRespond(undefined);
    expect((await at('2024-03-05T09:17:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    expect(recordOf('2024-03-04').complete).toBe(true);
    expect(paperOf('2024-03-04', id!).paper.authors).toEqual(['Ada 0', 'Grace Hopper']);
  });
});

describe('lenient on all but the essentials', () => {
  it('archives papers with odd optional fields, skips only those without a valid id or a title, names each, exits 1', async () => {
    const [a, b, c, d, e, f] = idsOf('2024-03-04');
    server.setRespond((date, elements) => {
      if (date !== '2024-03-04') return elements;
      return elements.map((original: any) => {
        const el = clone(original);
        if (el.paper.id === a) el.numComments = -1;
        if (el.paper.id === b) el.paper.authors = [{ name: null }, { name: 'Kept Author', hidden: false }];
        if (el.paper.id === c) el.paper.upvotes = '12';
        if (el.paper.id === d) el.paper.ai_keywords = [1, 'kept keyword', null];
        if (el.paper.id === e) {
          delete el.paper.title;
          el.title = '';
        }
        if (el.paper.id === f) el.paper.id = 'not-an-id';
        return el;
      });
    });
    const stepSummary = path.join(contentDir, '..', `step-${path.basename(contentDir)}.md`);
    const r = await at('2024-03-05T10:00:00.000Z', ['--date', '2024-03-04', '--summary-file', summaryFile()], { GITHUB_STEP_SUMMARY: stepSummary });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`2024-03-04: skipped element "${e}": paper.title: missing or empty`);
    expect(r.stderr).toContain('2024-03-04: skipped element "not-an-id": paper.id: not a valid arXiv id');
    expect(r.stdout).toMatch(/^Done: .*; 2 element\(s\) SKIPPED$/m);
    expect(paperOf('2024-03-04', a!).paper.comments).toBe(0);
    expect(paperOf('2024-03-04', b!).paper.authors).toEqual(['Kept Author']);
    expect(paperOf('2024-03-04', c!).paper.upvotes).toBe(12);
    expect(paperOf('2024-03-04', d!).paper.keywords).toEqual(['kept keyword']);
    expect(recordOf('2024-03-04').papers).toEqual([a, b, c, d].sort());
    const summary = readSummary();
    expect(summary.skipped).toBe(2);
    expect([...summary.days[0].skipped].sort((x: any, y: any) => (x.id < y.id ? -1 : 1))).toEqual([
      { id: `"${e}"`, reason: 'paper.title: missing or empty' },
      { id: '"not-an-id"', reason: 'paper.id: not a valid arXiv id' },
    ]);
    const md = fs.readFileSync(stepSummary, 'utf8');
    expect(md).toContain('**0 day(s) failed, 2 element(s) skipped**');
    expect(md).toContain(`- 2024-03-04: "${e}": paper.title: missing or empty`);
  });
});

describe('corrupt files are named', () => {
  it('a broken day.json fails its day in one line naming the file; the other days still run', async () => {
    expect((await at('2024-03-05T10:00:00.000Z', ['--from', '2024-03-01', '--to', '2024-03-04'])).code).toBe(0);
    const broken = path.join(contentDir, dayRecordRelPath('2024-03-04'));
    fs.writeFileSync(broken, '{"day": "2024-03-04", "count": ');
    server.requests.length = 0;
    const r = await at('2024-03-06T10:00:00.000Z', ['--from', '2024-03-05', '--to', '2024-03-06', '--refresh-days', '2']);
    expect(r.code).toBe(1);
    expect(requestedDays()).toEqual(['2024-03-01', '2024-03-04', '2024-03-05', '2024-03-06']);
    const failures = r.stderr.split('\n').filter((line) => line.includes('FAILED'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(new RegExp(`^2024-03-04 +FAILED: ${escapeRe(broken)}: not a valid day record \\(.*JSON.*\\); fix or delete it$`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(broken, 'utf8')).toBe('{"day": "2024-03-04", "count": ');
    expect(recordOf('2024-03-05')).toMatchObject({ papers: idsOf('2024-03-05'), complete: true });
  });

  it.each([
    ['broken YAML', (text: string) => text.replace(/^title: .*$/m, 'title: "unterminated'), /not a valid paper file \(YAML.*\); fix or delete it$/],
    ['a field the schema refuses', (text: string) => text.replace(/^upvotes: .*$/m, 'upvotes: -5'), /not a valid paper file \(upvotes: .*\); fix or delete it$/],
  ])('a paper file with %s fails its day in one line naming the file, changing nothing there', async (_name, corrupt, reason) => {
    expect((await at('2024-03-05T10:00:00.000Z', ['--date', '2024-03-04'])).code).toBe(0);
    const [id] = idsOf('2024-03-04');
    const file = paperFile('2024-03-04', id!);
    fs.writeFileSync(file, corrupt(fs.readFileSync(file, 'utf8')));
    const before = snapshot(path.join(contentDir, dayDir('2024-03-04')));
    const r = await at('2024-03-06T10:00:00.000Z', ['--from', '2024-03-04', '--to', '2024-03-05']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^2024-03-04 +FAILED: ${escapeRe(file)}: `));
    expect(lines[0]).toMatch(reason);
    expect(snapshot(path.join(contentDir, dayDir('2024-03-04')))).toEqual(before);
    expect(recordOf('2024-03-05').papers).toEqual(idsOf('2024-03-05'));
  });
});

describe('status you can see', () => {
  it('appends a table to $GITHUB_STEP_SUMMARY: per day fetched as what, complete or filling, failed and why, skipped', async () => {
    const stepSummary = path.join(contentDir, '..', `step-${path.basename(contentDir)}.md`);
    fs.writeFileSync(stepSummary, 'An earlier step wrote this.\n');
    server.setRespond((date, elements) => {
      if (date === '2024-03-05') return { kind: 'status', status: 503, body: JSON.stringify({ error: 'Service | <b>down</b>' }) };
      if (date !== '2024-03-04') return elements;
      const hostile = clone(elements[0] as any);
      hostile.paper.id = '<script>|x';
      return [...elements, hostile];
    });
    const r = await at('2024-03-06T10:00:00.000Z', ['--from', '2024-03-04', '--to', '2024-03-06', '--refresh-days', '0'], { GITHUB_STEP_SUMMARY: stepSummary });
    expect(r.code).toBe(1);
    const md = fs.readFileSync(stepSummary, 'utf8');
    expect(md.startsWith('An earlier step wrote this.\n### Fetch\n')).toBe(true);
    expect(md).toContain('**1 day(s) failed, 1 element(s) skipped**. 3 API call(s).');
    expect(md).toContain('| Day | Fetched as | List | Papers | Skipped | Notes |');
    expect(md).toContain('| 2024-03-04 | requested | complete | 6 (6 new, 0 updated) | 1 |  |');
    expect(md).toContain('| 2024-03-05 | requested | **failed** |  |  | HTTP 503 after 1 attempts: Service \\| &lt;b&gt;down&lt;/b&gt; |');
    expect(md).toContain('| 2024-03-06 | requested | list still filling | 6 (6 new, 0 updated) |  |  |');
    expect(md).toContain('- 2024-03-04: "&lt;script&gt;\\|x": paper.id: not a valid arXiv id');
    expect(md).not.toMatch(/<script>|<b>/);
  });
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

