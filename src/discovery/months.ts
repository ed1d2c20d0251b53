/**
 * The month's best: each calendar month's most upvoted papers, and whether that
 * ranking is final. The rule is the weeks' (src/discovery/weeks.ts): final once the
 * month's last day is FINAL_AFTER_DAYS days old relative to the build's
 * reference time, because upvotes settle within a week or two. Pure, UTC.
 */
import { type Archive, byUpvotes } from '../site/archive.ts';
import { addDays, dayOf, isDay } from '../archive/dates.ts';
import type { Paper } from '../archive/schema.ts';
import { FINAL_AFTER_DAYS } from './weeks.ts';

export interface MonthBest {
  /** `YYYY-MM` */
  key: string;
  year: string;
  month: string;
  paperCount: number;
  /** The month's most upvoted papers (ties: id), at most `topN`. */
  top: Paper[];
  final: boolean;
  /** First day the ranking is (or was) final. */
  finalFrom: string;
}

/** The last day of a `YYYY-MM` month. */
export function monthLastDay(key: string): string {
  const first = `${key}-01`;
  if (!/^\d{4}-\d{2}$/.test(key) || !isDay(first)) throw new Error(`not a month (YYYY-MM): ${key}`);
  const [year, month] = [Number(key.slice(0, 4)), Number(key.slice(5, 7))];
  // Day 0 of the next month is the last day of this one.
  return dayOf(new Date(Date.UTC(year, month, 0)));
}

/** The first day on which the month's ranking is final. */
export function monthFinalFrom(key: string): string {
  return addDays(monthLastDay(key), FINAL_AFTER_DAYS);
}

/** Whether the month's ranking is final at `now` (its last day is at least FINAL_AFTER_DAYS days old, UTC). */
export function isMonthFinal(key: string, now: Date): boolean {
  return dayOf(now) >= monthFinalFrom(key);
}

/** Months that have papers, newest first, each with its `topN` most upvoted papers. */
export function buildMonthBests(archive: Archive, topN: number, now: Date): MonthBest[] {
  return [...archive.months.values()]
    .sort((a, b) => (a.key < b.key ? 1 : -1))
    .map((m) => ({
      key: m.key,
      year: m.year,
      month: m.month,
      paperCount: m.paperCount,
      top: m.days
        .flatMap((d) => d.papers)
        .sort(byUpvotes)
        .slice(0, Math.max(0, topN)),
      final: isMonthFinal(m.key, now),
      finalFrom: monthFinalFrom(m.key),
    }));
}
