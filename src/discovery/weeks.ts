/**
 * Weekly bests: ISO 8601 weeks (Monday to Sunday, week 1 holds the year's
 * first Thursday, written `2025-W01`) and their most upvoted papers. Upvotes
 * settle within a week or two, so a week's ranking is called final once its
 * Sunday is FINAL_AFTER_DAYS days old relative to a reference time: the build
 * time, injectable for tests (PAPERBOY_BUILD_TIME). A week page therefore only
 * changes on rebuild while the week is younger than that. Pure, all in UTC.
 */
import type { Archive, ListDay } from '../site/archive.ts';
import { byUpvotes } from '../site/archive.ts';
import { addDays, dayOf, dayToDate, isDay } from '../archive/dates.ts';
import type { Paper } from '../archive/schema.ts';

/** Days after a week's Sunday from which its ranking counts as final. */
export const FINAL_AFTER_DAYS = 14;

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
  /** The ISO week-numbering year (2024-12-30 belongs to 2025). */
  year: number;
  week: number;
  /** `YYYY-Www` */
  key: string;
}

export function weekKey(year: number, week: number): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week of a `YYYY-MM-DD` day. */
export function isoWeekOf(day: string): IsoWeek {
  const date = dayToDate(day);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  // The Thursday of this week decides the week-numbering year.
  const thursday = addDays(day, 3 - weekday);
  const year = Number(thursday.slice(0, 4));
  const firstThursdayOfYear = dayOf(new Date(Date.UTC(year, 0, 1)));
  const ordinal = Math.round((dayToDate(thursday).getTime() - dayToDate(firstThursdayOfYear).getTime()) / 86_400_000);
  const week = Math.floor(ordinal / 7) + 1;
  return { year, week, key: weekKey(year, week) };
}

/** The Monday of an ISO week. */
export function weekMonday(key: string): string {
  const m = WEEK_RE.exec(key);
  if (!m) throw new Error(`not an ISO week (YYYY-Www): ${key}`);
  const year = Number(m[1]);
  // 4 January is always in week 1.
  const jan4 = dayOf(new Date(Date.UTC(year, 0, 4)));
  const jan4Weekday = (dayToDate(jan4).getUTCDay() + 6) % 7;
  return addDays(jan4, -jan4Weekday + (Number(m[2]) - 1) * 7);
}

/** The Sunday (last day) of an ISO week. */
export function weekSunday(key: string): string {
  return addDays(weekMonday(key), 6);
}

/** True for `YYYY-Www` naming a week that exists (W53 only in long years). */
export function isWeekKey(value: unknown): value is string {
  if (typeof value !== 'string' || !WEEK_RE.test(value)) return false;
  const week = Number(value.slice(6));
  if (week < 1 || week > 53) return false;
  return isoWeekOf(weekMonday(value)).key === value;
}

/** The first day on which the week's ranking is final. */
export function finalFrom(key: string): string {
  return addDays(weekSunday(key), FINAL_AFTER_DAYS);
}

/** Whether the week's ranking is final at `now` (its Sunday is at least FINAL_AFTER_DAYS days old, UTC). */
export function isWeekFinal(key: string, now: Date): boolean {
  return dayOf(now) >= finalFrom(key);
}

/**
 * The build's reference time for finality: `PAPERBOY_BUILD_TIME` (an ISO date
 * or date-time, for tests and reproducible builds) or the current time.
 */
export function referenceTime(env: Record<string, string | undefined> = process.env, now: () => Date = () => new Date()): Date {
  const fixed = env.PAPERBOY_BUILD_TIME?.trim();
  if (!fixed) return now();
  const time = isDay(fixed) ? Date.parse(`${fixed}T00:00:00Z`) : Date.parse(fixed);
  if (Number.isNaN(time)) throw new Error(`PAPERBOY_BUILD_TIME is not an ISO date or date-time: ${JSON.stringify(fixed)}`);
  return new Date(time);
}

export interface Week {
  key: string;
  monday: string;
  sunday: string;
  /** List days of this week with papers, oldest first. */
  days: ListDay[];
  paperCount: number;
  /** The most upvoted papers of the week (ties: id), at most `topN`. */
  top: Paper[];
  final: boolean;
  /** First day the ranking is (or was) final. */
  finalFrom: string;
}

/** Weeks that have papers, newest first. */
export function buildWeeks(archive: Archive, topN: number, now: Date): Week[] {
  const grouped = new Map<string, ListDay[]>();
  for (const listDay of archive.days) {
    const { key } = isoWeekOf(listDay.day);
    let days = grouped.get(key);
    if (!days) grouped.set(key, (days = []));
    days.push(listDay);
  }
  return [...grouped]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([key, days]) => {
      const papers = days.flatMap((d) => d.papers);
      return {
        key,
        monday: weekMonday(key),
        sunday: weekSunday(key),
        days: [...days].sort((a, b) => (a.day < b.day ? -1 : 1)),
        paperCount: papers.length,
        top: [...papers].sort(byUpvotes).slice(0, Math.max(0, topN)),
        final: isWeekFinal(key, now),
        finalFrom: finalFrom(key),
      };
    });
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function parts(day: string): { y: string; m: string; d: number } {
  return { y: day.slice(0, 4), m: MONTHS[Number(day.slice(5, 7)) - 1]!, d: Number(day.slice(8, 10)) };
}

/** `1–7 January 2024`, `29 January – 4 February 2024`, `30 December 2024 – 5 January 2025`. */
export function formatWeekRange(key: string): string {
  const a = parts(weekMonday(key));
  const b = parts(weekSunday(key));
  if (a.y !== b.y) return `${a.d} ${a.m} ${a.y} – ${b.d} ${b.m} ${b.y}`;
  if (a.m !== b.m) return `${a.d} ${a.m} – ${b.d} ${b.m} ${b.y}`;
  return `${a.d}–${b.d} ${b.m} ${b.y}`;
}
