/**
 * The commit message of a content commit made by the scheduled workflow:
 * which list days changed and how (new papers, updated papers, a day record
 * that changed, e.g. a list that became complete), and which days could not
 * be fetched. The counts come from what git actually stages, so the message
 * is true even when the fetch summary is missing; the fetch summary adds the
 * days that failed.
 */
import { z } from 'zod';
import { isDay } from './dates.ts';
import { DAY_RECORD_FILE, parsePaperRelPath } from './paths.ts';

/** One line of `git diff --cached --name-status --no-renames`, path relative to the content directory. */
export interface StagedChange {
  status: 'A' | 'M' | 'D';
  path: string;
}

export interface DayChanges {
  day: string;
  added: string[];
  updated: string[];
  removed: string[];
  /** day.json was added, changed or removed. */
  recordChanged: boolean;
}

/** What day.json says about a day now, and what it said in the last commit (absent: a new record). */
export interface DayState {
  listed: number;
  complete: boolean;
  digestSent: boolean;
  before?: { complete: boolean; digestSent: boolean };
}

export const FetchSummarySchema = z.object({
  days: z.array(
    z.object({
      day: z.string(),
      status: z.enum(['ok', 'failed', 'not-published']),
      listed: z.number().int().nonnegative().optional(),
      error: z.string().optional(),
    }),
  ),
  failed: z.number().int().nonnegative(),
});
export type FetchSummary = z.infer<typeof FetchSummarySchema>;

/**
 * Parse NUL-separated `git diff --name-status -z --no-renames` output whose
 * paths are relative to the content directory (`--relative=<dir>`).
 */
export function parseNameStatusZ(output: string): StagedChange[] {
  const fields = output.split('\0').filter((field) => field !== '');
  const changes: StagedChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i]!.charAt(0);
    // T (type change) and anything else unexpected count as a modification.
    changes.push({ status: status === 'A' || status === 'D' ? status : 'M', path: fields[i + 1]! });
  }
  return changes;
}

const DAY_RECORD_PATH = new RegExp(`^(\\d{4})/(\\d{2})/(\\d{2})/${DAY_RECORD_FILE.replace('.', '\\.')}$`);

/** Group staged changes by list day, newest day first. Paths that are neither papers nor day records go to `other`. */
export function groupByDay(changes: StagedChange[]): { days: DayChanges[]; other: string[] } {
  const byDay = new Map<string, DayChanges>();
  const other: string[] = [];
  const entry = (day: string) => {
    let found = byDay.get(day);
    if (!found) byDay.set(day, (found = { day, added: [], updated: [], removed: [], recordChanged: false }));
    return found;
  };
  for (const change of changes) {
    const record = DAY_RECORD_PATH.exec(change.path);
    if (record) {
      const day = `${record[1]}-${record[2]}-${record[3]}`;
      if (isDay(day)) {
        entry(day).recordChanged = true;
        continue;
      }
    }
    const paper = parsePaperRelPath(change.path);
    if (!paper) {
      other.push(change.path);
      continue;
    }
    const target = entry(paper.day);
    const list = change.status === 'A' ? target.added : change.status === 'D' ? target.removed : target.updated;
    list.push(paper.id);
  }
  const days = [...byDay.values()].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
  return { days, other };
}

/** What changed in the day record itself: the list became complete, the digest went out (or its claim was released). */
function recordNotes(state: DayState | undefined): string[] {
  if (!state?.before) return [];
  const notes: string[] = [];
  if (state.complete && !state.before.complete) notes.push('list complete');
  if (state.digestSent && !state.before.digestSent) notes.push('digest sent');
  // A claim cleared after a send that reached nobody (scripts/digest.ts --send-claimed): a later run sends it.
  if (!state.digestSent && state.before.digestSent) notes.push('digest not sent, claim released');
  return notes;
}

function countsPhrase(change: DayChanges, state: DayState | undefined): string {
  const parts: string[] = [];
  if (change.added.length) parts.push(`${change.added.length} new`);
  if (change.updated.length) parts.push(`${change.updated.length} updated`);
  if (change.removed.length) parts.push(`${change.removed.length} removed`);
  if (parts.length) return parts.join(', ');
  if (state && state.listed === 0 && !state.before) return 'no list';
  const notes = recordNotes(state);
  return notes.length ? notes.join(', ') : 'day record updated';
}

/** A short, single-line reason, safe to put in a commit message whatever the server said. */
function oneLine(text: string, max = 160): string {
  const collapsed = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

/**
 * The commit message: a subject naming the days and counts (up to three days
 * by name; a backfill is summarised as a range), and a body with one line per
 * day plus the days that failed.
 */
export function commitMessage(
  changes: { days: DayChanges[]; other: string[] },
  states: ReadonlyMap<string, DayState>,
  summary?: FetchSummary,
): string {
  const { days, other } = changes;
  const total = (key: 'added' | 'updated' | 'removed') => days.reduce((n, d) => n + d[key].length, 0);
  let subject: string;
  if (days.length === 0) {
    subject = `Daily Papers: ${other.length} other archive file(s) changed`;
  } else if (days.length <= 3) {
    subject = `Daily Papers ${days.map((d) => `${d.day}: ${countsPhrase(d, states.get(d.day))}`).join('; ')}`;
  } else {
    const newest = days[0]!.day;
    const oldest = days[days.length - 1]!.day;
    const parts: string[] = [];
    if (total('added')) parts.push(`${total('added')} new`);
    if (total('updated')) parts.push(`${total('updated')} updated`);
    if (total('removed')) parts.push(`${total('removed')} removed`);
    if (!parts.length) parts.push('day records only');
    subject = `Daily Papers ${oldest} to ${newest} (${days.length} days): ${parts.join(', ')}`;
  }

  const body: string[] = [];
  for (const d of days) {
    const state = states.get(d.day);
    const listed = state && state.listed > 0 ? `${state.listed} listed, ` : '';
    const progress = state && state.listed > 0 ? (state.complete ? ' (complete)' : ' (list still filling)') : '';
    const counts = countsPhrase(d, state);
    const digest = state?.digestSent && !state.before?.digestSent && !counts.includes('digest sent') ? ', digest sent' : '';
    body.push(`${d.day}  ${listed}${counts}${progress}${digest}`);
  }
  if (other.length) body.push(`Other files: ${other.slice(0, 5).join(', ')}${other.length > 5 ? ', …' : ''}`);
  const failed = summary?.days.filter((d) => d.status === 'failed' && isDay(d.day)) ?? [];
  if (failed.length) {
    body.push('');
    body.push(`Not fetched (${failed.length}; the next run tries again):`);
    for (const f of failed) body.push(`${f.day}  ${oneLine(f.error ?? 'failed')}`);
  }
  return `${subject}\n\n${body.join('\n')}\n`;
}
