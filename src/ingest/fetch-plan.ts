/**
 * Which days a fetch asks for. The default (no day given) is a catch-up: every
 * day from the oldest day of the lookback window that has no record or an
 * incomplete one, through today, so runs missed for any reason (an outage, a
 * disabled schedule, an API having a bad day) are made good by the next
 * ordinary run. Days older than the window that were never fetched are
 * counted, not fetched: a backfill is the owner's call.
 */
import { addDays, dayRange } from '../archive/dates.ts';

/** What the archive says about one day. */
export type DayState =
  | { kind: 'missing' }
  | { kind: 'recorded'; count: number; complete: boolean }
  /** The record cannot be read: the day is asked for, and fails with the file's name until it is fixed. */
  | { kind: 'unreadable' };

export interface PlanInput {
  /** Today in UTC (YYYY-MM-DD). */
  today: string;
  /** How many days before today the catch-up looks back. */
  lookback: number;
  /** How many list days (days with papers) before the first caught-up day to refresh. */
  refreshDays: number;
  /** Every day the archive knows (has a record or a paper file), oldest first. */
  knownDays: readonly string[];
  /** Days with a day record. */
  recordDays: ReadonlySet<string>;
  /** The state of a day that has a record. */
  read: (day: string) => DayState;
}

export interface OlderGaps {
  /** Days before the window, from the archive's first day on, with no record. */
  missing: number;
  /** Days before the window whose record is incomplete (or unreadable). */
  incomplete: number;
  /** The oldest and newest of them. */
  from: string;
  to: string;
}

export interface CatchUpPlan {
  window: { from: string; to: string };
  /** The days to fetch, oldest first: from the oldest that needs it through today. */
  days: string[];
  /** How many of `days` had no record or an incomplete one (the others are fetched again on the way). */
  needed: number;
  refresh: string[];
  olderGaps: OlderGaps | undefined;
}

const needsFetch = (state: DayState) => state.kind !== 'recorded' || !state.complete;

function stateOf(input: PlanInput, day: string): DayState {
  return input.recordDays.has(day) ? input.read(day) : { kind: 'missing' };
}

/** The N list days (days with papers, or unreadable records) before `first`, oldest first. */
export function refreshTargets(input: Pick<PlanInput, 'recordDays' | 'read'>, first: string, n: number): string[] {
  if (n === 0) return [];
  const earlier = [...input.recordDays].filter((d) => d < first).sort().reverse();
  const picked: string[] = [];
  let lists = 0;
  for (const day of earlier) {
    if (lists === n) break;
    const state = input.read(day);
    if (state.kind === 'unreadable') picked.push(day);
    else if (state.kind === 'recorded' && state.count > 0) {
      picked.push(day);
      lists++;
    }
  }
  return picked.reverse();
}

export function planCatchUp(input: PlanInput): CatchUpPlan {
  const from = addDays(input.today, -input.lookback);
  const window = dayRange(from, input.today);
  const states = new Map(window.map((day) => [day, stateOf(input, day)]));
  const start = window.find((day) => needsFetch(states.get(day)!)) ?? input.today;
  const days = dayRange(start, input.today);
  const needed = days.filter((day) => needsFetch(states.get(day)!)).length;

  let olderGaps: OlderGaps | undefined;
  const first = input.knownDays[0];
  if (first !== undefined && first < from) {
    let missing = 0;
    let incomplete = 0;
    let oldest: string | undefined;
    let newest: string | undefined;
    for (const day of dayRange(first, addDays(from, -1))) {
      const state = stateOf(input, day);
      if (!needsFetch(state)) continue;
      if (state.kind === 'missing') missing++;
      else incomplete++;
      oldest ??= day;
      newest = day;
    }
    if (oldest && newest) olderGaps = { missing, incomplete, from: oldest, to: newest };
  }

  return { window: { from, to: input.today }, days, needed, refresh: refreshTargets(input, start, input.refreshDays), olderGaps };
}
