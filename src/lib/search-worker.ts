/**
 * Builds the Pagefind index of the archive, straight from the content
 * directory: run in a worker thread by the search integration
 * (src/lib/search-integration.ts) while Astro renders the pages on the main
 * thread, so the parsing here and the Pagefind binary (a process of its own)
 * use the machine's other core. Tests call `indexArchive` directly.
 *
 * Memory: the parsed archive is kept as `SearchPaper`s (what the records need,
 * nothing else); records are built one shard at a time and dropped when the
 * shard is written, and Pagefind holds one shard's index at a time.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parsePaperFile } from './paper-file.ts';
import { listPaperFiles } from './paper-loader.ts';
import {
  papersInIndexOrder,
  SEARCH_WORKER_DATA_KEY,
  searchRecord,
  searchShardCount,
  shardCacheKey,
  toSearchPaper,
  type SearchIndexStats,
  type SearchPaper,
  type SearchRecord,
} from './search.ts';

export interface IndexArchiveOptions {
  /** Absolute path of the archive (content/papers or PAPERBOY_CONTENT_DIR). */
  contentDir: string;
  /** The site's base path: record URLs carry it. */
  base: string;
  language: string;
  shardSize: number;
  /** Where shard bundles are written and kept between builds, one directory per cache key. */
  cacheDir: string;
}

export interface IndexedArchive extends SearchIndexStats {
  /** Bundle directory (under cacheDir) of each shard, in shard order. */
  bundles: string[];
}

/** Records Pagefind is given at a time: keeps the service busy without queueing a whole shard. */
const RECORDS_IN_FLIGHT = 200;
/** Present in a finished bundle only (Pagefind writes it last of the index files we check for). */
const BUNDLE_ENTRY_FILE = 'pagefind-entry.json';

/**
 * Every paper of the archive, in index order: the files the content loader
 * reads, parsed with the function it uses (src/lib/paper-loader.ts). A paper
 * archived twice counts once; the later file wins, as in the loader.
 */
