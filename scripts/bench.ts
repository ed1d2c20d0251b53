/**
 * Build benchmark: `npm run bench [-- --papers N] [--per-day N] [--no-peers] [--keep]`.
 *
 * Synthesises an archive of N papers (default 50,000) in a temporary
 * directory from the committed archive's real text (content/papers/, or the
 * test fixture archive while that is empty): new ids (9xxx.xxxxx) and new list
 * days, 40 papers per weekday by default (1,250 list days at 50,000), weekends
 * recorded as days without a list. Then
 * builds it cold (fresh content cache) and warm (same cache, one new list day
 * added), and prints for each build: wall time, peak memory of the build
 * process, Astro's phase timings, page count, dist size per kind of output and
 * the average HTML size of a paper page. When `hugo` is on the PATH it then
 * builds the same files with Hugo and minimal templates, and runs Pagefind over
 * Hugo's output (the peers of issue 15), and prints the ratios. A benchmark,
 * not a test: nothing is asserted. Results: docs/benchmark.md.
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

const USAGE = `Usage: npm run bench -- [--papers N] [--per-day N] [--source DIR] [--no-peers] [--keep]

  --papers N     papers in the synthetic archive (default 50000)
  --per-day N    papers per weekday list (default 40)
  --source DIR   archive whose real text is reused (default content/papers,
                 else tests/fixtures/archive)
  --no-peers     skip the Hugo and Hugo + Pagefind builds of the same files
                 (they run when \`hugo\` is on the PATH)
  --keep         keep the temporary archive and builds, and print where they are
  -h, --help     show this help

Prints, for a cold and a warm build: wall and CPU time, peak memory, Astro's
phases, page count, dist size per kind of output and the average paper page
size; then the peers' figures and the ratios the targets are stated in.`;

const parsed = parseCommandLine('bench', USAGE, {
  options: {
    papers: { type: 'string', default: '50000' },
    'per-day': { type: 'string', default: '40' },
    'no-peers': { type: 'boolean', default: false },
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

interface RunResult {
  wallSeconds: number;
  /** User + system CPU time of the process and the children it waited for: steadier than wall time on a shared machine. */
  cpuSeconds: number | undefined;
  /** Largest single process (GNU time). */
  peakRssMb: number | undefined;
  /** The process and its descendants together, sampled from /proc. */
  treePeakMb: number | undefined;
  output: string;
  /** The 1-minute load average when the run started: how busy the shared machine was. */
  loadBefore: string;
}

interface BuildResult extends RunResult {
  /** Pages rendered and pages in all, from the incremental build's log line (src/integrations/output-cache.ts). */
  rendered: { rendered: number; total: number };
  phases: string[];
  site: SiteStats;
}

