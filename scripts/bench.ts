/**
 * Build benchmark: `npm run bench [-- --papers N] [--per-day N] [--keep]`.
 *
 * Synthesises an archive of N papers (default 50,000) in a temporary
 * directory from the committed archive's real text (content/papers/, or the
 * test fixture archive while that is empty): new ids (9xxx.xxxxx) and new list
 * days, ~30 papers per weekday, weekends recorded as days without a list. Then
 * builds it cold (fresh content cache) and warm (same cache, one new list day
 * added), and prints for each build: wall time, peak memory of the build
 * process, Astro's phase timings, page count, dist size and the average HTML
 * size of a paper page. A benchmark, not a test: nothing is asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseCommandLine } from './cli.ts';
import { addDays, dayToDate } from '../src/archive/dates.ts';
import { parsePaperFile, serializeDayRecord, serializePaper } from '../src/archive/paper-file.ts';
import { dayRecordRelPath, paperRelPath } from '../src/archive/paths.ts';
import type { Paper } from '../src/archive/schema.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

const USAGE = `Usage: npm run bench -- [--papers N] [--per-day N] [--source DIR] [--keep]

  --papers N     papers in the synthetic archive (default 50000)
  --per-day N    papers per weekday list (default 30)
  --source DIR   archive whose real text is reused (default content/papers,
                 else tests/fixtures/archive)
  --keep         keep the temporary archive and builds, and print where they are
  -h, --help     show this help

Prints, for a cold and a warm build: wall and CPU time, peak memory, Astro's
phases, page count, dist size and the average paper page size.`;

const parsed = parseCommandLine('bench', USAGE, {
  options: {
    papers: { type: 'string', default: '50000' },
    'per-day': { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    source: { type: 'string' },
  },
});
if (typeof parsed === 'number') process.exit(parsed);
const args = parsed.values;
const paperCount = Number(args.papers);
const perDay = Number(args['per-day']);
if (!Number.isInteger(paperCount) || paperCount < 1 || !Number.isInteger(perDay) || perDay < 1) {
  console.error('bench: --papers and --per-day need whole numbers of at least 1 (see --help)');
  process.exit(2);
}

async function listFiles(dir: string, suffix: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) found.push(join(entry.parentPath, entry.name));
  }
  return found.sort();
}

async function loadSource(): Promise<{ dir: string; templates: { paper: Paper; abstract: string }[] }> {
  const candidates = args.source ? [args.source] : ['content/papers', 'tests/fixtures/archive'];
  for (const candidate of candidates) {
    const dir = resolve(ROOT, candidate);
    if (!existsSync(dir)) continue;
    const files = await listFiles(dir, '.md');
    if (files.length === 0) continue;
    const templates = await Promise.all(files.map(async (f) => parsePaperFile(await readFile(f, 'utf8'), f)));
    return { dir, templates };
  }
  throw new Error('no source archive with papers found');
}

/** A synthetic but valid new-style arXiv id, unique per index. */
function syntheticId(index: number): string {
  return `9${String(Math.floor(index / 100_000)).padStart(3, '0')}.${String(index % 100_000).padStart(5, '0')}`;
}

