/**
 * Which list day the digest is about, and whether it may be sent. Pure: it
 * takes what the content directory holds (see archive.ts) and decides.
 *
 * - Without a date: the latest complete list day with papers. A day still
 *   filling up (its record is not `complete`) is skipped, so the job mails the
 *   previous complete day; older unsent days are never mailed in bulk.
 * - A day whose digest was sent (`digestSentAt`) is not sent again unless forced.
 * - A day without papers (weekends) has nothing to send.
 * - Of the chosen day, only the papers the fork's feed filter keeps are mailed
 *   (`selectDigestPapers`); when it keeps none, there is nothing to send.
 */
import { type FeedFilter, filterPapers } from '../feeds/feed-filter.ts';
import type { DayRecord, Paper } from '../archive/schema.ts';

export interface DayState {
  day: string;
  record: DayRecord | undefined;
  /** Paper files archived under this day. */
  paperFiles: number;
}

export interface ChooseOptions {
  /** A day asked for explicitly (`--date`). */
  date?: string | undefined;
  /** Send even if already sent, or if the asked-for day is still filling up. */
  force?: boolean;
  /** Building a preview only: an earlier send does not matter. */
  ignoreSent?: boolean;
}

export type DigestChoice =
  /** Build (and send) the digest of `day`; `note` explains a fallback to an earlier day. */
  | { kind: 'digest'; day: string; record: DayRecord | undefined; note?: string }
  /** Nothing to send, and that is normal (exit 0). */
  | { kind: 'nothing'; day?: string; reason: string }
  /** The request cannot be met (exit 1). */
  | { kind: 'error'; reason: string };

const isComplete = (s: DayState) => s.record?.complete === true;

export function chooseDigestDay(days: readonly DayState[], options: ChooseOptions = {}): DigestChoice {
  const { date, force = false, ignoreSent = false } = options;
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  let chosen: DayState;
  let note: string | undefined;
  if (date !== undefined) {
    const state = sorted.find((s) => s.day === date);
    if (!state || (!state.record && state.paperFiles === 0)) {
      return { kind: 'error', reason: `no list day ${date} in the archive (not fetched yet?)` };
    }
    if (state.paperFiles === 0) {
      return { kind: 'nothing', day: date, reason: `${date} has no papers (no list that day): nothing to send` };
    }
    if (!isComplete(state) && !force && !ignoreSent) {
      return {
        kind: 'nothing',
        day: date,
        reason: `${date} is still filling up (its day record is not complete): nothing sent; rerun after the day ends, or pass --force`,
      };
    }
    chosen = state;
  } else {
    const withPapers = sorted.filter((s) => s.paperFiles > 0);
    const candidates = withPapers.filter(isComplete);
    const latest = candidates.at(-1);
    if (!latest) return { kind: 'nothing', reason: 'no complete list day with papers in the archive yet: nothing to send' };
    const newer = withPapers.filter((s) => s.day > latest.day).map((s) => s.day);
    if (newer.length) note = `${newer.join(', ')} still filling up: the digest is about ${latest.day}`;
    chosen = latest;
  }

  const sentAt = chosen.record?.digestSentAt;
  if (sentAt && !force && !ignoreSent) {
    return {
      kind: 'nothing',
      day: chosen.day,
      reason: `the digest of ${chosen.day} was already sent at ${sentAt}: nothing to send (--force sends it again)`,
    };
  }
  return note === undefined
    ? { kind: 'digest', day: chosen.day, record: chosen.record }
    : { kind: 'digest', day: chosen.day, record: chosen.record, note };
}

export type DigestPapers<T> =
  /** The papers to mail, and how many the day's list had (more when the filter dropped some). */
  | { kind: 'papers'; papers: T[]; listed: number }
  /** The filter kept none of the day's papers (exit 0). */
  | { kind: 'nothing'; reason: string };

/** The papers of `day` that `filter` (siteConfig.feedFilter) keeps: the same selection as the feeds. */
export function selectDigestPapers<T extends { paper: Paper }>(day: string, items: readonly T[], filter: FeedFilter): DigestPapers<T> {
  const kept = new Set(filterPapers(items.map((item) => item.paper), filter));
  const papers = items.filter((item) => kept.has(item.paper));
  if (items.length > 0 && papers.length === 0) {
    return { kind: 'nothing', reason: `none of the ${items.length} papers of ${day} passes feedFilter in src/config.ts: nothing to send` };
  }
  return { kind: 'papers', papers, listed: items.length };
}
