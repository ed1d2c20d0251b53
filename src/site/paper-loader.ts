/**
 * Content loaders for the archive: the paper files (content/papers/YYYY/MM/DD/<id>.md) and the day records
 * (YYYY/MM/DD/day.json).
 *
 * Astro's glob loader would render every file's markdown at sync time and
 * keep that HTML in the content store: 50,000 markdown renders on a cold
 * build, and a store twice the size, for HTML the site never uses (pages
 * render abstracts themselves, see render.ts). It also parses each file's
 * front matter before it checks whether the file changed. These loaders
 * hash the raw file first and parse only new or changed files, so a warm
 * build with one new list day parses ~30 files instead of 50,000. Entry ids
 * are the arXiv ids from the front matter; the body is the abstract markdown.
 * Both read through paper-file.ts, so an invalid file (or front matter that
 * is not YAML) fails the build with one line naming it, as in the fetch.
 */
import { readdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { oneLine } from '../archive/errors.ts';
import { parseDayRecord, parsePaperFile } from '../archive/paper-file.ts';
import { DAY_RECORD_FILE } from '../archive/paths.ts';

/**
 * The archive to build, relative to the project root unless absolute:
 * PAPERBOY_CONTENT_DIR (tests and the benchmark point it elsewhere), else
 * ./content/papers. The content collections and the search indexing worker
 * both read it from here.
 */
export function contentDirSetting(env: Record<string, string | undefined> = process.env): string {
  return env.PAPERBOY_CONTENT_DIR || './content/papers';
}

/** Every file under `dir` whose name `keep` accepts: absolute paths, sorted. */
async function listFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && keep(entry.name)) files.push(join(entry.parentPath, entry.name));
  }
  return files.sort();
}

const isPaperFileName = (name: string) => name.endsWith('.md');
const isDayRecordFileName = (name: string) => name === DAY_RECORD_FILE;

/**
 * Every `.md` file under `dir`: absolute paths, sorted, so files at YYYY/MM/DD/<id>.md come oldest day first.
 * A paper found in more than one file belongs to the first of them (the earliest list day), as in the fetch
 * (store.ts scanArchive): the loader and the search indexing worker (src/search/search-worker.ts) both keep it.
 */
export function listPaperFiles(dir: string): Promise<string[]> {
  return listFiles(dir, isPaperFileName);
}

/** What one archive file becomes in the content store. */
interface ParsedEntry {
  id: string;
  data: Record<string, unknown>;
  body?: string;
}

interface ArchiveFileKind {
  /** The loader's name (Astro logs it). */
  name: string;
  /** `paper files`, `day records`: for the log. */
  plural: string;
  keep: (name: string) => boolean;
  /** Parse one file; throws a one-line ContentFileError naming `filePath` when it is not valid. */
  parse: (text: string, filePath: string) => ParsedEntry;
  /** The warning for an id found in more than one file (`filePaths` in path order; the first is kept). */
  duplicate: (id: string, filePaths: string[]) => string;
}

/** A file chosen for an entry; `entry` is undefined when the file is unchanged since the store was written. */
interface ChosenFile {
  filePath: string;
  digest: string;
  entry: ParsedEntry | undefined;
}

/**
 * Bring the collection's store in line with the files under `dir`. Each file is hashed first and parsed only
 * when it is new or changed since the store was written (the store survives between builds: the content
 * cache). An id found in several files gets the first file in path order, whichever of them changed, so a
 * cold and a warm build agree. Nothing in the store changes unless every file could be read: an invalid file
 * throws (one line, naming it) before the first write.
 */
