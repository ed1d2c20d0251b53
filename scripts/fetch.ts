/**
 * `npm run fetch -- [options]`: fetch Hugging Face Daily Papers list days (or
 * import recorded responses) into the content directory. See HELP below. By
 * default it catches up (src/lib/fetch-plan.ts); the store (src/lib/store.ts)
 * guarantees nothing recorded shrinks; src/lib/fetch-report.ts says what happened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { addDays, dayRange, isDay, todayUtc } from '../src/lib/dates.ts';
import { planCatchUp, refreshTargets, type DayState } from '../src/lib/fetch-plan.ts';
import { backfillCommand, describeDay, emptyDay, olderGapsLine, stepSummaryMarkdown, type DaySummary, type RunSummary } from '../src/lib/fetch-report.ts';
import { CallBudget, DayFetchError, fetchDay, RATE_LIMIT } from '../src/lib/hf-client.ts';
import { validateElements } from '../src/lib/ingest.ts';
import type { NormalizedPaper } from '../src/lib/normalize.ts';
import { OutsideContentDirError } from '../src/lib/paths.ts';
import { parseCommandLine, reportUsageError, UsageError } from './cli.ts';
import { applyDay, ArchiveFileError, DayRefusedError, readDayRecord, scanArchive, writeFileAtomic, type DayResult } from '../src/lib/store.ts';

const HELP = `Usage: npm run fetch -- [options]

Fetch days of the Hugging Face Daily Papers list into markdown files
(content/papers/YYYY/MM/DD/<arxiv-id>.md, plus a day.json record per day).

Which days (default: catch up):
  (no day option)          catch up: every day from the oldest day of the
                           lookback window that has no record or an
                           incomplete one, through today (UTC); days older
                           than the window that were never fetched are
                           counted in one line with the command that
                           backfills them
  --lookback N             the catch-up's window: the N days before today
                           (default 30; 0 for today only)
  --date YYYY-MM-DD        one list day
  --from YYYY-MM-DD --to YYYY-MM-DD
                           an inclusive range (a backfill); one line per day
  --refresh-days N         also re-fetch the N list days before the first
                           fetched day, so upvotes, comments, stars and AI
                           fields stay current (default 2; 0 to skip)
  --import FILE...         read recorded API responses (JSON arrays, plain or
                           .gz) instead of the network; every element is filed
                           under its own list day

Where:
  --api-base URL           API origin (default https://huggingface.co, or the
                           PAPERBOY_API_BASE environment variable)
  --content-dir DIR        archive directory (default content/papers)

Behaviour:
  --dry-run                report what would change, write nothing
  --timeout SECONDS        per-request timeout (default 30)
  --retries N              retries on network errors and 5xx (default 4)
  --rate-limit CALLS/SECONDS
                           most API calls in any such window (default
                           500/300, the API's anonymous limit)
  --summary-file FILE      also write a JSON summary of the run to FILE (with
                           GITHUB_STEP_SUMMARY set, a table is appended there)
  --now ISO-TIME           pretend the current time is this (reproducible runs)
  -h, --help               show this help

Nothing is ever downgraded: a day record never lists fewer papers than it
did (a paper HF stops listing stays archived and listed), an empty answer for
a day that had papers fails that day, and an empty answer for any other day is
trusted only once a later day answers with papers. A field missing from an
answer never erases a stored value. A paper is archived once, under the first
list day it appeared on. Files are written atomically and only when their
content changes.

Exit codes: 0 done (days without a list, lists still filling and days not
published yet included), 1 at least one day failed or an element was skipped
(the other days and elements were still written), 2 bad usage.`;

interface Options {
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
  now: Date;
}

function parseCount(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} needs a whole number from 0 to ${max}, got "${value}"`);
  return Number(value);
}

function parseDay(name: string, value: string): string {
  if (!isDay(value)) throw new UsageError(`--${name} needs a date as YYYY-MM-DD, got "${value}"`);
  return value;
}

function parseRateLimit(value: string | undefined): Options['rateLimit'] {
  if (value === undefined) return { calls: RATE_LIMIT.calls, windowMs: RATE_LIMIT.windowMs };
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--rate-limit needs CALLS/SECONDS such as 500/300, got "${value}"`);
  return { calls: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

/** The options, or an exit code when the command stops here (help shown, or a bad option reported). */
function parseOptions(argv: string[]): Options | number {
  const parsed = parseCommandLine('fetch', HELP, {
      args: argv,
      allowPositionals: true,
      options: {
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        lookback: { type: 'string' },
        'refresh-days': { type: 'string' },
        import: { type: 'boolean' },
        'api-base': { type: 'string' },
        'content-dir': { type: 'string' },
        'dry-run': { type: 'boolean' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        'rate-limit': { type: 'string' },
        'summary-file': { type: 'string' },
        now: { type: 'string' },
      },
  });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;

  const now = v.now === undefined ? new Date() : new Date(v.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now needs an ISO date-time, got "${v.now}"`);

  const importFiles = v.import ? parsed.positionals : [];
  if (v.import && importFiles.length === 0) throw new UsageError('--import needs at least one file');
  if (!v.import && parsed.positionals.length) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  if (v.import && (v.date || v.from || v.to)) throw new UsageError('--import files every element under its own day: do not combine it with --date/--from/--to');

  let days: string[] | undefined;
  if (v.date !== undefined && (v.from !== undefined || v.to !== undefined)) throw new UsageError('use either --date or --from/--to, not both');
  if ((v.from === undefined) !== (v.to === undefined)) throw new UsageError('--from and --to go together');
  if (v.from !== undefined && v.to !== undefined) {
    const from = parseDay('from', v.from);
    const to = parseDay('to', v.to);
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    days = dayRange(from, to);
    if (days.length > 4000) throw new UsageError('a range may span at most 4000 days');
  } else if (v.date !== undefined) {
    days = [parseDay('date', v.date)];
  }
  if (v.lookback !== undefined && (days || v.import)) throw new UsageError('--lookback is for the catch-up: do not combine it with --date, --from/--to or --import');

  const apiBase = v['api-base'] ?? process.env.PAPERBOY_API_BASE ?? 'https://huggingface.co';
  try {
    const url = new URL(apiBase);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`--api-base needs an http(s) URL, got "${apiBase}"`);
  }

  return {
    days: v.import ? [] : days,
    lookback: parseCount('lookback', v.lookback, 30, 400),
    refreshDays: parseCount('refresh-days', v['refresh-days'], 2, 60),
    importFiles,
    apiBase,
    contentDir: v['content-dir'] ?? 'content/papers',
    dryRun: v['dry-run'] ?? false,
    timeoutMs: parseCount('timeout', v.timeout, 30, 600) * 1000 || 30_000,
    retries: parseCount('retries', v.retries, 4, 10),
    rateLimit: parseRateLimit(v['rate-limit']),
    summaryFile: v['summary-file'],
    now,
  };
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

async function run(opts: Options): Promise<number> {
  const nowIso = opts.now.toISOString();
  const today = todayUtc(opts.now);
  const index = scanArchive(opts.contentDir);
  if (index.removedTempFiles) console.log(`Removed ${index.removedTempFiles} temporary file(s) left by an interrupted run.`);
  for (const [id, days] of index.duplicates) {
    console.log(`Paper ${id} is stored under ${days.length} days (${days.join(', ')}): it belongs to ${days[0]}; the next fetch of it removes the other copies.`);
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
    console.error(`${entry.day}  ${describeDay(entry)}`);
  };
  const report = (entry: DaySummary) => {
    console.log(`${entry.day}  ${describeDay(entry)}`);
    for (const r of entry.skipped) console.error(`  ${entry.day}: skipped element ${r.id}: ${r.reason}`);
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
    for (const copy of result.removedCopies) console.log(`  ${entry.day}: removed ${copy} (a later copy of a paper archived under its first list day)`);
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
      for (const r of rejected) console.error(`  ${path.basename(file)}: skipped element ${r.id}: ${r.reason}`);
      summary.unfiled.push(...rejected);
      console.log(`Read ${elements.length} elements from ${file}`);
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
      if (refresh.length) console.log(`Refreshing ${refresh.join(', ')} before ${opts.days[0]}`);
      targets = [...refresh.map((day) => ({ day, role: 'refresh' as const })), ...opts.days.map((day) => ({ day, role: 'requested' as const }))];
    } else {
      const knownDays = [...new Set([...index.recordDays, ...index.paperDays.values()])].sort();
      const plan = planCatchUp({ today, lookback: opts.lookback, refreshDays: opts.refreshDays, knownDays, recordDays: index.recordDays, read });
      summary.window = { ...plan.window, lookback: opts.lookback };
      console.log(
        `Catching up ${plan.days[0]} to ${today}: ${plan.days.length} day(s), ${plan.needed} without a complete record ` +
          `(lookback ${opts.lookback} days, from ${plan.window.from})` +
          (plan.refresh.length ? `; refreshing ${plan.refresh.join(', ')} first` : ''),
      );
      if (plan.olderGaps) {
        summary.olderGaps = { ...plan.olderGaps, command: backfillCommand(plan.olderGaps) };
        console.log(olderGapsLine(plan.olderGaps, opts.lookback));
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
          log: (line) => console.error(line),
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
  console.log(
    `Done${opts.dryRun ? ' (dry run: nothing written)' : ''}: ${ok.length} day(s), ${total('listed')} papers listed, ${total('written')} new, ${total('updated')} updated, ${summary.calls} API call(s)` +
      (unconfirmed.length ? `; ${unconfirmed.length} empty answer(s) not confirmed yet: ${unconfirmed.join(', ')}` : '') +
      (summary.skipped ? `; ${summary.skipped} element(s) SKIPPED` : '') +
      (failed.length ? `; ${failed.length} FAILED: ${failed.map((s) => s.day).join(', ')}` : ''),
  );
  if (opts.summaryFile) writeFileAtomic(path.resolve(opts.summaryFile), `${JSON.stringify(summary, null, 2)}\n`);
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    try {
      fs.appendFileSync(stepSummary, stepSummaryMarkdown(summary));
    } catch (error) {
      console.error(`fetch: cannot append to GITHUB_STEP_SUMMARY (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return failed.length || summary.skipped ? 1 : 0;
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      reportUsageError('fetch', error);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (typeof opts === 'number') {
    process.exitCode = opts;
    return;
  }
  try {
    process.exitCode = await run(opts);
  } catch (error) {
    // Unexpected (a bug or an unreadable content directory): one clear line, no stack trace.
    console.error(`fetch: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
