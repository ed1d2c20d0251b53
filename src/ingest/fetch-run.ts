/**
 * One run of the fetch command (`npm run fetch`): which days (the catch-up
 * plan, explicit days, or recorded responses), fetching and validating each,
 * applying it to the store, and reporting. By default it catches up
 * (fetch-plan.ts); the store (store.ts) guarantees nothing recorded shrinks;
 * fetch-report.ts says what happened. An empty answer is applied at the end
 * of the run, once it is known whether a later day answered with papers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { addDays, todayUtc } from '../archive/dates.ts';
import { planCatchUp, refreshTargets, type DayState } from './fetch-plan.ts';
import { backfillCommand, describeDay, emptyDay, olderGapsLine, stepSummaryMarkdown, type DaySummary, type RunSummary } from './fetch-report.ts';
import { CallBudget, DayFetchError, fetchDay } from './hf-client.ts';
import { validateElements } from './ingest.ts';
import type { NormalizedPaper } from './normalize.ts';
import { OutsideContentDirError } from '../archive/paths.ts';
import { applyDay, ArchiveFileError, DayRefusedError, readDayRecord, scanArchive, writeFileAtomic, type DayResult } from '../archive/store.ts';

export interface FetchOptions {
  /** Explicit days; undefined for the catch-up. */
  days: string[] | undefined;
  lookback: number;
  refreshDays: number;
  importFiles: string[];
  apiBase: string;
  contentDir: string;
  dryRun: boolean;
  timeoutMs: number;
  retries: number;
  rateLimit: { calls: number; windowMs: number };
  summaryFile: string | undefined;
  /** A Markdown report is appended here (GitHub Actions' GITHUB_STEP_SUMMARY). */
  stepSummaryFile: string | undefined;
  now: Date;
}

/** Where the run's lines go: progress on `log`, failures and warnings on `warn`. */
export interface FetchOutput {
  log: (line: string) => void;
  warn: (line: string) => void;
}

function readImportFile(file: string): unknown[] {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (error) {
    throw new DayFetchError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    if (buffer[0] === 0x1f && buffer[1] === 0x8b) buffer = gunzipSync(buffer);
  } catch {
    throw new DayFetchError(`${file} is not a valid gzip file`);
  }
  let data: unknown;
  try {
    data = JSON.parse(buffer.toString('utf8'));
  } catch {
    throw new DayFetchError(`${file} is not valid JSON`);
  }
  if (!Array.isArray(data)) throw new DayFetchError(`${file} is not a JSON array of daily papers`);
  return data;
}

/** One line for a failure: the known kinds say it themselves; anything else gets its name, never a stack. */
function failureMessage(error: unknown): string {
  if (error instanceof DayFetchError || error instanceof DayRefusedError || error instanceof ArchiveFileError || error instanceof OutsideContentDirError) {
    return error.message;
  }
  const e = error as Error;
  return `${e.name ?? 'Error'}: ${String(e.message ?? error).split('\n')[0]}`;
}

