/**
 * The archive grouped once per build: list days (newest first) with their
 * papers by upvotes, months, years, and previous/next navigation. Pure: it
 * takes plain papers and day records, so pages, feeds and scripts share it
 * and tests call it directly. `src/site/content.ts` builds it from the
 * content collections once and every page reuses that instance.
 */
import type { DayRecord, Paper } from '../archive/schema.ts';

export interface ListDay {
  day: string;
  /** Papers archived under this day, most upvoted first (ties: id). */
  papers: Paper[];
  record: DayRecord | undefined;
}

export interface MonthSummary {
  year: string;
  month: string;
  /** `YYYY-MM` */
  key: string;
  paperCount: number;
  /** Days of this month that have archived papers, oldest first. */
  days: ListDay[];
}

export interface YearSummary {
  year: string;
  paperCount: number;
  /** Months with papers, oldest first. */
  months: MonthSummary[];
}

export interface Archive {
  /** List days with at least one archived paper, newest first. */
  days: ListDay[];
  byDay: ReadonlyMap<string, ListDay>;
  byId: ReadonlyMap<string, Paper>;
  /** Every day record, fetched days without papers (weekends) included. */
  records: ReadonlyMap<string, DayRecord>;
  /** Newest first. */
  years: YearSummary[];
  months: ReadonlyMap<string, MonthSummary>;
  latest: ListDay | undefined;
  paperCount: number;
}

export function byUpvotes(a: Paper, b: Paper): number {
  return b.upvotes - a.upvotes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function buildArchive(papers: readonly Paper[], records: readonly DayRecord[] = []): Archive {
  const recordMap = new Map(records.map((r) => [r.day, r]));
  const byId = new Map<string, Paper>();
  const grouped = new Map<string, Paper[]>();
  for (const paper of papers) {
    byId.set(paper.id, paper);
    let list = grouped.get(paper.listDay);
    if (!list) grouped.set(paper.listDay, (list = []));
    list.push(paper);
  }
  const days: ListDay[] = [...grouped.keys()]
    .sort()
    .reverse()
    .map((day) => ({ day, papers: grouped.get(day)!.sort(byUpvotes), record: recordMap.get(day) }));

  const months = new Map<string, MonthSummary>();
  for (const listDay of [...days].reverse()) {
    const key = listDay.day.slice(0, 7);
    let month = months.get(key);
    if (!month) {
      month = { year: key.slice(0, 4), month: key.slice(5, 7), key, paperCount: 0, days: [] };
      months.set(key, month);
    }
    month.days.push(listDay);
    month.paperCount += listDay.papers.length;
  }
  const years = new Map<string, YearSummary>();
  for (const month of months.values()) {
    let year = years.get(month.year);
    if (!year) years.set(month.year, (year = { year: month.year, paperCount: 0, months: [] }));
    year.months.push(month);
    year.paperCount += month.paperCount;
  }

  return {
    days,
    byDay: new Map(days.map((d) => [d.day, d])),
    byId,
    records: recordMap,
    years: [...years.values()].reverse(),
    months,
    latest: days[0],
    paperCount: byId.size,
  };
}

/** The closest older and newer list days that have papers (days without a list are skipped). */
export function neighbours(archive: Archive, day: string): { previous: string | undefined; next: string | undefined } {
  // days is sorted newest first; binary search for the first day older than `day`.
  const { days } = archive;
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]!.day > day) lo = mid + 1;
    else hi = mid;
  }
  const olderIndex = days[lo]?.day === day ? lo + 1 : lo;
  return { previous: days[olderIndex]?.day, next: lo > 0 ? days[lo - 1]!.day : undefined };
}