/** What kind of output a dist file is (its path relative to the dist), for the byte breakdown. */
function outputKind(rel: string): string {
  if (/^papers\/[^/]+\/index\.html$/.test(rel)) return 'paper pages';
  if (/^papers\/[^/]+\.bib$/.test(rel)) return '.bib files';
  if (/^\d{4}\/\d{2}\/\d{2}\/index\.html$/.test(rel)) return 'day pages';
  if (/^\d{4}\/\d{2}\/\d{2}\/papers\.json$/.test(rel)) return 'papers.json';
  if (/^\d{4}\/(\d{2}\/)?index\.html$/.test(rel)) return 'month + year pages';
  if (/^topics\/.+\.html$/.test(rel)) return 'topic pages';
  if (/^topics\/.+\.xml$/.test(rel)) return 'topic feeds';
  if (/^orgs\//.test(rel)) return 'org pages + feeds';
  if (/^code\//.test(rel)) return 'code pages';
  if (/^weeks\//.test(rel)) return 'week pages';
  if (/^pagefind(-\d+)?\//.test(rel)) return 'search index';
  if (/^sitemap.*\.xml$/.test(rel)) return 'sitemaps';
  if (/^(daily\/|weekly\/)?(rss\.xml|atom\.xml|feed\.json)$/.test(rel)) return 'site feeds';
  if (/^_astro\//.test(rel)) return 'styles + fonts';
  return 'other';
}

interface SiteStats {
  files: number;
  bytes: number;
  pages: number;
  paperPages: number;
  paperBytes: number;
  /**
   * The size of the tar that actions/upload-pages-artifact makes of the site (GNU tar: a 512-byte header per
   * file and directory, contents padded to 512 bytes, 1,024 bytes at the end), before its zip compression.
   */
  tarBytes: number;
  kinds: Map<string, { files: number; bytes: number }>;
}

const TAR_BLOCK = 512;
const tarEntryBytes = (size: number) => TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;

async function siteStats(dir: string): Promise<SiteStats> {
  const stats: SiteStats = { files: 0, bytes: 0, pages: 0, paperPages: 0, paperBytes: 0, tarBytes: 2 * TAR_BLOCK + TAR_BLOCK, kinds: new Map() };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory()) stats.tarBytes += TAR_BLOCK;
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = path.slice(dir.length + 1);
    const size = (await stat(path)).size;
    stats.files++;
    stats.bytes += size;
    stats.tarBytes += tarEntryBytes(size);
    if (entry.name.endsWith('.html')) stats.pages++;
    const kind = outputKind(rel);
    if (kind === 'paper pages') {
      stats.paperPages++;
      stats.paperBytes += size;
    }
    const total = stats.kinds.get(kind) ?? { files: 0, bytes: 0 };
    total.files++;
    total.bytes += size;
    stats.kinds.set(kind, total);
  }
  return stats;
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

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
  } catch {
    return '?';
  }
}

/** Runs one command (under GNU time when present, for its peak RSS and CPU time); rejects with its output's tail on failure. */
async function run(label: string, command: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const [exe, ...argv] = gnuTime ? [gnuTime, '-v', ...command] : command;
  const loadBefore = loadAverage();
  const started = performance.now();
  let stopSampling: () => number | undefined = () => undefined;
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(exe!, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    stopSampling = sampleTreeMemory(child.pid);
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(text) : reject(new Error(`${label} failed (${code}):\n${text.slice(-4000)}`))));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const treePeakMb = stopSampling();
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
  const cpu = /User time \(seconds\): ([\d.]+)[\s\S]*?System time \(seconds\): ([\d.]+)/.exec(output);
  return {
    wallSeconds,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined,
    peakRssMb: rss ? Number(rss[1]) / 1024 : undefined,
    treePeakMb,
    output,
    loadBefore,
  };
}

/** `astro build` of the synthetic archive into `outDir`. */
async function build(label: string, contentDir: string, cacheDir: string, outDir: string): Promise<BuildResult> {
  const astroBin = join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const result = await run(`${label} build`, [process.execPath, astroBin, 'build', '--outDir', outDir], {
    ...process.env,
    PAPERBOY_CONTENT_DIR: contentDir,
    PAPERBOY_CACHE_DIR: cacheDir,
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  // Astro's own log without the line per page: content sync, build info, bundling, page generation.
  const phases = result.output
    .split('\n')
    .filter((line) => !line.startsWith('\t') && !/├─|└─/.test(line))
    .map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim())
    // With build.concurrency > 1 a page's timing may land on a line of its own: not a phase.
    .filter((line) => line && !line.startsWith('>') && !/^(\d+:\d+:\d+ )?(▶|λ)/.test(line) && !/^\(\+[\d.]+m?s\)/.test(line));
  const line = /incremental build: rendered ([^;]*);/.exec(result.output)?.[1] ?? '';
  const counts = [...line.matchAll(/(\d+) of (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  return {
    ...result,
    rendered: { rendered: counts.reduce((sum, [r]) => sum + r, 0), total: counts.reduce((sum, [, t]) => sum + t, 0) },
    phases,
    site: await siteStats(outDir),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The size of the artifact the Pages deploy uploads: actions/upload-pages-artifact tars the site
 * (`--dereference --hard-dereference`, so the cache's hard links become plain files) and upload-artifact
 * deflates it (level 6, like `gzip -6`); actions/deploy-pages compares that size with Pages' 1 GB.
 * Undefined without tar and gzip.
 */
async function artifactBytes(dir: string): Promise<number | undefined> {
  if (!onPath('tar') || !onPath('gzip')) return undefined;
  const script = 'tar --dereference --hard-dereference -C "$1" -cf - . | gzip -6 -c | wc -c';
  const { output } = await run('artifact size', ['sh', '-c', script, 'sh', dir]);
  const bytes = Number(/^\s*(\d+)\s*$/m.exec(output)?.[1]);
  return Number.isFinite(bytes) ? bytes : undefined;
}

function reportRun(r: RunResult): void {
  console.log(`wall time        ${r.wallSeconds.toFixed(1)} s (load average before: ${r.loadBefore})`);
  if (r.cpuSeconds !== undefined) console.log(`CPU time         ${r.cpuSeconds.toFixed(1)} s (user + system)`);
  console.log(`peak memory      ${r.peakRssMb === undefined ? 'unknown (no /usr/bin/time)' : `${r.peakRssMb.toFixed(0)} MB`} (largest process)`);
  console.log(`peak memory, all ${r.treePeakMb === undefined ? 'unknown (no /proc)' : `${r.treePeakMb.toFixed(0)} MB`} (all its processes together, sampled every 250 ms)`);
}

function report(label: string, r: BuildResult): void {
  console.log(`\n== ${label}`);
  reportRun(r);
  console.log(`pages (HTML)     ${r.site.pages}`);
  console.log(`rendered         ${r.rendered.rendered} of ${r.rendered.total} keyed pages (the rest linked from the incremental build's cache)`);
  console.log(`dist size        ${mb(r.site.bytes)} in ${r.site.files} files (as the Pages artifact's tar, before compression: ${mb(r.site.tarBytes)})`);
  console.log(`paper pages      ${r.site.paperPages}, average ${(r.site.paperPages ? r.site.paperBytes / r.site.paperPages / 1024 : 0).toFixed(2)} KB of HTML`);
  console.log('bytes by kind of output:');
  for (const [kind, t] of [...r.site.kinds].sort((a, b) => b[1].bytes - a[1].bytes)) {
    console.log(`  ${kind.padEnd(20)} ${mb(t.bytes).padStart(9)} in ${t.files} files`);
  }
  console.log('astro phases:');
  for (const line of r.phases) console.log(`  ${line}`);
}

// ------------------------------------------------------------------- peers

/**
 * The peers of issue 15: Hugo with minimal templates over the same paper files (a page per paper with its
 * title, authors and abstract; Hugo's own list pages, RSS and sitemap), then Pagefind over Hugo's output
 * (the same product: pages plus static search). Hugo reads the front matter Paperboy writes as it is.
 */
const HUGO_FILES: Record<string, string> = {
  'hugo.toml': 'baseURL = "http://localhost/"\ndisableKinds = ["taxonomy", "term"]\n',
  'layouts/_default/baseof.html':
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n<body>{{ block "main" . }}{{ end }}</body></html>\n',
  'layouts/_default/single.html':
    '{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>\n<p>{{ delimit .Params.authors ", " }}</p>\n{{ .Content }}</article>{{ end }}\n',
  'layouts/_default/list.html':
    '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
};

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

interface PeerResults {
  hugo: RunResult;
  pagefind: RunResult;
  hugoFiles: number;
  hugoBytes: number;
}

async function runPeers(work: string, contentDir: string, outRoot: string): Promise<PeerResults> {
  const hugoSite = join(work, 'hugo-site');
  for (const [rel, text] of Object.entries(HUGO_FILES)) {
    await mkdir(dirname(join(hugoSite, rel)), { recursive: true });
    await writeFile(join(hugoSite, rel), text);
  }
  const hugoOut = join(outRoot, 'hugo-public');
  const hugo = await run('hugo', ['hugo', '--source', hugoSite, '--contentDir', contentDir, '--destination', hugoOut, '--quiet']);
  const stats = await siteStats(hugoOut);
  const pagefind = await run('pagefind', [join(ROOT, 'node_modules', '.bin', 'pagefind'), '--site', hugoOut]);
  return { hugo, pagefind, hugoFiles: stats.files, hugoBytes: stats.bytes };
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? '?' : `${(a / b).toFixed(2)}x`;
}

function summary(cold: BuildResult, warm: BuildResult, peers: PeerResults | undefined, artifact: number | undefined): void {
  console.log('\n== targets (issue 15)');
  if (peers) {
    const hp = peers.hugo.wallSeconds + peers.pagefind.wallSeconds;
    const hpCpu = (peers.hugo.cpuSeconds ?? NaN) + (peers.pagefind.cpuSeconds ?? NaN);
    console.log(`warm / Hugo              ${ratio(warm.wallSeconds, peers.hugo.wallSeconds)} wall (${warm.wallSeconds.toFixed(1)} s / ${peers.hugo.wallSeconds.toFixed(1)} s), ${ratio(warm.cpuSeconds, peers.hugo.cpuSeconds)} CPU   target <= 1.00x`);
    console.log(`cold / (Hugo + Pagefind) ${ratio(cold.wallSeconds, hp)} wall (${cold.wallSeconds.toFixed(1)} s / ${hp.toFixed(1)} s), ${ratio(cold.cpuSeconds, hpCpu)} CPU   target <= 1.00x`);
  } else {
    console.log('peers not run (no `hugo` on the PATH, or --no-peers): no ratios');
  }
  console.log(`cold peak memory         ${cold.peakRssMb?.toFixed(0) ?? '?'} MB (largest process; all processes ${cold.treePeakMb?.toFixed(0) ?? '?'} MB)   target <= 1536 MB`);
  console.log(`site                     ${mb(warm.site.bytes)} in ${warm.site.files} files (tar ${mb(warm.site.tarBytes)})   target <= 500 MB`);
  console.log(`Pages artifact           ${artifact === undefined ? 'unknown (no tar or gzip)' : `${mb(artifact)} (the tar deflated, as deployed)`}   GitHub Pages: 1 GB`);
  console.log(`paper page average       ${(warm.site.paperBytes / Math.max(1, warm.site.paperPages) / 1024).toFixed(2)} KB   target <= 8 KB`);
}

const { dir: sourceDir, templates } = await loadSource();
const work = await mkdtemp(join(tmpdir(), 'paperboy-bench-'));
const contentDir = join(work, 'content');
const cacheDir = join(work, 'cache');
// Astro writes its intermediate server build next to outDir only when outDir is inside the project
// (otherwise into the shared <project>/.astro/, where concurrent builds clobber each other), and
// that build must resolve node_modules: so the output goes under node_modules/.cache.
await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true });
const outRoot = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'paperboy-bench-'));
const withPeers = !args['no-peers'] && onPath('hugo');
console.log(`bench: ${paperCount} papers (${perDay} per weekday) from ${templates.length} real papers in ${sourceDir}`);
console.log(`bench: working in ${work}; ${withPeers ? 'peers: Hugo and Hugo + Pagefind' : 'no peers (no `hugo` on the PATH, or --no-peers)'}`);
try {
  const t0 = performance.now();
  const nextDay = await writeArchive(contentDir, templates, 0, paperCount, '2020-01-01');
  console.log(`bench: archive written in ${((performance.now() - t0) / 1000).toFixed(1)} s (list days up to ${addDays(nextDay, -1)})`);

  const cold = await build('cold', contentDir, cacheDir, join(outRoot, 'dist-cold'));
  report('cold build (fresh content cache)', cold);

  let newDay = nextDay;
  while (isWeekend(newDay)) newDay = addDays(newDay, 1);
  await writeArchive(contentDir, templates, paperCount, perDay, newDay);
  const warm = await build('warm', contentDir, cacheDir, join(outRoot, 'dist-warm'));
  report(`warm build (same cache, one new list day ${newDay} with ${perDay} papers)`, warm);

  let peers: PeerResults | undefined;
  if (withPeers) {
    peers = await runPeers(work, contentDir, outRoot);
    console.log(`\n== Hugo (${(/hugo v[\d.]+/.exec((await run('hugo version', ['hugo', 'version'])).output) ?? ['hugo'])[0]}), full build of the same ${paperCount + perDay} paper files, minimal templates`);
    reportRun(peers.hugo);
    console.log(`output           ${mb(peers.hugoBytes)} in ${peers.hugoFiles} files`);
    console.log('\n== Pagefind over Hugo\'s output');
    reportRun(peers.pagefind);
  }
  summary(cold, warm, peers, await artifactBytes(join(outRoot, 'dist-warm')));
} finally {
  if (args.keep) console.log(`\nbench: kept ${work} and ${outRoot}`);
  else await Promise.all([work, outRoot].map((dir) => rm(dir, { recursive: true, force: true })));
}
