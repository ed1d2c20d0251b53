/**
 * Builds the Pagefind index of the archive, straight from the content
 * directory: run in a worker thread by the search integration
 * (src/integrations/search-index.ts) while Astro renders the pages on the main
 * thread, so the parsing here and the Pagefind binary (a process of its own)
 * use the machine's other core. Tests call `indexArchive` directly.
 *
 * Memory: the worker streams the archive one shard at a time. A first pass
 * places every file in index order from its path alone (no parsing); then
 * each shard's files are parsed into records (each paper dropped once its
 * record is built), keyed and (unless cached) indexed, and dropped before the
 * next shard is read. So the worker holds one shard's records plus a file
 * path, id and list day per paper, and Pagefind one shard's index.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { oneLine } from '../archive/errors.ts';
import { parsePaperFile } from '../archive/paper-file.ts';
import { listPaperFiles } from '../site/paper-loader.ts';
import { parsePaperRelPath } from '../archive/paths.ts';
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
  type SearchRecordOptions,
} from './search.ts';

export interface IndexArchiveOptions {
  /** Absolute path of the archive (content/papers or PAPERBOY_CONTENT_DIR). */
  contentDir: string;
  /** The site's base path: record URLs carry it. */
  base: string;
  language: string;
  /** Authors a result shows before "and N more" (all when unset). */
  maxAuthors?: number | undefined;
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

/** One paper file and where it goes in the index: all the worker keeps of a paper outside its shard. */
export interface PaperFileSlot {
  file: string;
  id: string;
  listDay: string;
}

/** Parse one paper file into what the index needs; an invalid file fails with its path. */
export function readSearchPaper(file: string): SearchPaper {
  const parsed = parsePaperFile(readFileSync(file, 'utf8'), file);
  // A fresh copy: the parser's strings are slices of the whole file text, which V8 would keep alive with them.
  return JSON.parse(JSON.stringify(toSearchPaper(parsed.paper, parsed.abstract))) as SearchPaper;
}

/**
 * Every paper file of the archive in index order (list day, then id): the
 * files the content loader reads (src/site/paper-loader.ts), a paper archived
 * twice once, from the same file the loader keeps (the first in path order,
 * i.e. the earliest day folder). With `fromPaths`, a
 * file at YYYY/MM/DD/<id>.md (as the fetch CLI writes them) is placed by its
 * path without being read, and only other files are parsed; `searchShards`
 * checks each placement when it parses the file.
 */
export async function paperFilesInIndexOrder(contentDir: string, options: { fromPaths: boolean }): Promise<PaperFileSlot[]> {
  const byId = new Map<string, PaperFileSlot>();
  for (const file of await listPaperFiles(contentDir)) {
    const placed = options.fromPaths ? parsePaperRelPath(relative(contentDir, file)) : undefined;
    if (placed) {
      if (!byId.has(placed.id)) byId.set(placed.id, { file, id: placed.id, listDay: placed.day });
    } else {
      const { id, listDay } = readSearchPaper(file);
      if (!byId.has(id)) byId.set(id, { file, id, listDay });
    }
  }
  return papersInIndexOrder(byId.values());
}

/** A file's front matter disagrees with the id or list day its path says: the order from paths is wrong. */
export class MisplacedPaperFile extends Error {}

/** The records of one shard's files, each file checked against where it was placed. */
function shardRecords(
  slots: readonly PaperFileSlot[],
  recordOptions: { base: string; language: string },
  readPaper: (file: string) => SearchPaper = readSearchPaper,
): SearchRecord[] {
  return slots.map((slot) => {
    const paper = readPaper(slot.file);
    if (paper.id !== slot.id || paper.listDay !== slot.listDay) {
      throw new MisplacedPaperFile(`${slot.file}: holds paper ${paper.id} listed ${paper.listDay}, expected ${slot.id} listed ${slot.listDay}`);
    }
    return searchRecord(paper, recordOptions);
  });
}

/**
 * The records of each shard in turn, `shardSize` papers each (at least one
 * shard, so an empty archive still gets a bundle). Lazy: a shard's files are
 * parsed only when it is asked for, each paper dropped once its record is
 * built, so a caller that drops each shard holds one shard's records.
 */
export async function* searchShards(
  slots: readonly PaperFileSlot[],
  shardSize: number,
  recordOptions: SearchRecordOptions,
  readPaper: (file: string) => SearchPaper = readSearchPaper,
): AsyncGenerator<SearchRecord[], void, undefined> {
  const shards = searchShardCount(slots.length, shardSize);
  for (let shard = 0; shard < shards; shard++) {
    yield shardRecords(slots.slice(shard * shardSize, (shard + 1) * shardSize), recordOptions, readPaper);
  }
}

