/**
 * The content directory as a store: find what is archived, and apply one
 * fetched list day to it. Writes are atomic (temp file in the same directory,
 * then rename) and only happen when the bytes change, so fetching the same
 * answers twice touches nothing. Nothing is ever downgraded: a day record
 * never lists fewer papers than before, and a paper file is never removed
 * except as the later copy of a paper that is stored under an earlier day.
 * Every path goes through resolveInside().
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDay } from './dates.ts';
import { fillEmpty, isWhole, mergeRefresh, type NormalizedPaper, type StoredPaper } from '../ingest/normalize.ts';
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
  /** arXiv id -> every day holding a copy, oldest first, for the papers stored under more than one day. */
  duplicates: Map<string, string[]>;
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

/** The ids of the paper files stored under one day. */
function paperIdsIn(day: string, names: Iterable<string>): string[] {
  const ids: string[] = [];
  for (const name of names) {
    const parsed = parsePaperRelPath(`${dayDirOf(day)}/${name}`);
    if (parsed) ids.push(parsed.id);
  }
  return ids;
}

/** Index the archive, removing temp files left by an interrupted run. */
export function scanArchive(contentDir: string): ArchiveIndex {
  const index: ArchiveIndex = { paperDays: new Map(), duplicates: new Map(), recordDays: new Set(), removedTempFiles: 0 };
  for (const { day, dir, files } of dayDirectories(contentDir)) {
    const names: string[] = [];
    for (const f of files) {
      if (f.name.endsWith(TEMP_SUFFIX)) {
        fs.rmSync(path.join(dir, f.name), { force: true });
        index.removedTempFiles++;
      } else if (f.name === DAY_RECORD_FILE) {
        index.recordDays.add(day);
      } else {
        names.push(f.name);
      }
    }
    for (const id of paperIdsIn(day, names)) {
      // Days come oldest first, so the first day seen is the earliest.
      const known = index.paperDays.get(id);
      if (known === undefined) {
        index.paperDays.set(id, day);
      } else {
        const copies = index.duplicates.get(id) ?? [known];
        copies.push(day);
        index.duplicates.set(id, copies);
      }
    }
  }
  return index;
}

/** Every day holding a copy of `id`, oldest first (empty when it is not archived). */
function copiesOf(index: ArchiveIndex, id: string): string[] {
  const known = index.paperDays.get(id);
  return index.duplicates.get(id) ?? (known === undefined ? [] : [known]);
}

/** A file of the archive that cannot be read as what it should be; the message is one line naming it. */
export class ArchiveFileError extends Error {
  override name = 'ArchiveFileError';
}

/** The reason a file did not parse, in one line (a schema issue, a YAML or JSON error, or anything else). */
export function describeParseError(error: unknown): string {
  const e = error as { name?: string; message?: string; issues?: { path: PropertyKey[]; message: string }[]; reason?: string; mark?: { line: number } };
  let reason: string;
  if (Array.isArray(e.issues) && e.issues.length) {
    const [first] = e.issues;
    const where = first!.path.length ? `${first!.path.map(String).join('.')}: ` : '';
    reason = `${where}${first!.message}${e.issues.length > 1 ? ` (and ${e.issues.length - 1} more)` : ''}`;
  } else if (e.name === 'YAMLException' && e.reason) {
    reason = `YAML: ${e.reason}${e.mark ? ` at line ${e.mark.line + 1}` : ''}`;
  } else {
    reason = String(e.message ?? error);
  }
  return reason.replace(/\s+/g, ' ').trim().slice(0, 240);
}

function shownPath(contentDir: string, rel: string): string {
  return path.join(contentDir, rel);
}

/** Read a day record; throws ArchiveFileError (one line: the file and why) when it is not one. */
export function readDayRecord(contentDir: string, day: string): DayRecord | undefined {
  const file = resolveInside(contentDir, dayRecordRelPath(day));
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ArchiveFileError(`${shownPath(contentDir, dayRecordRelPath(day))}: cannot be read (${(error as NodeJS.ErrnoException).code ?? describeParseError(error)})`);
  }
  try {
    return parseDayRecord(text);
  } catch (error) {
    throw new ArchiveFileError(`${shownPath(contentDir, dayRecordRelPath(day))}: not a valid day record (${describeParseError(error)}); fix or delete it`);
  }
}

export function writeDayRecord(contentDir: string, record: DayRecord): void {
  writeFileAtomic(resolveInside(contentDir, dayRecordRelPath(record.day)), serializeDayRecord(record));
}

