/**
 * `npm run check-archive -- [options]`: the deploy guard of the scheduled
 * workflow, run after `npm run build`. It checks that the built site has a
 * page for every archived paper, compares the paper count with the manifest of
 * the site online (see src/archive/archive-guard.ts), and on success writes this
 * build's manifest into the site. Exit 1 means: do not deploy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCommandLine, reportUsageError, UsageError } from './cli.ts';
import {
  decideDeploy,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  parseManifest,
  readOnlineAnswer,
  type Manifest,
  type OnlineAnswer,
  type OnlineSite,
} from '../src/archive/archive-guard.ts';
import { readDayRecord, scanArchive } from '../src/archive/store.ts';
import { routes } from '../src/site/urls.ts';

const DEFAULT_TIMEOUT_S = 20;
const DEFAULT_ATTEMPTS = 3;

const HELP = `Usage: npm run check-archive -- [options]

Refuse a build that would put fewer papers online than there are now.

  --content-dir DIR     archive directory (default content/papers)
  --dist DIR            the built site (default dist)
  --previous URL|FILE   manifest of the site online, e.g.
                        https://owner.github.io/repo/${MANIFEST_FILE};
                        only a 404 (or a missing file) means no site yet:
                        anything else that is not a manifest refuses
  --timeout SECONDS     wait at most this long for each answer (default ${DEFAULT_TIMEOUT_S})
  --attempts N          ask this many times before giving up on an error
                        or a timeout (default ${DEFAULT_ATTEMPTS})
  --allow-fewer         deploy even if the count dropped (after reset-archive)
                        or the count online cannot be read
  -h, --help            show this help

On success the build's manifest is written to DIST/${MANIFEST_FILE}.
Exit codes: 0 deploy, 1 do not deploy, 2 bad usage.`;

class GuardError extends Error {}

const inActions = process.env.GITHUB_ACTIONS === 'true';
function error(message: string): void {
  console.error(inActions ? `::error::${message}` : `check-archive: ${message}`);
}

/** The cause Node's fetch hides behind "fetch failed": ECONNREFUSED, ENOTFOUND, a TLS error... */
function networkReason(problem: unknown): string {
  let cause = problem as { message?: string; code?: string; cause?: unknown } | undefined;
  while (cause?.cause && typeof cause.cause === 'object') cause = cause.cause as typeof cause;
  const text = cause?.code ?? cause?.message ?? String(problem);
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 160);
}

/** The body, but no more than MAX_MANIFEST_BYTES of it (a catch-all page can be large). */
async function readCapped(response: Response): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_MANIFEST_BYTES) {
      await reader.cancel();
      return { body: '', truncated: true };
    }
    chunks.push(value);
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

async function askOnce(url: string, timeoutSeconds: number): Promise<OnlineAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), headers: { 'cache-control': 'no-cache' } });
    const { body, truncated } = await readCapped(response);
    return { kind: 'response', status: response.status, contentType: response.headers.get('content-type') ?? '', body, truncated };
  } catch (problem) {
    if ((problem as Error).name === 'TimeoutError') return { kind: 'timeout', seconds: timeoutSeconds };
    return { kind: 'network', reason: networkReason(problem) };
  }
}

/** Ask for the manifest online, again after a transient failure (a 5xx, a timeout, no connection). */
async function fetchOnline(url: string, timeoutSeconds: number, attempts: number): Promise<OnlineSite> {
  let site: OnlineSite = { state: 'unknown', why: 'not asked', transient: true };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    site = readOnlineAnswer(await askOnce(url, timeoutSeconds));
    if (site.state !== 'unknown' || !site.transient) break;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
  }
  if (site.state === 'none') console.log(`No manifest at ${url} (404): no Paperboy site online yet.`);
  return site;
}

function readPreviousFile(file: string): OnlineSite {
  if (!fs.existsSync(file)) {
    console.log(`No manifest at ${file}: nothing to compare with.`);
    return { state: 'none' };
  }
  const manifest = parseManifest(fs.readFileSync(file, 'utf8'));
  return manifest ? { state: 'manifest', manifest } : { state: 'unknown', why: 'not a Paperboy manifest', transient: false };
}

function positive(value: string | undefined, name: string, fallback: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} needs ${integer ? 'a whole number' : 'a number'} above 0 and at most ${max}, got "${value}"`);
  }
  return n;
}

async function main(): Promise<number> {
  const parsed = parseCommandLine('check-archive', HELP, {
    args: process.argv.slice(2),
    options: {
      'content-dir': { type: 'string' },
      dist: { type: 'string' },
      previous: { type: 'string' },
      timeout: { type: 'string' },
      attempts: { type: 'string' },
      'allow-fewer': { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  let timeoutSeconds: number;
  let attempts: number;
  try {
    timeoutSeconds = positive(values.timeout, 'timeout', DEFAULT_TIMEOUT_S, 300, false);
    attempts = positive(values.attempts, 'attempts', DEFAULT_ATTEMPTS, 10, true);
  } catch (problem) {
    if (!(problem instanceof UsageError)) throw problem;
    reportUsageError('check-archive', problem);
    return 2;
  }
  const contentDir = path.resolve(values['content-dir'] ?? 'content/papers');
  const dist = path.resolve(values.dist ?? 'dist');
  try {
    if (!fs.existsSync(path.join(dist, 'index.html'))) throw new GuardError(`${dist} holds no built site (no index.html)`);

    const index = scanArchive(contentDir);
    const missing = [...index.paperDays.keys()].filter((id) => !fs.existsSync(path.join(dist, routes.paper(id), 'index.html')));
    if (missing.length) {
      throw new GuardError(
        `the build has no page for ${missing.length} of ${index.paperDays.size} archived papers ` +
          `(${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}); not deploying`,
      );
    }
    const days = [...index.recordDays].sort();
    const listDays = days.filter((day) => (readDayRecord(contentDir, day)?.count ?? 0) > 0);
    const current: Manifest = {
      generator: 'paperboy',
      papers: index.paperDays.size,
      days: days.length,
      latestDay: listDays.at(-1) ?? null,
      builtAt: new Date().toISOString(),
    };

    const source = values.previous;
    let online: OnlineSite = { state: 'none' };
    if (source) online = /^https?:\/\//.test(source) ? await fetchOnline(source, timeoutSeconds, attempts) : readPreviousFile(source);
    const decision = decideDeploy(current, online, values['allow-fewer'] ?? false, source);
    if (!decision.deploy) throw new GuardError(decision.message);
    console.log(decision.message);
    fs.writeFileSync(path.join(dist, MANIFEST_FILE), `${JSON.stringify(current, null, 2)}\n`);
    console.log(`Wrote ${path.join(dist, MANIFEST_FILE)}: ${current.papers} papers, ${current.days} days, latest list ${current.latestDay ?? 'none'}.`);
    return 0;
  } catch (problem) {
    if (problem instanceof GuardError) {
      error(problem.message);
      return 1;
    }
    throw problem;
  }
}

process.exitCode = await main();
