/**
 * A paper stored under two days belongs to the earliest. A move (the paper
 * turns out to be listed on an earlier day) writes the new copy and only then
 * removes the old one, so a crash leaves at most the older copy behind, and
 * the next run removes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateElements } from '../../src/ingest/ingest.ts';
import { parseDayRecord, parsePaperFile } from '../../src/archive/paper-file.ts';
import { dayRecordRelPath, paperRelPath } from '../../src/archive/paths.ts';
import { applyDay, scanArchive } from '../../src/archive/store.ts';
import { startReplayServer, type ReplayServer } from '../helpers/replay-server.ts';
import { clone, runFetch, syntheticDay } from '../helpers/fetch-cli.ts';

const MON = '2024-03-04';
const TUE = '2024-03-05';
const monday = syntheticDay(MON, 4);
const tuesday = syntheticDay(TUE, 4);
/** A paper HF lists on Monday and again on Tuesday. */
const twice = clone(monday[0]);
const twiceOnTuesday = clone(twice);
twiceOnTuesday.paper.submittedOnDailyAt = `${TUE}T00:00:00.000Z`;
const ID = twice.paper.id as string;

let server: ReplayServer;
let contentDir: string;
beforeAll(async () => {
  server = await startReplayServer({ elements: [...monday, ...tuesday, twiceOnTuesday], today: '2024-03-06' });
});
afterAll(() => server.close());
beforeEach(() => {
  contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-dup-'));
});
afterEach(() => vi.restoreAllMocks());

const fetchDays = (...args: string[]) =>
  runFetch(['--api-base', server.baseUrl, '--content-dir', contentDir, '--now', '2024-03-06T10:00:00.000Z', '--refresh-days', '0', ...args]);
const file = (day: string) => path.join(contentDir, paperRelPath(day, ID));
const listed = (day: string) => parseDayRecord(fs.readFileSync(path.join(contentDir, dayRecordRelPath(day)), 'utf8')).papers;
const copies = () => [MON, TUE].filter((day) => fs.existsSync(file(day)));
const tempFiles = () => (fs.readdirSync(contentDir, { recursive: true }) as string[]).filter((f) => f.includes('paperboy-tmp'));

describe('a paper under two days', () => {
  it('in one fetch, belongs to the earliest day; fetched later first, it moves there; both days list it', async () => {
    expect((await fetchDays('--from', MON, '--to', TUE)).code).toBe(0);
    expect(copies()).toEqual([MON]);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-dup-'));
    contentDir = other;
    expect((await fetchDays('--date', TUE)).code).toBe(0);
    expect(copies()).toEqual([TUE]);
    const r = await fetchDays('--date', MON);
    expect(r.code, r.stderr).toBe(0);
    expect(copies()).toEqual([MON]);
    expect(parsePaperFile(fs.readFileSync(file(MON), 'utf8')).paper.listDay).toBe(MON);
    expect(listed(MON)).toContain(ID);
    expect(listed(TUE)).toContain(ID);
  });

  it('stored twice by hand: the run names both files, keeps the earliest, takes what only the other copy has, removes the other', async () => {
    expect((await fetchDays('--from', MON, '--to', TUE)).code).toBe(0);
    // A hand copy under Tuesday holds a thumbnail the Monday copy lacks (first archived without one).
    const mondayText = fs.readFileSync(file(MON), 'utf8');
    fs.writeFileSync(file(TUE), mondayText.replace(/^listDay: .*$/m, `listDay: "${TUE}"`));
    fs.writeFileSync(file(MON), mondayText.replace(/^thumbnail: .*$/m, 'thumbnail: null'));
    server.setRespond((date, elements) => elements.map((e: any) => (e.paper.id === ID ? { ...e, thumbnail: undefined } : e)));
    try {
      const r = await fetchDays('--date', TUE);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Paper ${ID} is stored under 2 days (${MON}, ${TUE}): it belongs to ${MON}`);
      expect(r.stdout).toContain(`removed ${file(TUE)}`);
    } finally {
      server.setRespond(undefined);
    }
    expect(copies()).toEqual([MON]);
    expect(parsePaperFile(fs.readFileSync(file(MON), 'utf8')).paper.thumbnail).toBe(twice.thumbnail);
    expect(listed(TUE)).toContain(ID);
  });
});

describe('a move interrupted by a crash', () => {
  /** The archive after Tuesday was fetched first: the paper lives under Tuesday. Then Monday is applied in-process. */
  async function moveToMonday() {
    expect((await fetchDays('--date', TUE)).code).toBe(0);
    const index = scanArchive(contentDir);
    const { papers } = validateElements(monday, '2024-03-06T11:00:00.000Z', MON);
    return () => applyDay({ contentDir, day: MON, papers, index, now: '2024-03-06T11:00:00.000Z', source: 'api', ended: true, dryRun: false });
  }

  it('while removing the old copy: both copies are whole, and the next run leaves only the earliest, listed on both days', async () => {
    const apply = await moveToMonday();
    const oldText = fs.readFileSync(file(TUE), 'utf8');
    vi.spyOn(fs, 'rmSync').mockImplementation(() => {
      throw new Error('killed');
    });
    expect(apply).toThrow('killed');
    vi.restoreAllMocks();
    expect(copies()).toEqual([MON, TUE]);
    expect(parsePaperFile(fs.readFileSync(file(MON), 'utf8')).paper.listDay).toBe(MON);
    expect(fs.readFileSync(file(TUE), 'utf8')).toBe(oldText);
    expect(tempFiles()).toEqual([]);

    const r = await fetchDays('--date', MON);
    expect(r.code, r.stderr).toBe(0);
    expect(copies()).toEqual([MON]);
    expect(listed(MON)).toContain(ID);
    expect(listed(TUE)).toContain(ID);
  });

  it('while writing the new copy: the old copy is untouched and no partial file is left', async () => {
    const apply = await moveToMonday();
    const oldText = fs.readFileSync(file(TUE), 'utf8');
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw new Error('killed');
    });
    expect(apply).toThrow('killed');
    vi.restoreAllMocks();
    expect(copies()).toEqual([TUE]);
    expect(fs.readFileSync(file(TUE), 'utf8')).toBe(oldText);
    expect(tempFiles()).toEqual([]);
    expect((await fetchDays('--date', MON)).code).toBe(0);
    expect(copies()).toEqual([MON]);
  });
});
