/**
 * The search indexing worker on the fixture archive, without an Astro build:
 * shards and their cache (a new list day re-indexes only the last shard), the
 * records Pagefind holds (URLs under the base path, titles, dates, filters),
 * and failures that reach the build as one clear line (src/search/search-worker.ts,
 * src/integrations/search-index.ts).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePaperFile, serializePaper } from '../../src/archive/paper-file.ts';
import { listPaperFiles } from '../../src/site/paper-loader.ts';
import { paperRelPath } from '../../src/archive/paths.ts';
import { papersInIndexOrder, searchRecord, toSearchPaper, type SearchPaper, type SearchRecord } from '../../src/search/search.ts';
import { startSearchWorker } from '../../src/integrations/search-index.ts';
import { indexArchive, MisplacedPaperFile, paperFilesInIndexOrder, readSearchPaper, searchShards } from '../../src/search/search-worker.ts';
import { loadFixture } from './fixture.ts';
import { FIXTURE_ARCHIVE, makeTempDir, removeBuilds } from '../helpers/build-site.ts';

const BASE = '/paperboy/';
const fixture = loadFixture();

afterAll(() => removeBuilds());

function copyArchive(): string {
  const dir = join(makeTempDir('paperboy-search-index-'), 'archive');
  cpSync(FIXTURE_ARCHIVE, dir, { recursive: true });
  return dir;
}

/**
 * The shards' records as the worker computed them before it streamed: parse
 * the whole archive (the first file in path order wins), sort, cut into `shardSize` pieces.
 */
async function shardsAllAtOnce(contentDir: string, shardSize: number): Promise<SearchRecord[][]> {
  const byId = new Map<string, SearchPaper>();
  for (const file of await listPaperFiles(contentDir)) {
    const parsed = parsePaperFile(readFileSync(file, 'utf8'));
    if (!byId.has(parsed.paper.id)) byId.set(parsed.paper.id, toSearchPaper(parsed.paper, parsed.abstract));
  }
  const papers = papersInIndexOrder(byId.values()).map((p) => searchRecord(p, { base: BASE, language: 'en' }));
  const shards: SearchRecord[][] = [];
  for (let from = 0; from < Math.max(1, papers.length); from += shardSize) shards.push(papers.slice(from, from + shardSize));
  return shards;
}

/** The papers the worker reads, in index order, collected (tests only: the worker itself never holds more than a shard). */
async function readSearchPapers(contentDir: string): Promise<SearchPaper[]> {
  const papers: SearchPaper[] = [];
  const collect = (file: string) => {
    const paper = readSearchPaper(file);
    papers.push(paper);
    return paper;
  };
  for await (const _ of searchShards(await paperFilesInIndexOrder(contentDir, { fromPaths: true }), 20, { base: BASE, language: 'en' }, collect));
  return papers;
}

/** The records stored in a bundle's fragment files (gzip, behind a `pagefind_dcd` signature). */
function bundleRecords(bundle: string): { url: string; content: string; meta: Record<string, string>; filters: Record<string, string[]> }[] {
  return readdirSync(join(bundle, 'fragment')).map((file) => {
    const text = gunzipSync(readFileSync(join(bundle, 'fragment', file))).toString('utf8');
    return JSON.parse(text.slice(text.indexOf('{')));
  });
}

