/**
 * Content loader for the paper files (content/papers/YYYY/MM/DD/<id>.md).
 *
 * Astro's glob loader would render every file's markdown at sync time and
 * keep that HTML in the content store: 50,000 markdown renders on a cold
 * build, and a store twice the size, for HTML the site never uses (pages
 * render abstracts themselves, see render.ts). It also parses each file's
 * front matter before it checks whether the file changed. This loader
 * hashes the raw file first and parses only new or changed files, so a warm
 * build with one new list day parses ~30 files instead of 50,000. Entry ids
 * are the arXiv ids from the front matter; the body is the abstract markdown.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { parsePaperFile } from './paper-file.ts';

/**
 * The archive to build, relative to the project root unless absolute:
 * PAPERBOY_CONTENT_DIR (tests and the benchmark point it elsewhere), else
 * ./content/papers. The content collections and the search indexing worker
 * both read it from here.
 */
export function contentDirSetting(env: Record<string, string | undefined> = process.env): string {
  return env.PAPERBOY_CONTENT_DIR || './content/papers';
}

/** Every file under `dir` whose name passes `wanted` (absolute paths, sorted). */
function listFiles(dir: string, wanted: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && wanted(entry.name)) files.push(join(entry.parentPath, entry.name));
  }
  return files.sort();
}

/**
 * Every `.md` file under `dir` (absolute paths, sorted so duplicate ids resolve the same way every build).
 * The search indexing worker (src/lib/search-worker.ts) reads the same files.
 */
export function listPaperFiles(dir: string): string[] {
  return listFiles(dir, (name) => name.endsWith('.md'));
}

export function paperFilesLoader(options: { base: string }): Loader {
  return {
    name: 'paperboy-paper-files',
    load: async (context: LoaderContext) => {
      const { store, logger, config, generateDigest, parseData, watcher } = context;
      const root = fileURLToPath(config.root);
      const dir = resolve(root, options.base);
      const idByFile = new Map<string, string>();

      const fileById = new Map<string, string>();
      const noteFile = (id: string, file: string) => {
        const other = fileById.get(id);
        if (other !== undefined && other !== file) logger.warn(`paper ${id} is archived twice (${other} and ${file})`);
        fileById.set(id, file);
      };

      /**
       * Reads one file and, unless it is unchanged, returns the store update that (re)loads it; an invalid
       * paper file fails the build with its path.
       */
      async function syncFile(file: string, untouched?: Set<string>): Promise<(() => void) | undefined> {
        // Synchronous: for tens of thousands of small files it is several times faster than fs/promises.
        const contents = readFileSync(file, 'utf8');
        const digest = generateDigest(contents);
        const known = idByFile.get(file);
        const existing = known === undefined ? undefined : store.get(known);
        if (existing && existing.digest === digest) {
          untouched?.delete(existing.id);
          noteFile(existing.id, file);
          return undefined;
        }
        const filePath = relative(root, file).split(sep).join('/');
        let parsed;
        try {
          parsed = parsePaperFile(contents);
        } catch (error) {
          throw new Error(`${filePath}: not a valid paper file: ${(error as Error).message}`);
        }
        const id = parsed.paper.id;
        noteFile(id, file);
        untouched?.delete(id);
        const data = await parseData({ id, data: parsed.paper as unknown as Record<string, unknown>, filePath });
        return () => {
          if (known !== undefined && known !== id) store.delete(known);
          // Same file at another path (the archive moved): Astro keeps an entry whose digest is unchanged as
          // it is, old path included, and every later build would parse this file again; replace it.
          if (store.get(id)?.digest === digest) store.delete(id);
          store.set({ id, data, body: parsed.abstract, filePath, digest });
          idByFile.set(file, id);
        };
      }

      // The store survives between builds (the content cache): remember which file each entry came from.
      for (const [id, entry] of store.entries()) {
        if (entry.filePath) idByFile.set(resolve(root, entry.filePath), id);
      }
      const untouched = new Set(store.keys());
      const files = listPaperFiles(dir);
      if (files.length === 0) logger.warn(`no paper files under ${dir}`);
      const updates: (() => void)[] = [];
      for (const file of files) {
        const update = await syncFile(file, untouched);
        if (update) updates.push(update);
      }
      // All changes in one burst after the scan: Astro saves the store 500 ms after the last change, so
      // changes spread over a 50,000-file scan made it serialise the whole store twice. The scan itself
      // never yields to the event loop (synchronous reads), so that the day records' burst (dayRecordsLoader,
      // run alongside) and this one fall within one save.
      for (const update of updates) update();
      for (const id of untouched) store.delete(id);

      // `astro dev`: follow edits, additions and deletions.
      if (watcher) {
        watcher.add(dir);
        const inDir = (file: string) => file.startsWith(dir + sep) && file.endsWith('.md');
        const onChange = async (file: string) => {
          if (!inDir(file)) return;
          try {
            (await syncFile(file))?.();
          } catch (error) {
            logger.error((error as Error).message);
          }
        };
        watcher.on('add', onChange);
        watcher.on('change', onChange);
        watcher.on('unlink', (file: string) => {
          const id = idByFile.get(file);
          if (!inDir(file) || id === undefined) return;
          store.delete(id);
          idByFile.delete(file);
        });
      }
    },
  };
}

/**
 * Content loader for the day records (content/papers/YYYY/MM/DD/day.json), entry id the record's day. Like
 * paperFilesLoader (and unlike Astro's glob loader, whose reads yield to the event loop between files), it
 * reads synchronously, skips unchanged files by their digest and applies its changes in one burst: a day
 * record that changed early while the paper files were scanned made Astro save the whole store one more time.
 * The schema (DayRecordSchema) validates what it stores.
 */
export function dayRecordsLoader(options: { base: string }): Loader {
  return {
    name: 'paperboy-day-records',
    load: async ({ store, config, generateDigest, parseData }: LoaderContext) => {
      const root = fileURLToPath(config.root);
      const dir = resolve(root, options.base);
      const untouched = new Set(store.keys());
      const updates: (() => void)[] = [];
      for (const file of listFiles(dir, (name) => name === 'day.json')) {
        const contents = readFileSync(file, 'utf8');
        const digest = generateDigest(contents);
        const filePath = relative(root, file).split(sep).join('/');
        let data: unknown;
        try {
          data = JSON.parse(contents);
        } catch (error) {
          throw new Error(`${filePath}: not valid JSON: ${(error as Error).message}`);
        }
        const id = data && typeof data === 'object' && typeof (data as { day?: unknown }).day === 'string' ? (data as { day: string }).day : filePath;
        untouched.delete(id);
        if (store.get(id)?.digest === digest) continue;
        const parsed = await parseData({ id, data: data as Record<string, unknown>, filePath });
        updates.push(() => store.set({ id, data: parsed, filePath, digest }));
      }
      for (const update of updates) update();
      for (const id of untouched) store.delete(id);
    },
  };
}