function recordState(contentDir: string, day: string): DayState {
  try {
    const record = readDayRecord(contentDir, day);
    return record ? { kind: 'recorded', count: record.count, complete: record.complete } : { kind: 'missing' };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** Run the fetch; returns the exit code (0 done, 1 a day failed or an element was skipped). */
export async function runFetch(opts: FetchOptions, out: FetchOutput): Promise<number> {
  const nowIso = opts.now.toISOString();
  const today = todayUtc(opts.now);
  const index = scanArchive(opts.contentDir);
  if (index.removedTempFiles) out.log(`Removed ${index.removedTempFiles} temporary file(s) left by an interrupted run.`);
  for (const [id, days] of index.duplicates) {
    out.log(`Paper ${id} is stored under ${days.length} days (${days.join(', ')}): it belongs to ${days[0]}; the next fetch of it removes the other copies.`);
  }
  const budget = new CallBudget(opts.rateLimit.calls, opts.rateLimit.windowMs);
  const summary: RunSummary = {
    mode: opts.importFiles.length ? 'import' : opts.days ? 'days' : 'catch-up',
    now: nowIso,
    dryRun: opts.dryRun,
    calls: 0,
    waitedSeconds: 0,
    days: [],
    unfiled: [],
    failed: 0,
    skipped: 0,
  };
  /** A list can no longer grow once its UTC day is over. */
  const ended = (day: string) => addDays(day, 1) <= today;
  const read = (day: string) => recordState(opts.contentDir, day);

  const fail = (entry: DaySummary, error: unknown) => {
    entry.status = 'failed';
    entry.error = failureMessage(error);
    out.warn(`${entry.day}  ${describeDay(entry)}`);
  };
  const report = (entry: DaySummary) => {
    out.log(`${entry.day}  ${describeDay(entry)}`);
    for (const r of entry.skipped) out.warn(`  ${entry.day}: skipped element ${r.id}: ${r.reason}`);
  };
  const record = (entry: DaySummary, result: DayResult) => {
    Object.assign(entry, {
      listed: result.listed,
      written: result.written,
      updated: result.updated,
      unchanged: result.unchanged,
      kept: result.kept.length,
      removedCopies: result.removedCopies,
      degraded: result.degraded,
      state: result.complete
        ? result.listed
          ? 'complete'
          : 'no list'
        : !ended(entry.day)
          ? 'filling'
          : result.listed === 0
            ? 'unconfirmed'
            : 'degraded',
    } satisfies Partial<DaySummary>);
    for (const copy of result.removedCopies) out.log(`  ${entry.day}: removed ${copy} (a later copy of a paper archived under its first list day)`);
  };
  const apply = (entry: DaySummary, papers: NormalizedPaper[], source: 'api' | 'import', emptyConfirmed?: boolean) => {
    const result = applyDay({ contentDir: opts.contentDir, day: entry.day, papers, index, now: nowIso, source, ended: ended(entry.day), emptyConfirmed, dryRun: opts.dryRun });
    record(entry, result);
  };

  if (opts.importFiles.length) {
    const byDay = new Map<string, Map<string, NormalizedPaper>>();
    for (const file of opts.importFiles) {
      let elements: unknown[];
      try {
        elements = readImportFile(file);
      } catch (error) {
        const entry = emptyDay(path.basename(file), 'import');
        summary.days.push(entry);
        fail(entry, error);
        continue;
      }
      const { papers, rejected } = validateElements(elements, nowIso);
      for (const p of papers) {
        let list = byDay.get(p.paper.listDay);
        if (!list) byDay.set(p.paper.listDay, (list = new Map()));
        if (!list.has(p.paper.id)) list.set(p.paper.id, p);
      }
      for (const r of rejected) out.warn(`  ${path.basename(file)}: skipped element ${r.id}: ${r.reason}`);
      summary.unfiled.push(...rejected);
      out.log(`Read ${elements.length} elements from ${file}`);
    }
    for (const day of [...byDay.keys()].sort()) {
      const entry = emptyDay(day, 'import');
      summary.days.push(entry);
      try {
        apply(entry, [...byDay.get(day)!.values()], 'import');
        if (entry.written || entry.updated) report(entry);
      } catch (error) {
        fail(entry, error);
      }
    }
  } else {
    let targets: { day: string; role: DaySummary['role'] }[];
    if (opts.days) {
      const refresh = refreshTargets({ recordDays: index.recordDays, read }, opts.days[0]!, opts.refreshDays);
      if (refresh.length) out.log(`Refreshing ${refresh.join(', ')} before ${opts.days[0]}`);
      targets = [...refresh.map((day) => ({ day, role: 'refresh' as const })), ...opts.days.map((day) => ({ day, role: 'requested' as const }))];
    } else {
      const knownDays = [...new Set([...index.recordDays, ...index.paperDays.values()])].sort();
      const plan = planCatchUp({ today, lookback: opts.lookback, refreshDays: opts.refreshDays, knownDays, recordDays: index.recordDays, read });
      summary.window = { ...plan.window, lookback: opts.lookback };
      out.log(
        `Catching up ${plan.days[0]} to ${today}: ${plan.days.length} day(s), ${plan.needed} without a complete record ` +
          `(lookback ${opts.lookback} days, from ${plan.window.from})` +
          (plan.refresh.length ? `; refreshing ${plan.refresh.join(', ')} first` : ''),
      );
      if (plan.olderGaps) {
        summary.olderGaps = { ...plan.olderGaps, command: backfillCommand(plan.olderGaps) };
        out.log(olderGapsLine(plan.olderGaps, opts.lookback));
      }
      targets = [...plan.refresh.map((day) => ({ day, role: 'refresh' as const })), ...plan.days.map((day) => ({ day, role: 'catch-up' as const }))];
    }

    // An empty answer is applied after the whole run, when it is known whether a later day answered with papers.
    const emptyDays: DaySummary[] = [];
    let latestWithPapers = '';
    // After this many days in a row found the API unreachable or failing, the rest are not asked this run
    // (with retries and backoff, a 30-day catch-up against a dead API would otherwise take many minutes).
    const GIVE_UP_AFTER = 3;
    let unavailableInARow = 0;
    for (const { day, role } of targets) {
      const entry = emptyDay(day, role);
      summary.days.push(entry);
      if (unavailableInARow >= GIVE_UP_AFTER) {
        fail(entry, new DayFetchError(`not asked: the API failed for ${GIVE_UP_AFTER} days in a row; the next run tries again`));
        continue;
      }
      try {
        const fetched = await fetchDay(day, {
          apiBase: opts.apiBase,
          timeoutMs: opts.timeoutMs,
          retries: opts.retries,
          now: opts.now,
          budget,
          log: out.warn,
        });
        unavailableInARow = 0;
        if (fetched.status === 'not-published') {
          entry.status = 'not-published';
          report(entry);
          continue;
        }
        const { papers, rejected } = validateElements(fetched.elements, nowIso, day);
        entry.skipped = rejected;
        entry.rejected = rejected.length;
        if (fetched.elements.length > 0 && papers.length === 0) {
          throw new DayFetchError(`none of the ${fetched.elements.length} elements is valid (${rejected[0]?.reason ?? 'no reason'})`);
        }
        if (papers.length === 0) {
          emptyDays.push(entry);
          continue;
        }
        if (day > latestWithPapers) latestWithPapers = day;
        apply(entry, papers, 'api');
        report(entry);
      } catch (error) {
        if (error instanceof DayFetchError && error.unavailable) unavailableInARow++;
        fail(entry, error);
      }
    }
    for (const entry of emptyDays) {
      try {
        apply(entry, [], 'api', latestWithPapers > entry.day);
        report(entry);
      } catch (error) {
        fail(entry, error);
      }
    }
  }

  summary.calls = budget.calls;
  summary.waitedSeconds = Math.round(budget.waitedMs / 1000);
  const failed = summary.days.filter((s) => s.status === 'failed');
  summary.failed = failed.length;
  summary.skipped = summary.days.reduce((n, s) => n + s.rejected, 0) + summary.unfiled.length;
  const ok = summary.days.filter((s) => s.status === 'ok');
  const total = (key: 'written' | 'updated' | 'listed') => ok.reduce((n, s) => n + s[key], 0);
  const unconfirmed = ok.filter((s) => s.state === 'unconfirmed').map((s) => s.day);
  out.log(
    `Done${opts.dryRun ? ' (dry run: nothing written)' : ''}: ${ok.length} day(s), ${total('listed')} papers listed, ${total('written')} new, ${total('updated')} updated, ${summary.calls} API call(s)` +
      (unconfirmed.length ? `; ${unconfirmed.length} empty answer(s) not confirmed yet: ${unconfirmed.join(', ')}` : '') +
      (summary.skipped ? `; ${summary.skipped} element(s) SKIPPED` : '') +
      (failed.length ? `; ${failed.length} FAILED: ${failed.map((s) => s.day).join(', ')}` : ''),
  );
  if (opts.summaryFile) writeFileAtomic(path.resolve(opts.summaryFile), `${JSON.stringify(summary, null, 2)}\n`);
  if (opts.stepSummaryFile) {
    try {
      fs.appendFileSync(opts.stepSummaryFile, stepSummaryMarkdown(summary));
    } catch (error) {
      out.warn(`fetch: cannot append to GITHUB_STEP_SUMMARY (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return failed.length || summary.skipped ? 1 : 0;
}

