/**
 * `npm run check-archive -- [options]`: the deploy guard of the scheduled
 * workflow, run after `npm run build`. It checks that the built site has a
 * page for every archived paper, compares the paper count with the manifest of
 * the site online (see src/lib/archive-guard.ts), and on success writes this
 * build's manifest into the site. Exit 1 means: do not deploy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli.ts';
import { decideDeploy, MANIFEST_FILE, parseManifest, type Manifest } from '../src/lib/archive-guard.ts';
import { readDayRecord, scanArchive } from '../src/lib/store.ts';
import { routes } from '../src/lib/urls.ts';

const HELP = `Usage: npm run check-archive -- [options]

Refuse a build that would put fewer papers online than there are now.

  --content-dir DIR     archive directory (default content/papers)
  --dist DIR            the built site (default dist)
  --previous URL|FILE   manifest of the site online, e.g.
                        https://owner.github.io/repo/${MANIFEST_FILE};
                        a 404 or a missing file means no site yet
  --allow-fewer         deploy even if the count dropped (after reset-archive)
  -h, --help            show this help

On success the build's manifest is written to DIST/${MANIFEST_FILE}.
Exit codes: 0 deploy, 1 do not deploy, 2 bad usage.`;

class GuardError extends Error {}

const inActions = process.env.GITHUB_ACTIONS === 'true';
function error(message: string): void {
  console.error(inActions ? `::error::${message}` : `check-archive: ${message}`);
}

async function fetchPrevious(url: string): Promise<Manifest | undefined> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(20_000), headers: { 'cache-control': 'no-cache' } });
      if (response.status === 404) {
        console.log(`No manifest at ${url} (404): no Paperboy site online yet.`);
        return undefined;
      }
      if (response.ok) {
        const manifest = parseManifest(await response.text());
        if (!manifest) console.log(`What ${url} holds is not a Paperboy manifest: nothing to compare with.`);
        return manifest;
      }
      lastProblem = `HTTP ${response.status}`;
    } catch (problem) {
      lastProblem = (problem as Error).message;
    }
    if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
  }
  // Failing closed: without the count online there is no proof that this build is not smaller.
  throw new GuardError(
    `cannot read ${url} (${lastProblem}) to compare paper counts; not deploying. ` +
      'Run the workflow again later, or by hand with "allow_fewer_papers" checked.',
  );
}

function readPreviousFile(file: string): Manifest | undefined {
  if (!fs.existsSync(file)) {
    console.log(`No manifest at ${file}: nothing to compare with.`);
    return undefined;
  }
  const manifest = parseManifest(fs.readFileSync(file, 'utf8'));
  if (!manifest) throw new GuardError(`${file} is not a Paperboy manifest`);
  return manifest;
}

async function main(): Promise<number> {
  const parsed = parseCommandLine('check-archive', HELP, {
    args: process.argv.slice(2),
    options: {
      'content-dir': { type: 'string' },
      dist: { type: 'string' },
      previous: { type: 'string' },
      'allow-fewer': { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
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

    const previousSource = values.previous;
    let previous: Manifest | undefined;
    if (previousSource) {
      previous = /^https?:\/\//.test(previousSource) ? await fetchPrevious(previousSource) : readPreviousFile(previousSource);
    }
    const decision = decideDeploy(current, previous, values['allow-fewer'] ?? false);
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
