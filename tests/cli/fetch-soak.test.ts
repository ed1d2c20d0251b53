/**
 * Soak: four weeks of scheduled runs (`npm run fetch` with no day option, as
 * the workflow calls it, at the workflow's cron times, `--now` moving on)
 * against a replay API that is sometimes down, sometimes answers [] for
 * everything, sometimes drops fields or sends odd values, sometimes no longer
 * lists papers it listed before, and lists that fill during their day; some runs are dropped and some whole days have no
 * run at all. After every run nothing recorded may have shrunk. Then one
 * healthy run, after which every day is recorded and complete, every paper is
 * archived once under its first list day and listed, and no field is missing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../../src/archive/dates.ts';
import { parseDayRecord, parsePaperFile } from '../../src/archive/paper-file.ts';
import { dayRecordRelPath, parsePaperRelPath } from '../../src/archive/paths.ts';
import { abstractToMarkdown } from '../../src/ingest/normalize.ts';
import type { DayRecord, Paper } from '../../src/archive/schema.ts';
import { startReplayServer, type Fault, type ReplayServer } from '../helpers/replay-server.ts';
import { clone, runFetch, syntheticElement } from '../helpers/fetch-cli.ts';

/** A small seeded generator (mulberry32), so every run of the test sees the same weeks. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = '2024-04-01';
const END = '2024-04-28';
/** The healthy run comes the morning after, once that Monday's list has started. */
const FINAL = '2024-04-29T09:17:00.000Z';
/** The first run's catch-up reaches 30 days back: those days have lists too. */
const FIRST = addDays(START, -30);
const HOUR = 3_600_000;
const CRON = ['02:37', '09:17', '15:47', '21:23'];
const NO_RUN_DAYS = new Set(['2024-04-05', '2024-04-06', '2024-04-07', '2024-04-16', '2024-04-17', '2024-04-23']);
type Mode = 'healthy' | 'down' | 'empty' | 'degraded' | 'flaky' | 'partial';

interface SimPaper {
  id: string;
  /** The list days HF puts it on (a few papers are listed twice). */
  days: string[];
  element: any;
  submittedAt: number;
  baseUpvotes: number;
  /** When a code link shows up (some papers get one days later), or never. */
  repoFrom: number | undefined;
}

const rng = random(12);
const papers: SimPaper[] = [];
const byDay = new Map<string, SimPaper[]>();
for (const day of dayRange(FIRST, addDays(END, 1))) {
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  // Weekends have no list, except one Sunday that has one.
  const count = day === '2024-04-14' ? 2 : weekday === 0 || weekday === 6 ? 0 : 3 + Math.floor(rng() * 6);
  const list: SimPaper[] = [];
  for (let n = 0; n < count; n++) {
    const element = syntheticElement(day, n);
    const start = Date.parse(`${day}T00:00:00.000Z`);
    const p: SimPaper = {
      id: element.paper.id,
      days: [day],
      element,
      submittedAt: start + Math.floor((n + 1) * (20 / count) * HOUR),
      baseUpvotes: 1 + Math.floor(rng() * 30),
      repoFrom: rng() < 0.3 ? start + 50 * HOUR : rng() < 0.5 ? start : undefined,
    };
    if (p.repoFrom === undefined) delete element.paper.githubRepo;
    papers.push(p);
    list.push(p);
  }
  byDay.set(day, list);
}
// HF lists a few papers again on a later day.
for (const [first, again] of [['2024-04-09', '2024-04-11'], ['2024-03-20', '2024-03-21'], ['2024-04-26', '2024-04-29']] as const) {
  const p = byDay.get(first)![0]!;
  p.days.push(again);
  if (byDay.has(again)) byDay.get(again)!.push(p);
}

const sim = { now: 0, mode: 'healthy' as Mode, rng: random(99), archived: new Set<string>() };

/** What HF answers for `paper` listed on `day` at the simulated time. */
function healthyElement(p: SimPaper, day: string): any {
  const e = clone(p.element);
  const hours = Math.max(0, (sim.now - p.submittedAt) / HOUR);
  e.paper.submittedOnDailyAt = `${day}T00:00:00.000Z`;
  e.paper.upvotes = p.baseUpvotes + Math.floor(hours / 6);
  e.numComments = Math.floor(hours / 24);
  e.paper.githubStars = 10 + Math.floor(hours);
  if (p.repoFrom === undefined || sim.now < p.repoFrom) delete e.paper.githubRepo;
  // The AI fields arrive a few hours after the paper.
  if (hours < 3) {
    delete e.paper.ai_summary;
    delete e.paper.ai_keywords;
  }
  return e;
}

