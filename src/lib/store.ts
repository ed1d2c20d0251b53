/**
 * The content directory as a store: find what is archived, and apply one
 * fetched list day to it. Writes are atomic (temp file in the same directory,
 * then rename) and only happen when the bytes change, so fetching the same
 * answers twice touches nothing. Every path goes through resolveInside().
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDay } from './dates.ts';
import { mergeVolatile, type NormalizedPaper } from './normalize.ts';
import { parseDayRecord, parsePaperFile, serializeDayRecord, serializePaper } from './paper-file.ts';
import { DAY_RECORD_FILE, dayDir as dayDirOf, dayRecordRelPath, parsePaperRelPath, paperRelPath, resolveInside } from './paths.ts';
import type { DayRecord, Paper } from './schema.ts';

const TEMP_SUFFIX = '.paperboy-tmp';

/** Write `text` to `file` atomically: readers see the old file or the new one, never a part. */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}${TEMP_SUFFIX}`);
  try {
    fs.writeFileSync(temp, text, { flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

export interface ArchiveIndex {
  /** arXiv id -> the list day it is archived under (the earliest, if a copy exists twice). */
  paperDays: Map<string, string>;
  /** Days that have a day record. */
  recordDays: Set<string>;
  /** Leftover temp files from an interrupted run, removed by scanArchive. */
  removedTempFiles: number;
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export interface DayDirectory {
  day: string;
  /** Absolute path of YYYY/MM/DD. */
  dir: string;
  /** The regular files in it. */
  files: fs.Dirent[];
}

/**
 * Every YYYY/MM/DD directory under the content directory, oldest first
 * (nothing else is looked at). Read-only; the one walk of the archive that
 * the fetch command, the digest and the other scripts share.
 */
export function* dayDirectories(contentDir: string): Generator<DayDirectory> {
  const root = path.resolve(contentDir);
  const sorted = (dir: string, re: RegExp) =>
    listDir(dir)
      .filter((e) => e.isDirectory() && re.test(e.name))
      .map((e) => e.name)
      .sort();
  for (const y of sorted(root, /^\d{4}$/)) {
    for (const m of sorted(path.join(root, y), /^\d{2}$/)) {
      for (const d of sorted(path.join(root, y, m), /^\d{2}$/)) {
        const day = `${y}-${m}-${d}`;
        if (!isDay(day)) continue;
        const dir = path.join(root, y, m, d);
        yield { day, dir, files: listDir(dir).filter((f) => f.isFile()) };
      }
    }
  }
}

/** Index the archive, removing temp files left by an interrupted run. */
export function scanArchive(contentDir: string): ArchiveIndex {
  const index: ArchiveIndex = { paperDays: new Map(), recordDays: new Set(), removedTempFiles: 0 };
  for (const { day, dir, files } of dayDirectories(contentDir)) {
    for (const f of files) {
      if (f.name.endsWith(TEMP_SUFFIX)) {
        fs.rmSync(path.join(dir, f.name), { force: true });
        index.removedTempFiles++;
      } else if (f.name === DAY_RECORD_FILE) {
        index.recordDays.add(day);
      } else {
        const parsed = parsePaperRelPath(`${dayDirOf(day)}/${f.name}`);
        if (!parsed) continue;
        const known = index.paperDays.get(parsed.id);
        if (!known || day < known) index.paperDays.set(parsed.id, day);
      }
    }
  }
  return index;
}

export function readDayRecord(contentDir: string, day: string): DayRecord | undefined {
  const file = resolveInside(contentDir, dayRecordRelPath(day));
  if (!fs.existsSync(file)) return undefined;
  return parseDayRecord(fs.readFileSync(file, 'utf8'));
}

export function writeDayRecord(contentDir: string, record: DayRecord): void {
  writeFileAtomic(resolveInside(contentDir, dayRecordRelPath(record.day)), serializeDayRecord(record));
}

export interface ApplyDayOptions {
  contentDir: string;
  day: string;
  /** The validated, normalised papers listed that day (the list day of each is `day`). */
  papers: NormalizedPaper[];
  index: ArchiveIndex;
  /** ISO time used for new papers and changed files. */
  now: string;
  source: DayRecord['source'];
  /** Whether the list can no longer grow (fetched after its UTC day ended). */
  complete: boolean;
  dryRun: boolean;
}

export interface DayResult {
  day: string;
  listed: number;
  written: number;
  updated: number;
  unchanged: number;
  /** Papers not written because they are archived under an earlier list day. */
  archivedEarlier: { id: string; day: string }[];
  /** Papers moved here from a later list day (this day is their first appearance). */
  moved: { id: string; from: string }[];
  recordChanged: boolean;
}

/**
 * Write one list day: new papers in full, known papers only when a volatile
 * field changed (updatedAt then moves), and the day record. Nothing is written
 * when nothing changed.
 */
export function applyDay(opts: ApplyDayOptions): DayResult {
  const { contentDir, day, index, now, dryRun } = opts;
  const result: DayResult = {
    day,
    listed: opts.papers.length,
    written: 0,
    updated: 0,
    unchanged: 0,
    archivedEarlier: [],
    moved: [],
    recordChanged: false,
  };

  for (const { paper, abstract } of opts.papers) {
    const knownDay = index.paperDays.get(paper.id);
    if (knownDay !== undefined && knownDay < day) {
      result.archivedEarlier.push({ id: paper.id, day: knownDay });
      continue;
    }
    const file = resolveInside(contentDir, paperRelPath(day, paper.id));
    if (knownDay === day) {
      const existingText = fs.readFileSync(file, 'utf8');
      const existing = parsePaperFile(existingText);
      const merged = mergeVolatile(existing.paper, paper);
      if (serializePaper(merged, existing.abstract) === existingText) {
        result.unchanged++;
        continue;
      }
      if (!dryRun) writeFileAtomic(file, serializePaper({ ...merged, updatedAt: now }, existing.abstract));
      result.updated++;
      continue;
    }
    if (knownDay !== undefined && knownDay > day) {
      // Listed on a later day first (e.g. a backfill of older days): a paper lives under its first list day.
      const laterFile = resolveInside(contentDir, paperRelPath(knownDay, paper.id));
      const later = parsePaperFile(fs.readFileSync(laterFile, 'utf8'));
      const merged: Paper = { ...mergeVolatile(later.paper, paper), listDay: day, updatedAt: now };
      if (!dryRun) {
        writeFileAtomic(file, serializePaper(merged, later.abstract));
        fs.rmSync(laterFile);
      }
      index.paperDays.set(paper.id, day);
      result.moved.push({ id: paper.id, from: knownDay });
      result.written++;
      continue;
    }
    if (!dryRun) writeFileAtomic(file, serializePaper(paper, abstract));
    index.paperDays.set(paper.id, day);
    result.written++;
  }

  const existing = index.recordDays.has(day) ? readDayRecord(contentDir, day) : undefined;
  const ids = [...new Set(opts.papers.map((p) => p.paper.id))].sort();
  const next: DayRecord = {
    day,
    count: ids.length,
    papers: ids,
    source: opts.source,
    complete: opts.complete || (existing?.complete ?? false),
    firstFetchedAt: existing?.firstFetchedAt ?? now,
    updatedAt: existing?.updatedAt ?? now,
    digestSentAt: existing?.digestSentAt ?? null,
  };
  if (!existing || serializeDayRecord(next) !== serializeDayRecord(existing)) {
    result.recordChanged = true;
    if (!dryRun) writeDayRecord(contentDir, { ...next, updatedAt: now });
    index.recordDays.add(day);
  }
  return result;
}
