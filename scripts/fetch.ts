/**
 * `npm run fetch -- [options]`: fetch Hugging Face Daily Papers list days (or
 * import recorded responses) into the content directory. See HELP below; the
 * run itself is src/ingest/fetch-run.ts.
 */
import { dayRange, isDay } from '../src/archive/dates.ts';
import { runFetch, type FetchOptions } from '../src/ingest/fetch-run.ts';
import { RATE_LIMIT } from '../src/ingest/hf-client.ts';
import { parseCommandLine, reportUsageError, UsageError } from './cli.ts';

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

function parseCount(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} needs a whole number from 0 to ${max}, got "${value}"`);
  return Number(value);
}

function parseDay(name: string, value: string): string {
  if (!isDay(value)) throw new UsageError(`--${name} needs a date as YYYY-MM-DD, got "${value}"`);
  return value;
}

function parseRateLimit(value: string | undefined): FetchOptions['rateLimit'] {
  if (value === undefined) return { calls: RATE_LIMIT.calls, windowMs: RATE_LIMIT.windowMs };
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--rate-limit needs CALLS/SECONDS such as 500/300, got "${value}"`);
  return { calls: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

/** The options, or an exit code when the command stops here (help shown, or a bad option reported). */
function parseOptions(argv: string[]): FetchOptions | number {
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
    stepSummaryFile: process.env.GITHUB_STEP_SUMMARY || undefined,
    now,
  };
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
    process.exitCode = await runFetch(opts, { log: (line) => console.log(line), warn: (line) => console.error(line) });
  } catch (error) {
    // Unexpected (a bug or an unreadable content directory): one clear line, no stack trace.
    console.error(`fetch: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
