/**
 * What the fixture archive holds, read straight from its files, so the build
 * tests state their expectations from the data rather than from the site code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDayRecord, parsePaperFile } from '../../src/archive/paper-file.ts';
import type { DayRecord, Paper } from '../../src/archive/schema.ts';
import { FIXTURE_ARCHIVE } from '../helpers/build-site.ts';
import { listFiles } from './html.ts';

export interface FixturePaper {
  paper: Paper;
  abstract: string;
}

export interface Fixture {
  papers: FixturePaper[];
  byId: Map<string, FixturePaper>;
  records: DayRecord[];
  /** List days that have papers, oldest first. */
  listDays: string[];
  /** Days with a record saying there was no list. */
  emptyDays: string[];
  papersOn(day: string): FixturePaper[];
}

export function loadFixture(dir = FIXTURE_ARCHIVE): Fixture {
  const files = listFiles(dir);
  const papers = files
    .filter((file) => file.endsWith('.md'))
    .map((file) => parsePaperFile(readFileSync(join(dir, file), 'utf8')));
  const records = files
    .filter((file) => file.endsWith('/day.json'))
    .map((file) => parseDayRecord(readFileSync(join(dir, file), 'utf8')));
  const listDays = [...new Set(papers.map((p) => p.paper.listDay))].sort();
  const emptyDays = records.filter((r) => r.papers.length === 0).map((r) => r.day).sort();
  return {
    papers,
    byId: new Map(papers.map((p) => [p.paper.id, p])),
    records,
    listDays,
    emptyDays,
    papersOn: (day) => papers.filter((p) => p.paper.listDay === day),
  };
}

