/**
 * `npm run fetch -- [options]`: fetch Hugging Face Daily Papers list days (or
 * import recorded responses) into the content directory. See HELP below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { addDays, dayRange, isDay, isoToDay, todayUtc } from '../src/lib/dates.ts';
import { DayFetchError, fetchDay } from '../src/lib/hf-client.ts';
import { validateElements, type Rejected } from '../src/lib/ingest.ts';
import { parseCommandLine, reportUsageError, UsageError } from './cli.ts';
import { applyDay, readDayRecord, scanArchive, writeFileAtomic, type ArchiveIndex, type DayResult } from '../src/lib/store.ts';

const HELP = `Usage: npm run fetch -- [options]

Fetch days of the Hugging Face Daily Papers list into markdown files
(content/papers/YYYY/MM/DD/<arxiv-id>.md, plus a day.json record per day).

Which days (default: today in UTC):
  --date YYYY-MM-DD        one list day
  --from YYYY-MM-DD --to YYYY-MM-DD
                           an inclusive range (a backfill); one line per day
  --refresh-days N         also re-fetch the N list days before the first
                           target day, so upvotes, comments, stars and AI
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
  --summary-file FILE      also write a JSON summary of the run to FILE
  --now ISO-TIME           pretend the current time is this (reproducible runs)
  -h, --help               show this help

A paper is archived once, under the first list day it appeared on; later
fetches update only its volatile fields. Files are written atomically and
only when their content changes.

Exit codes: 0 done (days without a list included, and days not published
yet), 1 at least one day failed (the others still ran), 2 bad usage.`;

interface Options {
  days: string[];
  refreshDays: number;
  importFiles: string[];
  apiBase: string;
  contentDir: string;
  dryRun: boolean;
  timeoutMs: number;
  retries: number;
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

/** The options, or an exit code when the command stops here (help shown, or a bad option reported). */
function parseOptions(argv: string[]): Options | number {
  const parsed = parseCommandLine('fetch', HELP, {
      args: argv,
      allowPositionals: true,
      options: {
        date: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'refresh-days': { type: 'string' },
        import: { type: 'boolean' },
        'api-base': { type: 'string' },
        'content-dir': { type: 'string' },
        'dry-run': { type: 'boolean' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
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

  let days: string[] = [];
  if (v.date !== undefined && (v.from !== undefined || v.to !== undefined)) throw new UsageError('use either --date or --from/--to, not both');
  if ((v.from === undefined) !== (v.to === undefined)) throw new UsageError('--from and --to go together');
  if (v.from !== undefined && v.to !== undefined) {
    const from = parseDay('from', v.from);
    const to = parseDay('to', v.to);
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    days = dayRange(from, to);
    if (days.length > 4000) throw new UsageError('a range may span at most 4000 days');
  } else if (!v.import) {
    days = [v.date === undefined ? todayUtc(now) : parseDay('date', v.date)];
  }

  const apiBase = v['api-base'] ?? process.env.PAPERBOY_API_BASE ?? 'https://huggingface.co';
  try {
    const url = new URL(apiBase);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`--api-base needs an http(s) URL, got "${apiBase}"`);
  }

  return {
    days,
    refreshDays: parseCount('refresh-days', v['refresh-days'], 2, 60),
    importFiles,
    apiBase,
    contentDir: v['content-dir'] ?? 'content/papers',
    dryRun: v['dry-run'] ?? false,
    timeoutMs: parseCount('timeout', v.timeout, 30, 600) * 1000 || 30_000,
    retries: parseCount('retries', v.retries, 4, 10),
    summaryFile: v['summary-file'],
    now,
  };
}

/** The N list days (days with papers) before `first`, oldest first. */
function refreshTargets(contentDir: string, index: ArchiveIndex, first: string, n: number): string[] {
  if (n === 0) return [];
  const earlier = [...index.recordDays].filter((d) => d < first).sort().reverse();
  const picked: string[] = [];
  for (const day of earlier) {
    if (picked.length === n) break;
    if ((readDayRecord(contentDir, day)?.count ?? 0) > 0) picked.push(day);
  }
  return picked.reverse();
}

interface DaySummary {
  day: string;
  status: 'ok' | 'failed' | 'not-published';
  listed: number;
  written: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error?: string;
}

function describe(result: DayResult, rejected: Rejected[]): string {
  if (result.listed === 0 && rejected.length === 0) return 'no list that day';
  const parts = [`${result.listed} listed`, `${result.written} new`, `${result.updated} updated`, `${result.unchanged} unchanged`];
  if (result.archivedEarlier.length) parts.push(`${result.archivedEarlier.length} already archived earlier`);
  if (rejected.length) parts.push(`${rejected.length} rejected`);
  return parts.join(', ');
}

function reportRejected(day: string, rejected: Rejected[]): void {
  for (const r of rejected) console.error(`  ${day}: skipped element ${r.id}: ${r.reason}`);
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

function rawListDay(element: unknown): string | undefined {
  const at = (element as { paper?: { submittedOnDailyAt?: unknown } } | null)?.paper?.submittedOnDailyAt;
  return typeof at === 'string' ? isoToDay(at) : undefined;
}

async function run(opts: Options): Promise<number> {
  const nowIso = opts.now.toISOString();
  const index = scanArchive(opts.contentDir);
  if (index.removedTempFiles) console.log(`Removed ${index.removedTempFiles} temporary file(s) left by an interrupted run.`);
  const summaries: DaySummary[] = [];
  const dryNote = opts.dryRun ? ' (dry run: nothing written)' : '';
  /** A list can no longer grow once its UTC day is over. */
  const isComplete = (day: string) => addDays(day, 1) <= todayUtc(opts.now);

  const applyValidated = (day: string, elements: unknown[], source: 'api' | 'import') => {
    const { papers, rejected } = validateElements(elements, nowIso, day);
    reportRejected(day, rejected);
    if (elements.length > 0 && papers.length === 0) {
      throw new DayFetchError(`none of the ${elements.length} elements is valid`);
    }
    const result = applyDay({ contentDir: opts.contentDir, day, papers, index, now: nowIso, source, complete: isComplete(day), dryRun: opts.dryRun });
    const summary: DaySummary = { day, status: 'ok', listed: result.listed, written: result.written, updated: result.updated, unchanged: result.unchanged, rejected: rejected.length };
    return { result, rejected, summary };
  };

  const fail = (day: string, error: unknown) => {
    const message = error instanceof DayFetchError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    console.error(`${day}  FAILED: ${message}`);
    summaries.push({ day, status: 'failed', listed: 0, written: 0, updated: 0, unchanged: 0, rejected: 0, error: message });
  };

  if (opts.importFiles.length) {
    const byDay = new Map<string, unknown[]>();
    let unknownDay = 0;
    for (const file of opts.importFiles) {
      let elements: unknown[];
      try {
        elements = readImportFile(file);
      } catch (error) {
        fail(path.basename(file), error);
        continue;
      }
      for (const element of elements) {
        const day = rawListDay(element);
        if (!day) {
          unknownDay++;
          continue;
        }
        let list = byDay.get(day);
        if (!list) byDay.set(day, (list = []));
        list.push(element);
      }
      console.log(`Read ${elements.length} elements from ${file}`);
    }
    if (unknownDay) console.error(`  skipped ${unknownDay} element(s) without a valid paper.submittedOnDailyAt`);
    for (const day of [...byDay.keys()].sort()) {
      try {
        const { result, rejected, summary } = applyValidated(day, byDay.get(day)!, 'import');
        summaries.push(summary);
        if (result.written || result.updated || rejected.length) console.log(`${day}  ${describe(result, rejected)}`);
      } catch (error) {
        fail(day, error);
      }
    }
  } else {
    const refresh = refreshTargets(opts.contentDir, index, opts.days[0]!, opts.refreshDays);
    if (refresh.length) console.log(`Refreshing ${refresh.join(', ')} before ${opts.days[0]}`);
    for (const day of [...refresh, ...opts.days]) {
      try {
        const fetched = await fetchDay(day, {
          apiBase: opts.apiBase,
          timeoutMs: opts.timeoutMs,
          retries: opts.retries,
          now: opts.now,
          log: (line) => console.error(line),
        });
        if (fetched.status === 'not-published') {
          console.log(`${day}  not published yet (the list for a day after today in UTC does not exist)`);
          summaries.push({ day, status: 'not-published', listed: 0, written: 0, updated: 0, unchanged: 0, rejected: 0 });
          continue;
        }
        const { result, rejected, summary } = applyValidated(day, fetched.elements, 'api');
        summaries.push(summary);
        console.log(`${day}  ${describe(result, rejected)}`);
      } catch (error) {
        fail(day, error);
      }
    }
  }

  const failed = summaries.filter((s) => s.status === 'failed');
  const ok = summaries.filter((s) => s.status === 'ok');
  const total = (key: 'written' | 'updated' | 'listed') => ok.reduce((n, s) => n + s[key], 0);
  console.log(
    `Done${dryNote}: ${ok.length} day(s), ${total('listed')} papers listed, ${total('written')} new, ${total('updated')} updated` +
      (failed.length ? `; ${failed.length} FAILED: ${failed.map((s) => s.day).join(', ')}` : ''),
  );
  if (opts.summaryFile) {
    writeFileAtomic(path.resolve(opts.summaryFile), `${JSON.stringify({ days: summaries, failed: failed.length }, null, 2)}\n`);
  }
  return failed.length ? 1 : 0;
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
