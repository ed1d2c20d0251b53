/**
 * What a fetch run did, for people: the JSON summary (`--summary-file`, read
 * by the workflow's commit step), one log line per day, and a Markdown table
 * for the GitHub Actions step summary.
 */
import type { OlderGaps } from './fetch-plan.ts';

/** How final a fetched day's list is. */
export type ListState =
  /** Fetched after its UTC day ended: it no longer grows. */
  | 'complete'
  /** Its UTC day has not ended: later runs fetch it again. */
  | 'filling'
  /** Its day ended, but some papers came without authors, abstract or date: later runs ask again. */
  | 'degraded'
  /** An empty answer that no later day confirms yet: later runs ask again. */
  | 'unconfirmed'
  /** Empty, and confirmed by a later day that has papers. */
  | 'no list';

export interface Skipped {
  id: string;
  reason: string;
}

export interface DaySummary {
  day: string;
  /** Why the day was fetched: asked for, caught up, refreshed, or imported. */
  role: 'requested' | 'catch-up' | 'refresh' | 'import';
  status: 'ok' | 'failed' | 'not-published';
  state?: ListState;
  /** Papers the day record lists. */
  listed: number;
  written: number;
  updated: number;
  unchanged: number;
  /** Papers listed before that this answer no longer had: kept. */
  kept: number;
  /** Elements skipped (see `skipped`). */
  rejected: number;
  skipped: Skipped[];
  /** Later copies of papers stored twice, removed. */
  removedCopies: string[];
  /** Papers stored without authors, abstract or date (from a degraded answer). */
  degraded: string[];
  error?: string;
}

export interface RunSummary {
  mode: 'catch-up' | 'days' | 'import';
  now: string;
  dryRun: boolean;
  /** Catch-up only: the lookback window. */
  window?: { from: string; to: string; lookback: number };
  olderGaps?: OlderGaps & { command: string };
  calls: number;
  waitedSeconds: number;
  days: DaySummary[];
  /** Import only: elements that could not be filed under any day. */
  unfiled: Skipped[];
  failed: number;
  /** Elements skipped in all (days and unfiled). */
  skipped: number;
}

export function emptyDay(day: string, role: DaySummary['role']): DaySummary {
  return { day, role, status: 'ok', listed: 0, written: 0, updated: 0, unchanged: 0, kept: 0, rejected: 0, skipped: [], removedCopies: [], degraded: [] };
}

export function backfillCommand(gaps: OlderGaps): string {
  return `npm run fetch -- --from ${gaps.from} --to ${gaps.to}`;
}

/** The one line about days before the lookback window that were never fetched (or never completed). */
export function olderGapsLine(gaps: OlderGaps, lookback: number): string {
  const parts = [];
  if (gaps.missing) parts.push(`${gaps.missing} day(s) never fetched`);
  if (gaps.incomplete) parts.push(`${gaps.incomplete} day(s) incomplete`);
  return (
    `Older than the ${lookback}-day lookback, not fetched: ${parts.join(' and ')} between ${gaps.from} and ${gaps.to}; ` +
    `backfill them with \`${backfillCommand(gaps)}\` (or the workflow's from/to inputs)`
  );
}

const STATE_TEXT: Record<ListState, string> = {
  complete: 'complete',
  filling: 'list still filling',
  degraded: 'papers incomplete, asked again',
  unconfirmed: 'empty answer not confirmed yet',
  'no list': 'no list',
};