function isWeekend(day: string): boolean {
  const weekday = dayToDate(day).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Writes `count` papers starting at paper index `first` onto list days from `startDay`; returns the next free day. */
async function writeArchive(
  contentDir: string,
  templates: readonly { paper: Paper; abstract: string }[],
  first: number,
  count: number,
  startDay: string,
): Promise<string> {
  let day = startDay;
  let index = first;
  const end = first + count;
  const now = '2026-01-01T00:00:00.000Z';
  while (index < end) {
    const ids: string[] = [];
    if (!isWeekend(day)) {
      const writes: Promise<void>[] = [];
      for (let n = 0; n < perDay && index < end; n++, index++) {
        const template = templates[index % templates.length]!;
        const id = syntheticId(index);
        ids.push(id);
        const paper: Paper = {
          ...template.paper,
          id,
          listDay: day,
          published: `${addDays(day, -1)}T17:00:00.000Z`,
          upvotes: (index * 7919) % 200,
          fetchedAt: now,
          updatedAt: now,
        };
        const file = join(contentDir, paperRelPath(day, id));
        writes.push(mkdir(dirname(file), { recursive: true }).then(() => writeFile(file, serializePaper(paper, template.abstract))));
      }
      await Promise.all(writes);
    }
    const recordFile = join(contentDir, dayRecordRelPath(day));
    await mkdir(dirname(recordFile), { recursive: true });
    await writeFile(
      recordFile,
      serializeDayRecord({
        day,
        count: ids.length,
        papers: ids.sort(),
        source: 'import',
        complete: true,
        firstFetchedAt: now,
        updatedAt: now,
        digestSentAt: null,
      }),
    );
    day = addDays(day, 1);
  }
  return day;
}

interface BuildResult {
  wallSeconds: number;
  peakRssMb: number | undefined;
  treePeakMb: number | undefined;
  /** Pages and files Astro copied from its incremental-build cache instead of rendering them. */
  restored: number;
  /** Paper pages among them. */
  restoredPaperPages: number;
  /** User + system CPU time: steadier than wall time on a shared machine. */
  cpuSeconds: number | undefined;
  phases: string[];
  pages: number;
  distMb: number;
  paperPages: number;
  avgPaperKb: number;
  /** Discovery outputs (issues 6, 14): pages and size of topics, organizations, code pages, weeks, the search index. */
  discovery: string[];
}

async function dirStats(dir: string): Promise<{ bytes: number; pages: number; paperBytes: number; paperPages: number }> {
  let bytes = 0;
  let pages = 0;
  let paperBytes = 0;
  let paperPages = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const size = (await stat(path)).size;
    bytes += size;
    if (entry.name.endsWith('.html')) {
      pages++;
      if (path.startsWith(join(dir, 'papers') + '/')) {
        paperPages++;
        paperBytes += size;
      }
    }
  }
  return { bytes, pages, paperBytes, paperPages };
}

/** Processes under `rootPid` (itself included), from /proc: the build runs Pagefind as a process of its own. */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may contain spaces, so split after ')'.
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the summed RSS of a process and its descendants every 250 ms (Linux /proc; undefined elsewhere).
 * GNU time's figure is the largest single process; this one counts the Pagefind process and Astro together.
 */
function sampleTreeMemory(rootPid: number | undefined): () => number | undefined {
  if (rootPid === undefined || !existsSync('/proc/self/status')) return () => undefined;
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, processTree(rootPid).reduce((sum, pid) => sum + rssMb(pid), 0));
  }, 250);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/** Runs `astro build` as a child (under GNU time when present, for the peak RSS of the process tree's largest member). */
async function build(label: string, contentDir: string, cacheDir: string, outDir: string): Promise<BuildResult> {
  const astroBin = join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const command = [process.execPath, astroBin, 'build', '--outDir', outDir];
  const [exe, ...argv] = gnuTime ? [gnuTime, '-v', ...command] : command;
  const started = performance.now();
  let stopSampling: () => number | undefined = () => undefined;
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(exe!, argv, {
      cwd: ROOT,
      env: {
        ...process.env,
        PAPERBOY_CONTENT_DIR: contentDir,
        PAPERBOY_CACHE_DIR: cacheDir,
        ASTRO_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopSampling = sampleTreeMemory(child.pid);
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(text) : reject(new Error(`${label} build failed (${code}):\n${text.slice(-4000)}`))));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const treePeakMb = stopSampling();
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
  const cpu = /User time \(seconds\): ([\d.]+)[\s\S]*?System time \(seconds\): ([\d.]+)/.exec(output);
  // Astro's own log without the line per page: content sync, build info, bundling, page generation.
  const phases = output
    .split('\n')
    .filter((line) => !line.startsWith('\t') && !/├─|└─/.test(line))
    .map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim())
    // With build.concurrency > 1 a page's timing or "(restored)" may land on a line of its own: not a phase.
    .filter((line) => line && !line.startsWith('>') && !/^(\d+:\d+:\d+ )?(▶|λ)/.test(line) && !/^\((\+[\d.]+m?s|restored|cached)\)/.test(line));
  const stats = await dirStats(outDir);
  return {
    wallSeconds,
    peakRssMb: rss ? Number(rss[1]) / 1024 : undefined,
    treePeakMb,
    restored: (output.match(/\((restored|cached)\)/g) ?? []).length,
    // With build.concurrency lines interleave, but "(restored)" still follows its own page's path.
    restoredPaperPages: (output.match(/\/papers\/\S+\/index\.html \((restored|cached)\)/g) ?? []).length,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined,
    phases,
    pages: stats.pages,
    distMb: stats.bytes / 1024 / 1024,
    paperPages: stats.paperPages,
    avgPaperKb: stats.paperPages ? stats.paperBytes / stats.paperPages / 1024 : 0,
    discovery: await discoveryStats(outDir),
  };
}