export async function readSearchPapers(contentDir: string): Promise<SearchPaper[]> {
  const byId = new Map<string, SearchPaper>();
  for (const file of await listPaperFiles(contentDir)) {
    let parsed;
    try {
      parsed = parsePaperFile(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not a valid paper file: ${oneLine(error)}`);
    }
    // A fresh copy: the parser's strings are slices of the whole file text, which V8 would keep alive with them
    // (measured on the real archive: 38 MB held for 8,036 papers, 20 MB with the copy).
    byId.set(parsed.paper.id, JSON.parse(JSON.stringify(toSearchPaper(parsed.paper, parsed.abstract))) as SearchPaper);
  }
  return papersInIndexOrder(byId.values());
}

/** An error as one line: a schema error as its issues (zod's message is multi-line JSON). */
export function oneLine(error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (Array.isArray(issues) && issues.length > 0) return issues.map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`).join('; ');
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

type Pagefind = typeof import('pagefind');

async function pagefindVersion(): Promise<string> {
  // package.json is not in pagefind's exports: read it next to the resolved entry point.
  return JSON.parse(await readFile(new URL('../package.json', import.meta.resolve('pagefind')), 'utf8')).version as string;
}

/** Index one shard's records into `bundle` (written under a temporary name, then renamed: never half a bundle). */
async function writeShard(pagefind: Pagefind, records: readonly SearchRecord[], bundle: string, language: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
  if (!index) throw new Error(`Pagefind could not create an index: ${errors.join('; ')}`);
  for (let from = 0; from < records.length; from += RECORDS_IN_FLIGHT) {
    const batch = records.slice(from, from + RECORDS_IN_FLIGHT);
    const results = await Promise.all(batch.map((record) => index.addCustomRecord(record)));
    const failed = results.findIndex((r) => r.errors.length > 0);
    if (failed >= 0) throw new Error(`Pagefind could not index ${batch[failed]!.url}: ${results[failed]!.errors.join('; ')}`);
  }
  const temporary = `${bundle}.tmp-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  const written = await index.writeFiles({ outputPath: temporary });
  if (written.errors.length > 0) throw new Error(`Pagefind could not write the index: ${written.errors.join('; ')}`);
  await index.deleteIndex();
  await rm(bundle, { recursive: true, force: true });
  await rename(temporary, bundle);
}

/** The Pagefind service process of this process, when /proc tells (Linux); undefined elsewhere. */
function pagefindProcessIds(): number[] {
  const ids: number[] = [];
  try {
    for (const task of readdirSync('/proc/self/task')) {
      for (const pid of readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean)) {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('pagefind')) ids.push(Number(pid));
      }
    }
  } catch {
    // not Linux, or the process is gone: no figure
  }
  return ids;
}

/** Peak resident memory of the running Pagefind process(es), from /proc/<pid>/status (VmHWM). */
function pagefindPeakBytes(): number | undefined {
  let peak: number | undefined;
  for (const pid of pagefindProcessIds()) {
    try {
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, kb * 1024);
    } catch {
      // exited meanwhile
    }
  }
  return peak;
}

async function directorySize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/**
 * Index the archive into one bundle per shard under `cacheDir`, reusing the
 * bundles of shards whose records are unchanged, and remove cached bundles
 * this archive no longer has. Throws on any paper file or Pagefind error.
 */
export async function indexArchive(options: IndexArchiveOptions): Promise<IndexedArchive> {
  const started = performance.now();
  let workerHeapPeakBytes = getHeapStatistics().used_heap_size;
  const papers = await readSearchPapers(options.contentDir);
  const shards = searchShardCount(papers.length, options.shardSize);
  const context = { pagefindVersion: await pagefindVersion(), language: options.language, base: options.base };
  await mkdir(options.cacheDir, { recursive: true });
  const bundles: string[] = [];
  let cachedShards = 0;
  let pagefind: Pagefind | undefined;
  let pagefindPeak: number | undefined;
  try {
    for (let shard = 0; shard < shards; shard++) {
      const records = papers.slice(shard * options.shardSize, (shard + 1) * options.shardSize).map((paper) => searchRecord(paper, options));
      workerHeapPeakBytes = Math.max(workerHeapPeakBytes, getHeapStatistics().used_heap_size);
      const bundle = join(options.cacheDir, shardCacheKey(records, context));
      bundles.push(bundle);
      if (existsSync(join(bundle, BUNDLE_ENTRY_FILE))) {
        cachedShards++;
        continue;
      }
      pagefind ??= await import('pagefind');
      await writeShard(pagefind, records, bundle, options.language);
      pagefindPeak = pagefindPeakBytes() ?? pagefindPeak;
    }
  } finally {
    await pagefind?.close();
  }
  // Bundles of shards this archive no longer has (and leftovers of an interrupted build) would only pile up.
  const used = new Set(bundles.map((b) => b.slice(options.cacheDir.length + 1)));
  for (const entry of await readdir(options.cacheDir)) {
    if (!used.has(entry)) await rm(join(options.cacheDir, entry), { recursive: true, force: true });
  }
  let files = 0;
  let bytes = 0;
  for (const bundle of bundles) {
    const size = await directorySize(bundle);
    files += size.files;
    bytes += size.bytes;
  }
  return {
    papers: papers.length,
    shards,
    cachedShards,
    files,
    bytes,
    seconds: (performance.now() - started) / 1000,
    pagefindPeakBytes: pagefindPeak,
    workerHeapPeakBytes,
    bundles,
  };
}

/** What the worker posts back: the result, or the error message (one line). */
export type SearchWorkerMessage = { ok: true; result: IndexedArchive } | { ok: false; message: string };

// Started as a worker by the integration (which marks its workerData); a plain import only gets the functions.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[SEARCH_WORKER_DATA_KEY]) {
  const port = parentPort;
  const options = (workerData as Record<string, IndexArchiveOptions>)[SEARCH_WORKER_DATA_KEY]!;
  indexArchive(options).then(
    (result) => port.postMessage({ ok: true, result } satisfies SearchWorkerMessage),
    (error: unknown) => port.postMessage({ ok: false, message: oneLine(error) } satisfies SearchWorkerMessage),
  );
}