interface PaperOnDisk extends StoredPaper {
  file: string;
  text: string;
}

/** Read the copy of `id` stored under `day`; throws ArchiveFileError (one line) when it is not a paper file for that id. */
function readPaper(contentDir: string, day: string, id: string): PaperOnDisk {
  const rel = paperRelPath(day, id);
  const file = resolveInside(contentDir, rel);
  let parsed: StoredPaper;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
    parsed = parsePaperFile(text);
  } catch (error) {
    throw new ArchiveFileError(`${shownPath(contentDir, rel)}: not a valid paper file (${describeParseError(error)}); fix or delete it`);
  }
  if (parsed.paper.id !== id) {
    throw new ArchiveFileError(`${shownPath(contentDir, rel)}: holds paper ${JSON.stringify(parsed.paper.id)}, but its name says ${id}; fix or move it`);
  }
  return { ...parsed, file, text };
}

/** A list day that cannot be applied; nothing of it was written. The message is one line. */
export class DayRefusedError extends Error {
  override name = 'DayRefusedError';
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
  /** Whether the list can no longer grow: it was fetched after its UTC day ended. */
  ended: boolean;
  /**
   * For an empty answer: whether answers for later days back it up (they have papers), so the
   * day can be recorded as complete with no list. An empty answer alone proves nothing: an API
   * having a bad day answers `[]` too.
   */
  emptyConfirmed?: boolean;
  dryRun: boolean;
}

export interface DayResult {
  day: string;
  /** Papers in this answer. */
  answered: number;
  /** Papers the day record lists after this answer (never fewer than before). */
  listed: number;
  written: number;
  updated: number;
  unchanged: number;
  /** Papers the record listed that this answer no longer had: kept, archived and listed. */
  kept: string[];
  /** Papers not written because they are archived under an earlier list day. */
  archivedEarlier: { id: string; day: string }[];
  /** Papers moved here from a later list day (this day is their first appearance). */
  moved: { id: string; from: string }[];
  /** Later copies of papers stored under two days, removed (paths as shown to the user). */
  removedCopies: string[];
  /** Papers of this day that lack authors, an abstract or their date (a degraded answer): the day stays incomplete. */
  degraded: string[];
  /** Whether the record says the list is complete. */
  complete: boolean;
  recordChanged: boolean;
}

/**
 * Write one list day: new papers in full, known papers only when a field
 * changed (updatedAt then moves), and the day record, which lists every paper
 * it listed before, every paper of this answer and every paper stored under
 * the day. The list is complete once it was fetched after its UTC day ended
 * and none of its papers lacks authors, abstract or date (a degraded answer
 * leaves the day incomplete, so later runs ask again); an empty list only
 * when `emptyConfirmed`. A day that had papers and now answers an empty list is refused
 * (DayRefusedError), as is a day whose record or paper files cannot be read
 * (ArchiveFileError): in both cases nothing is written.
 *
 * Every file is read and checked before the first write. Then papers are
 * written, then later copies are removed, then the record: a crash at any
 * point leaves every paper in at least one complete file (at worst a moved
 * paper also keeps its older copy, which the next run removes).
 */
