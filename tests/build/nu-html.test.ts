/**
 * Every kind of page of the built fixture passes the Nu HTML checker (the
 * W3C validator, run locally from the `vnu-jar` package) with zero errors.
 * Pages are sampled by kind (home, day, month, year, paper, topic, org,
 * week, search, feeds, 404... whatever the build has), two of each, plus the
 * paper pages with hostile text and math, and checked in one run of the
 * checker. Needs Java (17 or later): CI (.ci/run) installs it when missing.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type BuiltSite, FIXTURE_ARCHIVE, removeBuilds } from '../helpers/build-site.ts';
import { listFiles } from './html.ts';

const VNU_JAR = join(dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
const javaFound = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;
const javaRequired = process.env.PAPERBOY_REQUIRE_JAVA === '1' || process.env.CI === 'true';
if (!javaFound && !javaRequired) {
  console.warn('\n*** SKIPPING the Nu HTML checker test: no java. Install a Java runtime (apt-get install -y default-jre-headless). ***\n');
}

/** Pages that must always be in the sample: hostile text, math, an old-style id. */
const ALWAYS = ['papers/2401.99999/index.html', 'papers/2406.11939/index.html', 'papers/hep-th_9901001/index.html'];

/** The kind of a page: its path with dates, ids and slugs generalised (`papers/*`, `YYYY/MM/DD`, `topics/* /2`). */
function pageKind(path: string): string {
  const parts = path.split('/');
  return parts
    .map((part, i) => {
      if (i === parts.length - 1) return part;
      if (/^\d+$/.test(part)) return i < 3 && /^\d{4}$/.test(parts[0]!) ? 'D' : 'N';
      return i > 0 ? '*' : part;
    })
    .join('/');
}

interface NuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

let site: BuiltSite;
let sample: string[];

beforeAll(async () => {
  site = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: '/paperboy/', site: 'https://example.github.io' });
  const byKind = new Map<string, string[]>();
  for (const file of listFiles(site.outDir).filter((f) => f.endsWith('.html')).sort()) {
    const kind = pageKind(file);
    const pages = byKind.get(kind) ?? [];
    if (pages.length < 2) byKind.set(kind, [...pages, file]);
  }
  sample = [...new Set([...[...byKind.values()].flat(), ...ALWAYS])];
}, 600_000);

afterAll(() => removeBuilds());

describe.skipIf(!javaFound && !javaRequired)('the Nu HTML checker', () => {
  it('samples every kind of page', () => {
    expect(javaFound, 'java is required here (PAPERBOY_REQUIRE_JAVA=1 or CI) but is not installed').toBe(true);
    const kinds = new Set(sample.map(pageKind));
    for (const kind of ['index.html', '404.html', 'D/index.html', 'D/D/index.html', 'D/D/D/index.html', 'papers/*/index.html', 'weeks/*/index.html']) {
      expect(kinds, kind).toContain(kind);
    }
    for (const page of ['archive/index.html', 'search/index.html', 'feeds/index.html', 'topics/index.html', 'orgs/index.html', 'weeks/index.html', 'code/index.html', ...ALWAYS]) {
      expect(sample, page).toContain(page);
    }
  });

  it('finds zero errors on the sampled pages', () => {
    const result = spawnSync('java', ['-jar', VNU_JAR, '--format', 'json', '--errors-only', ...sample.map((p) => join(site.outDir, p))], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    });
    expect(result.error, String(result.error)).toBeUndefined();
    // vnu writes its JSON report to stderr and exits 1 when it found errors.
    const report = JSON.parse(result.stderr) as { messages: NuMessage[] };
    const errors = report.messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal')
      .map((m) => `${relative(site.outDir, decodeURI((m.url ?? '').replace(/^file:/, '')))}:${m.lastLine ?? '?'}: ${m.message} [${(m.extract ?? '').trim()}]`);
    expect(errors).toEqual([]);
    expect(result.status).toBe(0);
  }, 300_000);
});
