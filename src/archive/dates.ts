/**
 * List days are calendar days in UTC, written `YYYY-MM-DD`. All date
 * arithmetic goes through here so that no local time zone ever leaks in.
 */

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar day in `YYYY-MM-DD` form (2023-02-30 is false). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, date));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === date;
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function todayUtc(now: Date = new Date()): string {
  return dayOf(now);
}

export function dayToDate(day: string): Date {
  if (!isDay(day)) throw new Error(`not a date (YYYY-MM-DD): ${day}`);
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(dayToDate(day).getTime() + n * MS_PER_DAY));
}

/** Inclusive range of days from `from` to `to`; empty when from > to. */
export function dayRange(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

export function dayParts(day: string): { year: string; month: string; date: string } {
  if (!isDay(day)) throw new Error(`not a date (YYYY-MM-DD): ${day}`);
  return { year: day.slice(0, 4), month: day.slice(5, 7), date: day.slice(8, 10) };
}

/** `2024-01-05T00:00:00.000Z` (or any ISO time) -> `2024-01-05`, in UTC. */
export function isoToDay(iso: string): string | undefined {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : dayOf(new Date(t));
}
