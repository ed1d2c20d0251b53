/**
 * Calendar views of the archive: a month as weeks (Monday to Sunday) where
 * every day says whether it has papers, had no list, or was never fetched;
 * and human-readable dates. Pure, UTC only.
 */
import type { Archive } from './archive.ts';
import type { DayRecord } from '../archive/schema.ts';
import { addDays, dayToDate, isDay } from '../archive/dates.ts';

export type DayStatus =
  /** Papers archived under this list day. */
  | 'papers'
  /** Fetched, and HF had no list that day (a weekend, a holiday). */
  | 'no-list'
  /** Fetched, but every paper on it is archived under an earlier list day. */
  | 'no-new-papers'
  /** Never fetched: the archive has no record of this day. */
  | 'not-fetched';

export interface CalendarDay {
  day: string;
  /** Day of the month, 1-31. */
  date: number;
  status: DayStatus;
  paperCount: number;
}

export interface MonthGrid {
  year: string;
  month: string;
  /** Weeks from Monday to Sunday; null pads the days outside the month. */
  weeks: (CalendarDay | null)[][];
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function dayStatus(archive: Archive, day: string): CalendarDay {
  const date = Number(day.slice(8, 10));
  const listDay = archive.byDay.get(day);
  if (listDay) return { day, date, status: 'papers', paperCount: listDay.papers.length };
  const record = archive.records.get(day);
  if (!record) return { day, date, status: 'not-fetched', paperCount: 0 };
  return { day, date, status: record.count === 0 ? 'no-list' : 'no-new-papers', paperCount: 0 };
}

/** The month `year`-`month` (`'2024'`, `'01'`) as Monday-first weeks. */
export function monthGrid(archive: Archive, year: string, month: string): MonthGrid {
  const first = `${year}-${month}-01`;
  if (!isDay(first)) throw new Error(`not a month: ${year}-${month}`);
  // getUTCDay: 0 = Sunday; Monday-first column index.
  const leading = (dayToDate(first).getUTCDay() + 6) % 7;
  const cells: (CalendarDay | null)[] = Array.from({ length: leading }, () => null);
  for (let day = first; day.slice(0, 7) === first.slice(0, 7); day = addDays(day, 1)) {
    cells.push(dayStatus(archive, day));
  }
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (CalendarDay | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return { year, month, weeks };
}

/** The archive's months (`YYYY-MM`) before and after `key` that have papers. */
export function monthNeighbours(archive: Archive, key: string): { previous: string | undefined; next: string | undefined } {
  const keys = [...archive.months.keys()].sort();
  const index = keys.indexOf(key);
  if (index < 0) {
    return { previous: keys.filter((k) => k < key).at(-1), next: keys.find((k) => k > key) };
  }
  return { previous: keys[index - 1], next: keys[index + 1] };
}

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

export function monthName(month: string): string {
  const name = MONTH_NAMES[Number(month) - 1];
  if (!name) throw new Error(`not a month: ${month}`);
  return name;
}

/** `2024-01-03` -> `Wednesday, 3 January 2024`. */
export function formatDay(day: string, withWeekday = true): string {
  const weekday = WEEKDAY_NAMES[(dayToDate(day).getUTCDay() + 6) % 7];
  const text = `${Number(day.slice(8, 10))} ${monthName(day.slice(5, 7))} ${day.slice(0, 4)}`;
  return withWeekday ? `${weekday}, ${text}` : text;
}

/** `2024-01` -> `January 2024`. */
export function formatMonth(key: string): string {
  return `${monthName(key.slice(5, 7))} ${key.slice(0, 4)}`;
}

/** An ISO time as `2024-01-04 06:00 UTC`; '' when it is not a time. */
export function formatUtcTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  return `${d.toISOString().slice(0, 10)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

/**
 * How final a list day is, for readers of the day page and the digest feed: a
 * day fetched while it was still filling up may grow (later runs refresh it).
 */
export function listStatus(record: DayRecord | undefined): string | undefined {
  if (!record) return undefined;
  const updated = formatUtcTime(record.updatedAt);
  return record.complete
    ? `Complete list, last updated ${updated}.`
    : `This list was still filling up when last fetched (${updated}); it may grow.`;
}