async function syncArchiveFiles(context: LoaderContext, dir: string, kind: ArchiveFileKind): Promise<void> {
  const { store, logger, config, generateDigest, parseData } = context;
  const root = fileURLToPath(config.root);
  const stored = new Map<string, { id: string; digest: string }>();
  for (const [id, entry] of store.entries()) {
    if (entry.filePath && entry.digest !== undefined) stored.set(entry.filePath, { id, digest: String(entry.digest) });
  }

  const files = await listFiles(dir, kind.keep);
  if (files.length === 0) logger.warn(`no ${kind.plural} under ${dir}`);
  const chosen = new Map<string, ChosenFile>();
  const copies = new Map<string, string[]>();
  for (const file of files) {
    // Synchronous: for tens of thousands of small files it is several times faster than fs/promises.
    const text = readFileSync(file, 'utf8');
    const digest = generateDigest(text);
    const filePath = relative(root, file).split(sep).join('/');
    const known = stored.get(filePath);
    const entry = known?.digest === digest ? undefined : kind.parse(text, filePath);
    const id = entry ? entry.id : known!.id;
    const first = chosen.get(id);
    if (first) {
      const paths = copies.get(id) ?? [first.filePath];
      paths.push(filePath);
      copies.set(id, paths);
      continue;
    }
    chosen.set(id, { filePath, digest, entry });
  }
  for (const [id, filePaths] of copies) logger.warn(kind.duplicate(id, filePaths));

  const updates: Parameters<LoaderContext['store']['set']>[0][] = [];
  for (const [id, { filePath, digest, entry }] of chosen) {
    const current = store.get(id);
    if (current && current.filePath === filePath && String(current.digest) === digest) continue;
    const parsed = entry ?? kind.parse(readFileSync(resolve(root, filePath), 'utf8'), filePath);
    const data = await parseData({ id, data: parsed.data, filePath });
    updates.push({ id, data, body: parsed.body, filePath, digest });
  }
  // All changes in one burst after the scan: Astro saves the store shortly after the last change, so changes
  // spread over a long scan made it serialise the whole store more than once.
  for (const update of updates) {
    // Same file at another path (the archive moved): Astro keeps an entry whose digest is unchanged as it is,
    // old path included, and every later build would parse the file again; replace it.
    if (String(store.get(update.id)?.digest) === update.digest) store.delete(update.id);
    store.set(update);
  }
  for (const id of store.keys()) if (!chosen.has(id)) store.delete(id);
}

function archiveFilesLoader(kind: ArchiveFileKind, options: { base: string }): Loader {
  return {
    name: kind.name,
    load: async (context: LoaderContext) => {
      const dir = resolve(fileURLToPath(context.config.root), options.base);
      await syncArchiveFiles(context, dir, kind);

      // `astro dev`: follow edits, additions and deletions by syncing again (unchanged files are only hashed),
      // one sync at a time; a broken file is logged and leaves the store as it was.
      const { watcher, logger } = context;
      if (!watcher) return;
      watcher.add(dir);
      let queue = Promise.resolve();
      const onEvent = (file: string) => {
        if (!file.startsWith(dir + sep) || !kind.keep(basename(file))) return;
        queue = queue.then(() => syncArchiveFiles(context, dir, kind)).catch((error: unknown) => logger.error(oneLine(error)));
      };
      watcher.on('add', onEvent);
      watcher.on('change', onEvent);
      watcher.on('unlink', onEvent);
    },
  };
}

const paperFiles: ArchiveFileKind = {
  name: 'paperboy-paper-files',
  plural: 'paper files',
  keep: isPaperFileName,
  parse: (text, filePath) => {
    const { paper, abstract } = parsePaperFile(text, filePath);
    return { id: paper.id, data: paper as unknown as Record<string, unknown>, body: abstract };
  },
  duplicate: (id, [kept, ...others]) =>
    `paper ${id} is archived more than once: ${[kept, ...others].join(' and ')}; the site shows ${kept} ` +
    `(the earliest list day, as the fetch does). Delete ${others.join(' and ')}.`,
};

const dayRecordFiles: ArchiveFileKind = {
  name: 'paperboy-day-records',
  plural: 'day records',
  keep: isDayRecordFileName,
  parse: (text, filePath) => {
    const record = parseDayRecord(text, filePath);
    return { id: record.day, data: record as unknown as Record<string, unknown> };
  },
  duplicate: (id, [kept, ...others]) =>
    `day ${id} has more than one day record: ${[kept, ...others].join(' and ')}; the site uses ${kept}. ` +
    `Delete ${others.join(' and ')}.`,
};

/** The paper files: entry id = the arXiv id from the front matter, body = the abstract markdown. */
export function paperFilesLoader(options: { base: string }): Loader {
  return archiveFilesLoader(paperFiles, options);
}

/** The day records (YYYY/MM/DD/day.json): entry id = the record's day. */
export function dayRecordsLoader(options: { base: string }): Loader {
  return archiveFilesLoader(dayRecordFiles, options);
}