function degrade(original: any, r: () => number): any {
  const e = clone(original);
  const pick = r();
  if (pick < 0.5) {
    delete e.paper.ai_keywords;
    e.paper.ai_summary = null;
    delete e.paper.githubRepo;
    e.paper.projectPage = '';
    delete e.paper.upvotes;
    e.numComments = -1;
    delete e.paper.githubStars;
  } else if (pick < 0.8) {
    e.paper.authors = [{ name: null }];
    delete e.paper.summary;
    delete e.summary;
    delete e.thumbnail;
    e.paper.organization = null;
    delete e.organization;
    delete e.paper.publishedAt;
    e.paper.upvotes = String(e.paper.upvotes);
  } else {
    e.paper.ai_keywords = [7, null];
    e.paper.githubStars = 'many';
    e.paper.authors = 'Somebody';
  }
  return e;
}

function respond(date: string): Fault | unknown[] {
  if (sim.mode === 'down') return { kind: 'status', status: 503 };
  if (sim.mode === 'empty') return [];
  if (sim.mode === 'flaky' && sim.rng() < 0.3) return { kind: 'status', status: 502 };
  let visible = (byDay.get(date) ?? []).filter((p) => p.submittedAt <= sim.now).map((p) => healthyElement(p, date));
  // HF stops listing some papers it listed before (papers never seen stay, or nothing could recover them).
  if (sim.mode === 'partial') visible = visible.filter((e) => !sim.archived.has(e.paper.id) || sim.rng() < 0.5);
  if (sim.mode !== 'degraded') return visible;
  const r = random(date.length + Math.floor(sim.now / HOUR));
  const answer = visible.map((e) => degrade(e, r));
  // Now and then an element the fetch cannot use at all.
  if (visible.length && r() < 0.2) answer.push({ paper: { id: 'not an id', title: 'x' } });
  return answer;
}

interface ArchiveState {
  records: Map<string, DayRecord>;
  papers: Map<string, { day: string; paper: Paper; abstract: string }>;
}

/** Parsed files by content: a run rewrites few files, so most need no parsing again. */
const parsed = new Map<string, { paper: Paper; abstract: string }>();