/**
 * The code that turns a file into a record: every module under src/ (the worker imports from several
 * domains) and the lockfile (the parsers' versions). Part of the raw shard key, so that a change to how
 * records are made parses every shard again.
 */
function recordCodeVersion(): string {
  const hash = createHash('sha256');
  const dir = fileURLToPath(new URL('..', import.meta.url));
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  const lockfile = join(dir, '..', 'package-lock.json');
  for (const file of [...files.sort(), ...(existsSync(lockfile) ? [lockfile] : [])]) hash.update(`${relative(dir, file)}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * What a shard's bundle can depend on, without parsing: the context (with the record code's version) and each
 * file's place and bytes. Equal hashes mean equal records, so a shard seen before needs no parsing; different
 * ones still may have equal records (an upvote changes the file, not the record), which the record key tells.
 */
function rawShardKey(slots: readonly PaperFileSlot[], context: object): string {
  const hash = createHash('sha256').update(JSON.stringify(context));
  for (const slot of slots) hash.update(`\0${slot.id}\0${slot.listDay}\0`).update(readFileSync(slot.file));
  return hash.digest('hex').slice(0, 32);
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
  const context = { pagefindVersion: await pagefindVersion(), language: options.language, base: options.base };
  await mkdir(options.cacheDir, { recursive: true });
  let workerHeapPeakBytes = getHeapStatistics().used_heap_size;
  let pagefind: Pagefind | undefined;
  let pagefindPeak: number | undefined;
  let cachedShards = 0;
  let bundles: string[] = [];
  let papers = 0;
  let parsedPapers = 0;
  // Raw shard key -> bundle name, from earlier builds: kept next to the bundles, not among them.
  const rawKeysFile = `${options.cacheDir}.raw-keys.json`;
  const knownRaw = existsSync(rawKeysFile) ? (JSON.parse(await readFile(rawKeysFile, 'utf8')) as Record<string, string>) : {};
  const rawKeys: Record<string, string> = {};
  const rawContext = { ...context, code: recordCodeVersion() };

  async function indexShards(slots: readonly PaperFileSlot[]): Promise<void> {
    bundles = [];
    cachedShards = 0;
    papers = slots.length;
    const shards = searchShardCount(slots.length, options.shardSize);
    for (let shard = 0; shard < shards; shard++) {
      const shardSlots = slots.slice(shard * options.shardSize, (shard + 1) * options.shardSize);
      const raw = rawShardKey(shardSlots, rawContext);
      const known = knownRaw[raw];
      if (known && existsSync(join(options.cacheDir, known, BUNDLE_ENTRY_FILE))) {
        rawKeys[raw] = known;
        bundles.push(join(options.cacheDir, known));
        cachedShards++;
        continue;
      }
      const records = shardRecords(shardSlots, options);
      parsedPapers += records.length;
      workerHeapPeakBytes = Math.max(workerHeapPeakBytes, getHeapStatistics().used_heap_size);
      const name = shardCacheKey(records, context);
      const bundle = join(options.cacheDir, name);
      rawKeys[raw] = name;
      bundles.push(bundle);
      if (existsSync(join(bundle, BUNDLE_ENTRY_FILE))) {
        cachedShards++;
        continue;
      }
      pagefind ??= await import('pagefind');
      await writeShard(pagefind, records, bundle, options.language);
      pagefindPeak = pagefindPeakBytes() ?? pagefindPeak;
    }
  }

  try {
    try {
      await indexShards(await paperFilesInIndexOrder(options.contentDir, { fromPaths: true }));
    } catch (error) {
      if (!(error instanceof MisplacedPaperFile)) throw error;
      // A file moved or edited by hand: place every file by its front matter instead (one more pass over the
      // archive; bundles already written are keyed by their records, so unused ones are pruned below).
      await indexShards(await paperFilesInIndexOrder(options.contentDir, { fromPaths: false }));
    }
  } finally {
    await pagefind?.close();
  }
  // Bundles of shards this archive no longer has (and leftovers of an interrupted build) would only pile up.
  const used = new Set(bundles.map((b) => b.slice(options.cacheDir.length + 1)));
  for (const entry of await readdir(options.cacheDir)) {
    if (!used.has(entry)) await rm(join(options.cacheDir, entry), { recursive: true, force: true });
  }
  await writeFile(rawKeysFile, `${JSON.stringify(rawKeys)}\n`);
  let files = 0;
  let bytes = 0;
  for (const bundle of bundles) {
    const size = await directorySize(bundle);
    files += size.files;
    bytes += size.bytes;
  }
  return {
    papers,
    shards: bundles.length,
    cachedShards,
    parsedPapers,
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