describe('indexing the archive', () => {
  it('reads every paper of the archive in index order: list day, then id', async () => {
    const papers = await readSearchPapers(FIXTURE_ARCHIVE);
    expect(papers.length).toBe(fixture.papers.length);
    const expected = fixture.papers.map((p) => p.paper).sort((a, b) => (a.listDay !== b.listDay ? (a.listDay < b.listDay ? -1 : 1) : a.id < b.id ? -1 : 1));
    expect(papers.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(papers.find((p) => p.id === 'hep-th/9901001')).toBeDefined();
  });

  it('reads the files the content loader reads, a paper archived twice once', async () => {
    const archive = copyArchive();
    const hostile = readFileSync(join(archive, paperRelPath('2024-01-03', '2401.99999')), 'utf8');
    mkdirSync(join(archive, 'elsewhere'), { recursive: true });
    writeFileSync(join(archive, 'elsewhere', 'moved.md'), hostile.replaceAll('2401.99999', '2401.88888'));
    writeFileSync(join(archive, 'elsewhere', 'copy.md'), hostile);
    const papers = await readSearchPapers(archive);
    expect(papers.length).toBe(fixture.papers.length + 1);
    expect(papers.filter((p) => p.id === '2401.99999')).toHaveLength(1);
    expect(papers.find((p) => p.id === '2401.88888')).toBeDefined();
  });

  it('streams the shards of the all-at-once order, parsing a shard\'s files only when it is asked for', async () => {
    let parsed = 0;
    const counting = (file: string) => {
      parsed++;
      return readSearchPaper(file);
    };
    const expected = await shardsAllAtOnce(FIXTURE_ARCHIVE, 5);
    expect(expected.map((s) => s.length)).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 2]);
    const slots = await paperFilesInIndexOrder(FIXTURE_ARCHIVE, { fromPaths: true });
    // Placing the files in order reads none of them (every fixture file sits at YYYY/MM/DD/<id>.md).
    expect(parsed).toBe(0);
    let shard = 0;
    let yielded = 0;
    for await (const records of searchShards(slots, 5, { base: BASE, language: 'en' }, counting)) {
      expect(records).toEqual(expected[shard]);
      yielded += records.length;
      // Only this shard's files have been read: the worker never holds the archive, or the next shard, at once.
      expect(parsed).toBe(yielded);
      shard++;
    }
    expect(shard).toBe(expected.length);
  });

  it('places a file whose front matter disagrees with its path as the loader does, by its front matter', async () => {
    const archive = copyArchive();
    const template = fixture.byId.get('2401.00134')!;
    // Under 2023-12-29 (the first shard by its path) but listed 2024-01-03 (the last shard).
    writeFileSync(join(archive, paperRelPath('2023-12-29', '2401.77777')), serializePaper({ ...template.paper, id: '2401.77777', listDay: '2024-01-03' }, template.abstract));
    // A paper archived twice on different days: the earlier file (2023/...) wins, as in the loader and the fetch.
    const twice = fixture.papers.find((p) => p.paper.listDay === '2023-12-29')!;
    mkdirSync(dirname(join(archive, paperRelPath('2024-01-04', twice.paper.id))), { recursive: true });
    writeFileSync(join(archive, paperRelPath('2024-01-04', twice.paper.id)), serializePaper({ ...twice.paper, listDay: '2024-01-04' }, twice.abstract));

    const expected = await shardsAllAtOnce(archive, 20);
    expect(expected.map((s) => s.length)).toEqual([20, 20, 8]);
    expect(expected[2]!.map((r) => r.url)).toContain(`${BASE}papers/2401.77777/`);
    const copies = expected.flat().filter((r) => r.url === `${BASE}papers/${twice.paper.id}/`);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ meta: { date: '2023-12-29' } });
    await expect(readSearchPapers(archive)).rejects.toThrow(MisplacedPaperFile);

    const cacheDir = join(dirname(archive), 'cache');
    const result = await indexArchive({ contentDir: archive, base: BASE, language: 'en', shardSize: 20, cacheDir });
    expect(result).toMatchObject({ papers: 48, shards: 3 });
    expect(result.bundles.map((b) => bundleRecords(b).map((r) => r.url).sort())).toEqual(expected.map((shard) => shard.map((r) => r.url).sort()));
    // Only the bundles of the final order stay in the cache.
    expect(readdirSync(cacheDir).sort()).toEqual(result.bundles.map((b) => b.slice(cacheDir.length + 1)).sort());
  });

  it('writes one empty bundle for an empty archive, so /search/ still loads', async () => {
    const dir = makeTempDir('paperboy-search-empty-');
    const result = await indexArchive({ contentDir: join(dir, 'none'), base: BASE, language: 'en', shardSize: 20, cacheDir: join(dir, 'cache') });
    expect(result).toMatchObject({ papers: 0, shards: 1, cachedShards: 0 });
    expect(existsSync(join(result.bundles[0]!, 'pagefind.js'))).toBe(true);
  });

  it('writes one bundle per shard with a record per paper, and re-indexes only the shard a new list day changes', async () => {
    const archive = copyArchive();
    const cacheDir = join(dirname(archive), 'cache');
    const options = { contentDir: archive, base: BASE, language: 'en', shardSize: 20, cacheDir };
    const first = await indexArchive(options);
    expect(first).toMatchObject({ papers: 47, shards: 3, cachedShards: 0, parsedPapers: 47 });
    expect(first.bundles.map((b) => JSON.parse(readFileSync(join(b, 'pagefind-entry.json'), 'utf8')).languages.en.page_count)).toEqual([20, 20, 7]);
    expect(first.pagefindPeakBytes === undefined || first.pagefindPeakBytes > 1024 * 1024).toBe(true);

    const records = first.bundles.flatMap(bundleRecords);
    expect(records.map((r) => r.url).sort()).toEqual(fixture.papers.map((p) => `${BASE}papers/${p.paper.id.replace('/', '_')}/`).sort());
    const hostile = records.find((r) => r.url === `${BASE}papers/2401.99999/`)!;
    expect(hostile.meta.title).toBe(fixture.byId.get('2401.99999')!.paper.title);
    expect(hostile.meta.date).toBe('2024-01-03');
    expect(hostile.meta.authors).toBe('<i>Eve</i> & "Mallory", مريم العلي');
    expect(hostile.content).not.toContain('Mallory');
    expect(hostile.content).toMatch(/^A <b>bold<\/b> claim .*math \$\\alpha \+ \\beta\$/);

    // Unchanged files: not even parsed again.
    expect(await indexArchive(options)).toMatchObject({ shards: 3, cachedShards: 3, parsedPapers: 0, bundles: first.bundles });
    // New upvotes change a file but not its record: its shard is parsed, its bundle reused.
    const bumped = join(archive, paperRelPath('2023-12-29', '2312.16218'));
    writeFileSync(bumped, readFileSync(bumped, 'utf8').replace(/^upvotes: \d+$/m, 'upvotes: 9999'));
    expect(await indexArchive(options)).toMatchObject({ shards: 3, cachedShards: 3, parsedPapers: 20, bundles: first.bundles });

    // A new list day: its papers sort last, so only the last shard changes.
    const template = fixture.byId.get('2401.00134')!;
    for (const id of ['2401.70001', '2401.70002']) {
      const file = join(archive, paperRelPath('2024-01-04', id));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, serializePaper({ ...template.paper, id, listDay: '2024-01-04', title: `Zeppelins ${id}` }, template.abstract));
    }
    const next = await indexArchive(options);
    expect(next).toMatchObject({ papers: 49, shards: 3, cachedShards: 2, parsedPapers: 9 });
    expect(next.bundles.slice(0, 2)).toEqual(first.bundles.slice(0, 2));
    expect(bundleRecords(next.bundles[2]!).map((r) => r.meta.title)).toContain('Zeppelins 2401.70002');
    // The replaced shard's bundle was pruned from the cache.
    expect(readdirSync(cacheDir).sort()).toEqual(next.bundles.map((b) => b.slice(cacheDir.length + 1)).sort());
    expect(existsSync(first.bundles[2]!)).toBe(false);
  });

  it('keys the cache by base path: another base path indexes again', async () => {
    const cacheDir = join(makeTempDir('paperboy-search-base-'), 'cache');
    const options = { contentDir: FIXTURE_ARCHIVE, language: 'en', shardSize: 100, cacheDir };
    await indexArchive({ ...options, base: BASE });
    const atRoot = await indexArchive({ ...options, base: '/' });
    expect(atRoot.cachedShards).toBe(0);
    expect(bundleRecords(atRoot.bundles[0]!).every((r) => r.url.startsWith('/papers/'))).toBe(true);
  });

  it('fails with one line naming the file when a paper file is invalid', async () => {
    const archive = copyArchive();
    const broken = join(archive, paperRelPath('2024-01-03', '2401.99998'));
    writeFileSync(broken, '---\nid: "2401.99998"\ntitle: 3\n---\nNo.\n');
    const options = { contentDir: archive, base: BASE, language: 'en', shardSize: 20, cacheDir: join(dirname(archive), 'cache') };
    await expect(indexArchive(options)).rejects.toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a valid paper file: [^\\n]+$`));
  });
});

describe('the indexing worker', () => {
  it('indexes in a worker thread and hands back the bundles', async () => {
    const cacheDir = join(makeTempDir('paperboy-search-worker-'), 'cache');
    const running = startSearchWorker({ contentDir: FIXTURE_ARCHIVE, base: BASE, language: 'en', shardSize: 20, cacheDir });
    running.ref();
    const result = await running.result;
    await running.stop();
    expect(result).toMatchObject({ papers: 47, shards: 3, cachedShards: 0 });
    expect(result.bundles.every((b) => existsSync(join(b, 'pagefind-entry.json')))).toBe(true);
  });

  it('turns a failure in the worker into one line for the build', async () => {
    const archive = copyArchive();
    writeFileSync(join(archive, paperRelPath('2024-01-03', '2401.99998')), 'not front matter at all');
    const running = startSearchWorker({ contentDir: archive, base: BASE, language: 'en', shardSize: 20, cacheDir: join(dirname(archive), 'cache') });
    running.ref();
    const error = await running.result.then(
      () => undefined,
      (e: Error) => e,
    );
    await running.stop();
    expect(error?.message).toMatch(/^search index failed: .*2401\.99998\.md: not a valid paper file: [^\n]+$/);
  });
});