/** Files and MB under each discovery output of the dist (the search index time is in Astro's log: "search index: ..."). */
async function discoveryStats(dir: string): Promise<string[]> {
  const groups: [string, (rel: string) => boolean][] = [
    ['topic pages', (rel) => rel.startsWith('topics/') && rel.endsWith('.html')],
    ['topic feeds', (rel) => rel.startsWith('topics/') && rel.endsWith('atom.xml')],
    ['org pages', (rel) => rel.startsWith('orgs/') && rel.endsWith('.html')],
    ['org feeds', (rel) => rel.startsWith('orgs/') && rel.endsWith('atom.xml')],
    ['code pages', (rel) => rel.startsWith('code/') && rel.endsWith('.html')],
    ['week pages', (rel) => rel.startsWith('weeks/') && rel.endsWith('.html')],
    ['papers.json', (rel) => rel.endsWith('/papers.json')],
    ['search index', (rel) => /^pagefind(-\d+)?\//.test(rel)],
  ];
  const totals = groups.map(() => ({ files: 0, bytes: 0 }));
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const rel = join(entry.parentPath, entry.name).slice(dir.length + 1);
    const index = groups.findIndex(([, test]) => test(rel));
    if (index < 0) continue;
    totals[index]!.files++;
    totals[index]!.bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return groups.map(([name], i) => `${name.padEnd(13)} ${totals[i]!.files} files, ${(totals[i]!.bytes / 1024 / 1024).toFixed(1)} MB`);
}

function report(label: string, r: BuildResult): void {
  console.log(`\n== ${label}`);
  console.log(`wall time        ${r.wallSeconds.toFixed(1)} s`);
  if (r.cpuSeconds !== undefined) console.log(`CPU time         ${r.cpuSeconds.toFixed(1)} s (user + system)`);
  console.log(`peak memory      ${r.peakRssMb === undefined ? 'unknown (no /usr/bin/time)' : `${r.peakRssMb.toFixed(0)} MB`} (largest process: astro with its worker threads)`);
  console.log(`peak memory, all ${r.treePeakMb === undefined ? 'unknown (no /proc)' : `${r.treePeakMb.toFixed(0)} MB`} (astro + Pagefind processes together, sampled every 250 ms)`);
  console.log(`pages (HTML)     ${r.pages}`);
  console.log(`from the cache   ${r.restored} pages and files copied, not rendered (incremental build)`);
  console.log(`dist size        ${r.distMb.toFixed(1)} MB`);
  console.log(`paper pages      ${r.paperPages}, average ${r.avgPaperKb.toFixed(2)} KB of HTML; ${r.paperPages - r.restoredPaperPages} rendered, the others copied from the cache`);
  console.log('discovery:');
  for (const line of r.discovery) console.log(`  ${line}`);
  console.log('astro phases:');
  for (const line of r.phases) console.log(`  ${line}`);
}

const { dir: sourceDir, templates } = await loadSource();
const work = await mkdtemp(join(tmpdir(), 'paperboy-bench-'));
const contentDir = join(work, 'content');
const cacheDir = join(work, 'cache');
// Astro writes its intermediate server build next to outDir only when outDir is inside the project
// (otherwise into the shared <project>/.astro/, where concurrent builds clobber each other), and
// that build must resolve node_modules: so the output goes under node_modules/.cache.
const outRoot = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'paperboy-bench-'));
console.log(`bench: ${paperCount} papers (${perDay} per weekday) from ${templates.length} real papers in ${sourceDir}`);
console.log(`bench: working in ${work}`);
try {
  const t0 = performance.now();
  const nextDay = await writeArchive(contentDir, templates, 0, paperCount, '2020-01-01');
  console.log(`bench: archive written in ${((performance.now() - t0) / 1000).toFixed(1)} s (list days up to ${addDays(nextDay, -1)})`);

  report('cold build (fresh content cache)', await build('cold', contentDir, cacheDir, join(outRoot, 'dist-cold')));

  let newDay = nextDay;
  while (isWeekend(newDay)) newDay = addDays(newDay, 1);
  await writeArchive(contentDir, templates, paperCount, perDay, newDay);
  report(`warm build (same cache, one new list day ${newDay} with ${perDay} papers)`, await build('warm', contentDir, cacheDir, join(outRoot, 'dist-warm')));
} finally {
  if (args.keep) console.log(`\nbench: kept ${work} and ${outRoot}`);
  else await Promise.all([work, outRoot].map((dir) => rm(dir, { recursive: true, force: true })));
}
