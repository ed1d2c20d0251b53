/**
 * Where things live inside the content directory. Every path is built from a
 * validated day and a validated arXiv id, and checked to stay inside the
 * content directory before anyone opens it.
 */
import path from 'node:path';
import { idToFileStem, fileStemToId } from './arxiv.ts';
import { dayParts, isDay } from './dates.ts';

export const DAY_RECORD_FILE = 'day.json';

/** `YYYY/MM/DD`, relative to the content directory. */
export function dayDir(day: string): string {
  const { year, month, date } = dayParts(day);
  return `${year}/${month}/${date}`;
}

export function paperRelPath(day: string, id: string): string {
  return `${dayDir(day)}/${idToFileStem(id)}.md`;
}

export function dayRecordRelPath(day: string): string {
  return `${dayDir(day)}/${DAY_RECORD_FILE}`;
}

export class OutsideContentDirError extends Error {}

/** Resolve `rel` under `contentDir`, refusing anything that would land outside it. */
export function resolveInside(contentDir: string, rel: string): string {
  const root = path.resolve(contentDir);
  const full = path.resolve(root, rel);
  if (!full.startsWith(root + path.sep)) {
    throw new OutsideContentDirError(`refusing to touch ${full}: outside the content directory ${root}`);
  }
  return full;
}

/** Parse `YYYY/MM/DD/<stem>.md` back into its day and id, or undefined for anything else. */
export function parsePaperRelPath(rel: string): { day: string; id: string } | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\.md$/.exec(rel.split(path.sep).join('/'));
  if (!m) return undefined;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const id = fileStemToId(m[4]!);
  return isDay(day) && id ? { day, id } : undefined;
}