/** The log line of a day that was fetched (after the day and two spaces). */
export function describeDay(s: DaySummary): string {
  if (s.status === 'failed') return `FAILED: ${s.error ?? 'unknown error'}`;
  if (s.status === 'not-published') return 'not published yet (the list for a day after today in UTC does not exist)';
  if (s.listed === 0) {
    if (s.state === 'no list') return 'no list that day (later days have papers)';
    if (s.state === 'filling') return 'no papers yet (the list is still filling)';
    return 'empty answer, not trusted until a later day has papers: the next run asks again';
  }
  const parts = [`${s.listed} listed`, `${s.written} new`, `${s.updated} updated`, `${s.unchanged} unchanged`];
  if (s.kept) parts.push(`${s.kept} kept that HF no longer lists`);
  if (s.rejected) parts.push(`${s.rejected} skipped`);
  if (s.removedCopies.length) parts.push(`${s.removedCopies.length} duplicate copies removed`);
  if (s.degraded.length) parts.push(`${s.degraded.length} without authors, abstract or date`);
  return `${parts.join(', ')}${s.state ? ` (${STATE_TEXT[s.state]})` : ''}`;
}

/** Text from the API or the file system, safe in a Markdown table cell: no markup, no HTML, one line. */
export function markdownCell(text: string, max = 200): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const short = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return short
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!()])/g, '\\$1');
}

function papersCell(s: DaySummary): string {
  if (s.status !== 'ok') return '';
  if (s.listed === 0) return '0';
  const parts = [`${s.written} new`, `${s.updated} updated`];
  if (s.kept) parts.push(`${s.kept} kept`);
  return `${s.listed} (${parts.join(', ')})`;
}

/** The step summary: what the run did, and a row per day. */
export function stepSummaryMarkdown(summary: RunSummary): string {
  const lines: string[] = [];
  const failed = summary.days.filter((d) => d.status === 'failed');
  let title = 'Fetch';
  if (summary.mode === 'catch-up' && summary.window) {
    const caught = summary.days.filter((d) => d.role === 'catch-up');
    const refreshed = summary.days.filter((d) => d.role === 'refresh');
    title += `: caught up ${caught[0]?.day ?? summary.window.to} to ${summary.window.to}` + (refreshed.length ? `, refreshed ${refreshed.length} earlier list day(s)` : '');
  } else if (summary.mode === 'import') {
    title += ': import of recorded responses';
  }
  lines.push(`### ${title}${summary.dryRun ? ' (dry run: nothing written)' : ''}`, '');
  const status = failed.length || summary.skipped ? `**${failed.length} day(s) failed, ${summary.skipped} element(s) skipped**` : 'No day failed, no element skipped';
  lines.push(`${status}. ${summary.calls} API call(s)${summary.waitedSeconds ? `, ${summary.waitedSeconds} s spent waiting for the rate limit` : ''}.`, '');
  if (summary.days.length) {
    lines.push('| Day | Fetched as | List | Papers | Skipped | Notes |', '| --- | --- | --- | --- | --- | --- |');
    for (const d of summary.days) {
      const list = d.status === 'failed' ? '**failed**' : d.status === 'not-published' ? 'not published yet' : STATE_TEXT[d.state ?? 'filling'];
      const notes =
        d.status === 'failed'
          ? markdownCell(d.error ?? '')
          : [d.degraded.length ? `${d.degraded.length} paper(s) without authors, abstract or date` : '', d.removedCopies.length ? `${d.removedCopies.length} duplicate copies removed` : '']
              .filter(Boolean)
              .join('; ');
      lines.push(`| ${d.day} | ${d.role} | ${list} | ${papersCell(d)} | ${d.rejected || ''} | ${notes} |`);
    }
    lines.push('');
  }
  const skipped = [...summary.days.flatMap((d) => d.skipped.map((s) => ({ where: d.day, ...s }))), ...summary.unfiled.map((s) => ({ where: 'import', ...s }))];
  if (skipped.length) {
    lines.push('Skipped elements (the rest of their day was written):', '');
    for (const s of skipped.slice(0, 50)) lines.push(`- ${s.where}: ${markdownCell(s.id, 80)}: ${markdownCell(s.reason)}`);
    if (skipped.length > 50) lines.push(`- and ${skipped.length - 50} more (see the log)`);
    lines.push('');
  }
  // Built from validated days and numbers only: no escaping needed, and the command stays code.
  if (summary.olderGaps && summary.window) lines.push(olderGapsLine(summary.olderGaps, summary.window.lookback), '');
  return `${lines.join('\n')}\n`;
}