export function applyDay(opts: ApplyDayOptions): DayResult {
  const { contentDir, day, index, now, dryRun } = opts;
  const result: DayResult = {
    day,
    answered: opts.papers.length,
    listed: 0,
    written: 0,
    updated: 0,
    unchanged: 0,
    kept: [],
    archivedEarlier: [],
    moved: [],
    removedCopies: [],
    degraded: [],
    complete: false,
    recordChanged: false,
  };

  const existing = index.recordDays.has(day) ? readDayRecord(contentDir, day) : undefined;
  const dirIds = paperIdsIn(day, listDir(path.dirname(resolveInside(contentDir, dayRecordRelPath(day)))).filter((f) => f.isFile()).map((f) => f.name));
  const known = new Set([...(existing?.papers ?? []), ...dirIds]);
  if (opts.papers.length === 0 && known.size > 0) {
    throw new DayRefusedError(`HF answered an empty list, but ${known.size} paper(s) are recorded for this day: record kept; the next run asks again`);
  }

  const writes: { file: string; text: string }[] = [];
  const removes: string[] = [];
  const indexUpdates: (() => void)[] = [];
  /** The kept copy, with what the other copies of the paper hold filled in; those copies are removed. */
  const absorbCopies = (id: string, keepDay: string, kept: PaperOnDisk, copies: string[]): StoredPaper => {
    let merged: StoredPaper = kept;
    for (const other of copies) {
      if (other === keepDay) continue;
      merged = fillEmpty(merged, readPaper(contentDir, other, id));
      removes.push(resolveInside(contentDir, paperRelPath(other, id)));
      result.removedCopies.push(shownPath(contentDir, paperRelPath(other, id)));
    }
    return merged;
  };

  for (const incoming of opts.papers) {
    const { id } = incoming.paper;
    const copies = copiesOf(index, id);
    const earliest = copies[0];
    const file = resolveInside(contentDir, paperRelPath(day, id));

    if (earliest !== undefined && earliest < day) {
      result.archivedEarlier.push({ id, day: earliest });
      if (copies.length > 1) {
        // Stored twice (a hand copy, an interrupted move): the earliest copy stays and takes what the others add.
        const kept = readPaper(contentDir, earliest, id);
        const merged = absorbCopies(id, earliest, kept, copies);
        const text = serializePaper(merged.paper, merged.abstract);
        if (text !== kept.text) writes.push({ file: kept.file, text: serializePaper({ ...merged.paper, updatedAt: now }, merged.abstract) });
        indexUpdates.push(() => index.duplicates.delete(id));
      }
      continue;
    }

    if (earliest === undefined) {
      if (!isWhole(incoming)) result.degraded.push(id);
      writes.push({ file, text: serializePaper({ ...incoming.paper, listDay: day }, incoming.abstract) });
      indexUpdates.push(() => index.paperDays.set(id, day));
      result.written++;
      continue;
    }

    // Archived under this day, or under a later one (listed here first: a paper lives under its first list day).
    const base = readPaper(contentDir, earliest, id);
    const whole = absorbCopies(id, earliest, base, copies);
    const merged = mergeRefresh(whole, incoming);
    const paper: Paper = { ...merged.paper, listDay: day };
    if (!isWhole({ paper, abstract: merged.abstract })) result.degraded.push(id);
    if (earliest === day) {
      const text = serializePaper(paper, merged.abstract);
      if (text === base.text) {
        result.unchanged++;
      } else {
        writes.push({ file, text: serializePaper({ ...paper, updatedAt: now }, merged.abstract) });
        result.updated++;
      }
    } else {
      writes.push({ file, text: serializePaper({ ...paper, updatedAt: now }, merged.abstract) });
      removes.push(base.file);
      result.moved.push({ id, from: earliest });
      result.written++;
    }
    indexUpdates.push(() => {
      index.paperDays.set(id, day);
      index.duplicates.delete(id);
    });
  }

  const answeredIds = opts.papers.map((p) => p.paper.id);
  // Papers stored under this day that the answer left out count too: a degraded one keeps the day incomplete.
  const answeredHere = new Set(answeredIds);
  for (const id of dirIds) {
    if (!answeredHere.has(id) && !isWhole(readPaper(contentDir, day, id))) result.degraded.push(id);
  }
  // A copy removed from this day's directory belongs to a paper of this answer, so it stays listed.
  const ids = [...new Set([...(existing?.papers ?? []), ...answeredIds, ...dirIds])].sort();
  result.kept = (existing?.papers ?? []).filter((id) => !answeredHere.has(id));
  result.listed = ids.length;
  // Complete once fetched after the day ended, with every paper whole; an empty list only when later days confirm it.
  const complete =
    (existing?.complete ?? false) || (opts.ended && (ids.length > 0 ? result.degraded.length === 0 : opts.emptyConfirmed === true));
  result.complete = complete;
  const next: DayRecord = {
    day,
    count: ids.length,
    papers: ids,
    source: opts.source,
    complete,
    firstFetchedAt: existing?.firstFetchedAt ?? now,
    updatedAt: existing?.updatedAt ?? now,
    digestSentAt: existing?.digestSentAt ?? null,
  };
  result.recordChanged = !existing || serializeDayRecord(next) !== serializeDayRecord(existing);

  if (!dryRun) {
    for (const w of writes) writeFileAtomic(w.file, w.text);
    for (const f of removes) fs.rmSync(f, { force: true });
    if (result.recordChanged) writeDayRecord(contentDir, { ...next, updatedAt: now });
  }
  for (const update of indexUpdates) update();
  if (result.recordChanged) index.recordDays.add(day);
  return result;
}