function readArchive(contentDir: string): ArchiveState {
  const state: ArchiveState = { records: new Map(), papers: new Map() };
  for (const rel of fs.readdirSync(contentDir, { recursive: true }) as string[]) {
    const full = path.join(contentDir, rel);
    if (!fs.statSync(full).isFile()) continue;
    expect(rel, 'no temporary file is left').not.toMatch(/paperboy-tmp/);
    if (rel.endsWith('day.json')) {
      const record = parseDayRecord(fs.readFileSync(full, 'utf8'));
      state.records.set(record.day, record);
      continue;
    }
    const where = parsePaperRelPath(rel);
    expect(where, rel).toBeDefined();
    const text = fs.readFileSync(full, 'utf8');
    if (!parsed.has(text)) parsed.set(text, parsePaperFile(text));
    const { paper, abstract } = parsed.get(text)!;
    expect(state.papers.has(paper.id), `${paper.id} is stored once`).toBe(false);
    state.papers.set(paper.id, { day: where!.day, paper, abstract });
  }
  return state;
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const STABLE = ['title', 'authors', 'organization', 'submittedBy', 'thumbnail', 'fetchedAt'] as const;

/** Nothing recorded may shrink from one run to the next. */
function expectNothingShrank(before: ArchiveState, after: ArchiveState, label: string): void {
  for (const [day, was] of before.records) {
    const now = after.records.get(day);
    expect(now, `${label}: record of ${day} kept`).toBeDefined();
    for (const id of was.papers) expect(now!.papers, `${label}: ${day} still lists ${id}`).toContain(id);
    if (was.complete) expect(now!.complete, `${label}: ${day} stays complete`).toBe(true);
  }
  for (const [id, was] of before.papers) {
    const now = after.papers.get(id);
    expect(now, `${label}: ${id} still archived`).toBeDefined();
    expect(now!.day <= was.day, `${label}: ${id} only ever moves to an earlier day`).toBe(true);
    for (const [key, value] of Object.entries(was.paper)) {
      if (isEmpty(value)) continue;
      expect(isEmpty((now!.paper as Record<string, unknown>)[key]), `${label}: ${id}.${key} not erased`).toBe(false);
      if ((STABLE as readonly string[]).includes(key)) expect((now!.paper as Record<string, unknown>)[key], `${label}: ${id}.${key} unchanged`).toEqual(value);
    }
    if (was.abstract) expect(now!.abstract, `${label}: ${id} abstract kept`).toBe(was.abstract);
  }
}

let server: ReplayServer;
let contentDir: string;
beforeAll(async () => {
  server = await startReplayServer({ elements: [] });
  server.setRespond((date) => respond(date));
  contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-soak-'));
});
afterAll(() => server.close());

describe('soak: four weeks of scheduled runs against a misbehaving API', () => {
  it('never shrinks anything, and one healthy run leaves every day recorded and complete and every paper whole', async () => {
    const schedule = random(7);
    const modes: [Mode, number][] = [['healthy', 0.4], ['down', 0.14], ['empty', 0.14], ['degraded', 0.16], ['flaky', 0.08], ['partial', 0.08]];
    let state = readArchive(contentDir);
    const seen = new Set<Mode>();
    const afterGap = new Set<string>();
    let runs = 0;
    for (const day of dayRange(START, END)) {
      if (NO_RUN_DAYS.has(day)) continue;
      for (const time of CRON) {
        if (schedule() < 0.3) continue; // GitHub dropped this run
        let pick = schedule();
        let mode = modes.find(([, p]) => (pick -= p) < 0)?.[0] ?? 'healthy';
        // The first run after days without any run meets an API answering [] for everything: the days missed
        // must not become "no list".
        if (NO_RUN_DAYS.has(addDays(day, -1)) && !afterGap.has(day)) {
          afterGap.add(day);
          mode = 'empty';
        }
        seen.add(mode);
        const now = `${day}T${time}:00.000Z`;
        sim.now = Date.parse(now);
        sim.mode = mode;
        sim.archived = new Set(state.papers.keys());
        server.setToday(day);
        const r = await runFetch(['--api-base', server.baseUrl, '--content-dir', contentDir, '--now', now, '--retries', '0']);
        runs++;
        const label = `${now} (${mode})`;
        expect([0, 1], `${label}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr, label).not.toMatch(/\n\s+at /);
        if (mode === 'healthy') expect(r.code, `${label}: ${r.stderr}`).toBe(0);
        if (mode === 'down') expect(r.code, label).toBe(1);
        const next = readArchive(contentDir);
        expectNothingShrank(state, next, label);
        for (const record of next.records.values()) {
          // An outage never turns a list day into "no list".
          if (record.complete && record.count === 0) expect(byDay.get(record.day), `${label}: ${record.day} recorded as no list`).toEqual([]);
        }
        state = next;
      }
    }
    expect([...seen].sort()).toEqual(['degraded', 'down', 'empty', 'flaky', 'healthy', 'partial']);
    expect(runs).toBeGreaterThan(40);

    // One healthy run.
    const now = FINAL;
    sim.now = Date.parse(now);
    sim.mode = 'healthy';
    server.setToday(now.slice(0, 10));
    const r = await runFetch(['--api-base', server.baseUrl, '--content-dir', contentDir, '--now', now, '--retries', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/lookback, not fetched/);
    const final = readArchive(contentDir);
    expectNothingShrank(state, final, 'final run');

    for (const day of dayRange(FIRST, END)) {
      const record = final.records.get(day);
      expect(record, `${day} recorded`).toBeDefined();
      expect(record!.complete, `${day} complete`).toBe(true);
      expect(record!.papers, `${day} lists its papers`).toEqual(byDay.get(day)!.map((p) => p.id).sort());
    }
    for (const p of papers.filter((q) => q.submittedAt <= sim.now)) {
      const stored = final.papers.get(p.id);
      expect(stored, `${p.id} archived`).toBeDefined();
      expect(stored!.day, `${p.id} under its first list day`).toBe(p.days[0]);
      const healthy = healthyElement(p, p.days[0]!);
      expect(stored!.paper).toMatchObject({
        title: healthy.paper.title,
        authors: healthy.paper.authors.map((a: any) => a.name),
        published: healthy.paper.publishedAt,
        organization: { name: healthy.paper.organization.name, fullname: healthy.paper.organization.fullname },
        thumbnail: healthy.thumbnail,
        projectPage: healthy.paper.projectPage,
      });
      expect(stored!.abstract, p.id).toBe(abstractToMarkdown(healthy.paper.summary));
      expect(stored!.paper.upvotes, `${p.id} upvotes`).toBeGreaterThanOrEqual(p.baseUpvotes);
    }
  }, 180_000);
});
