/**
 * What the digest reads from and writes to the content directory. Picking a
 * day needs only the day records and how many paper files each day holds, so
 * this walks YYYY/MM/DD/ and parses day.json files, and reads paper files of
 * the one chosen day only (the archive grows to tens of thousands of papers).
 * Read-only except `markDigestSent` and `releaseClaim`, which rewrite one day
 * record atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDayRecord, parsePaperFile, serializeDayRecord } from '../archive/paper-file.ts';
import { DAY_RECORD_FILE, dayDir, dayRecordRelPath, parsePaperRelPath, resolveInside } from '../archive/paths.ts';
import type { DayRecord } from '../archive/schema.ts';
import { dayDirectories, writeFileAtomic } from '../archive/store.ts';
import type { DigestPaper } from './compose.ts';
import type { DayState } from './select.ts';

/** Every YYYY/MM/DD directory with its day record (if any) and its number of paper files, oldest first. */
export function scanDays(contentDir: string): DayState[] {
  if (!fs.existsSync(contentDir)) throw new Error(`content directory not found: ${path.resolve(contentDir)}`);
  const days: DayState[] = [];
  for (const { day, files } of dayDirectories(contentDir)) {
    let record: DayRecord | undefined;
    let paperFiles = 0;
    for (const f of files) {
      if (f.name === DAY_RECORD_FILE) record = readRecordFile(contentDir, day);
      else if (parsePaperRelPath(`${dayDir(day)}/${f.name}`)) paperFiles++;
    }
    days.push({ day, record, paperFiles });
  }
  return days;
}

/** One day's record; throws one line naming the file when it is not a valid record. */
export function readRecordFile(contentDir: string, day: string): DayRecord {
  const file = resolveInside(contentDir, dayRecordRelPath(day));
  try {
    return parseDayRecord(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a valid day record: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** The papers archived under one list day, with their abstracts (markdown). */
export function readDayPapers(contentDir: string, day: string): DigestPaper[] {
  const dir = resolveInside(contentDir, dayDir(day));
  const papers: DigestPaper[] = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : [];
  for (const f of files) {
    if (!f.isFile() || !parsePaperRelPath(`${dayDir(day)}/${f.name}`)) continue;
    const file = path.join(dir, f.name);
    try {
      const { paper, abstract } = parsePaperFile(fs.readFileSync(file, 'utf8'));
      papers.push({ paper, abstract });
    } catch (error) {
      throw new Error(`${file} is not a valid paper file: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return papers;
}

/**
 * Note in the day record that its digest went out. The record is read again
 * right before the write so a field changed since the scan is not lost.
 * `updatedAt` stays: it dates changes to the list, not to the mailing.
 */
export function markDigestSent(contentDir: string, day: string, sentAt: string): DayRecord {
  const current = readRecordFile(contentDir, day);
  const next: DayRecord = { ...current, digestSentAt: sentAt };
  writeFileAtomic(resolveInside(contentDir, dayRecordRelPath(day)), serializeDayRecord(next));
  return next;
}

/**
 * Undo a claim whose mail certainly reached nobody: clear `digestSentAt`, but
 * only if it still holds this claim's time (never someone else's send).
 * Returns whether the record was changed.
 */
export function releaseClaim(contentDir: string, day: string, claimedAt: string): boolean {
  const current = readRecordFile(contentDir, day);
  if (current.digestSentAt !== claimedAt) return false;
  writeFileAtomic(resolveInside(contentDir, dayRecordRelPath(day)), serializeDayRecord({ ...current, digestSentAt: null }));
  return true;
}
