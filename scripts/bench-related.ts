/**
 * Timing of the related-papers ranking alone (src/discovery/related.ts), which every
 * build runs once over the whole archive: `node scripts/bench-related.ts
 * [--papers N] [--per-day N] [--mixed]`. Synthesises papers in memory the way
 * `npm run bench` does (the real papers of content/papers/ or the test fixture,
 * new ids and list days, ~30 per weekday), or with `--mixed` each paper's
 * keywords drawn from several real papers (no exact copies: a harder case for
 * the ranking's early stop). Prints the time and a few figures; asserts nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseCommandLine } from './cli.ts';
import { buildArchive } from '../src/site/archive.ts';
import { addDays, dayToDate } from '../src/archive/dates.ts';
import { parsePaperFile } from '../src/archive/paper-file.ts';
import { buildRelated } from '../src/discovery/related.ts';
import type { Paper } from '../src/archive/schema.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const USAGE = `Usage: node scripts/bench-related.ts [--papers N] [--per-day N] [--mixed] [--runs N]

  --papers N    synthetic papers (default 50000)
  --per-day N   papers per weekday list (default 30)
  --mixed       each paper's keywords from three different real papers
  --runs N      time the ranking N times and print each (default 3)
  -h, --help    show this help`;

const parsed = parseCommandLine('bench-related', USAGE, {
  options: {
    papers: { type: 'string', default: '50000' },
    'per-day': { type: 'string', default: '30' },
    mixed: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
  },
});
if (typeof parsed === 'number') process.exit(parsed);
const paperCount = Number(parsed.values.papers);
const perDay = Number(parsed.values['per-day']);
const runs = Number(parsed.values.runs);
if (![paperCount, perDay, runs].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error('bench-related: --papers, --per-day and --runs need whole numbers of at least 1 (see --help)');
  process.exit(2);
}

const source = ['content/papers', 'tests/fixtures/archive'].map((d) => join(ROOT, d)).find((d) => existsSync(d) && readdirSync(d).length > 0)!;
const templates = readdirSync(source, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.md'))
  .map((e) => join(e.parentPath, e.name))
  .sort()
  .map((file) => parsePaperFile(readFileSync(file, 'utf8')).paper);

const isWeekend = (day: string) => [0, 6].includes(dayToDate(day).getUTCDay());
const papers: Paper[] = [];
let day = '2020-01-01';
while (papers.length < paperCount) {
  if (!isWeekend(day)) {
    for (let n = 0; n < perDay && papers.length < paperCount; n++) {
      const index = papers.length;
      const template = templates[index % templates.length]!;
      const keywords = parsed.values.mixed
        ? [0, 1, 2].flatMap((k) => templates[(index * 7 + k * 2_654_435_761) % templates.length]!.keywords.slice(k * 3, k * 3 + 4))
        : template.keywords;
      const id = `9${String(Math.floor(index / 100_000)).padStart(3, '0')}.${String(index % 100_000).padStart(5, '0')}`;
      papers.push({ ...template, id, listDay: day, keywords, upvotes: (index * 7919) % 200 });
    }
  }
  day = addDays(day, 1);
}
const archive = buildArchive(papers);
console.log(`bench-related: ${papers.length} papers on ${archive.days.length} list days, from ${templates.length} real papers${parsed.values.mixed ? ' (keywords mixed)' : ''}`);
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const related = buildRelated(archive.days, 5);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const listed = [...related.values()].reduce((n, list) => n + list.length, 0);
  console.log(`run ${run}: ${(ms / 1000).toFixed(2)} s (CPU ${((used.user + used.system) / 1e6).toFixed(2)} s); ${related.size} papers with related papers, ${(listed / papers.length).toFixed(2)} per paper on average`);
}
