/**
 * What the digest reads from and writes to the content directory. Picking a
 * day needs only the day records and how many paper files each day holds, so
 * this walks YYYY/MM/DD/ and parses day.json files, and reads paper files of
 * the one chosen day only (the archive grows to tens of thousands of papers).
 * Read-only except `markDigestSent`, which rewrites one day record atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDay } from '../dates.ts';
import { parseDayRecord, parsePaperFile, serializeDayRecord } from '../paper-file.ts';
import { DAY_RECORD_FILE, dayDir, dayRecordRelPath, parsePaperRelPath, resolveInside } from '../paths.ts';
import type { DayRecord } from '../schema.ts';
import { writeFileAtomic } from '../store.ts';
import type { DigestPaper } from './compose.ts';
import type { DayState } from './select.ts';

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every YYYY/MM/DD directory with its day record (if any) and its number of paper files, oldest first. */
export function scanDays(contentDir: string): DayState[] {
  const root = path.resolve(contentDir);
  if (!fs.existsSync(root)) throw new Error(`content directory not found: ${root}`);
  const days: DayState[] = [];
  for (const y of listDir(root)) {
    if (!y.isDirectory() || !/^\d{4}$/.test(y.name)) continue;
    for (const m of listDir(path.join(root, y.name))) {
      if (!m.isDirectory() || !/^\d{2}$/.test(m.name)) continue;
      for (const d of listDir(path.join(root, y.name, m.name))) {
        if (!d.isDirectory() || !/^\d{2}$/.test(d.name)) continue;
        const day = `${y.name}-${m.name}-${d.name}`;
        if (!isDay(day)) continue;
        let record: DayRecord | undefined;
        let paperFiles = 0;
        for (const f of listDir(path.join(root, y.name, m.name, d.name))) {
          if (!f.isFile()) continue;
          if (f.name === DAY_RECORD_FILE) record = readRecordFile(contentDir, day);
          else if (parsePaperRelPath(`${y.name}/${m.name}/${d.name}/${f.name}`)) paperFiles++;
        }
        days.push({ day, record, paperFiles });
      }
    }
  }
  return days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

function readRecordFile(contentDir: string, day: string): DayRecord {
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
  for (const f of listDir(dir)) {
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
