/**
 * Front matter is data, never code, for every program that reads the
 * archive: a content file (a pull request, a hand edit) whose front matter is
 * marked `---js` holds code that would write a marker file if it ran, and is
 * otherwise a valid paper. The fetch CLI, the build, the search indexing and
 * the digest CLI each meet it; none may run it, and each says which file it
 * refused.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePaperFile } from '../../src/archive/paper-file.ts';
import { paperRelPath } from '../../src/archive/paths.ts';
import { indexArchive } from '../../src/search/search-worker.ts';
import { FIXTURE_ARCHIVE, makeTempDir, PROJECT_ROOT, removeBuilds, runAstro, siteEnv } from '../helpers/build-site.ts';
import { startReplayServer, type ReplayServer } from '../helpers/replay-server.ts';

const DAY = '2024-01-03';
/** On the fixture's list of DAY, so the fetch refreshes (and reads) its file. */
const ID = '2401.01173';
const REFUSED = 'not a valid paper file: its front matter is marked "js", and only YAML front matter (a plain "---" line) is read; nothing in it was run';

interface Hostile {
  contentDir: string;
  /** The `---js` paper file (absolute). */
  file: string;
  /** Exists only if the file's code ran. */
  marker: string;
}

/** A copy of the fixture archive whose paper ID is a `---js` file: a valid paper if evaluated, and a marker written. */
function hostileArchive(name: string): Hostile {
  const root = makeTempDir(`paperboy-front-matter-${name}-`);
  const contentDir = join(root, 'content');
  cpSync(FIXTURE_ARCHIVE, contentDir, { recursive: true });
  const file = join(contentDir, paperRelPath(DAY, ID));
  const marker = join(root, 'code-ran');
  const { paper, abstract } = parsePaperFile(readFileSync(file, 'utf8'));
  const code = `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
  writeFileSync(file, `---js\n{ ...(${code}, {}), ...${JSON.stringify(paper)} }\n---\n${abstract}\n`);
  return { contentDir, file, marker };
}

interface Run {
  code: number | null;
  output: string;
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, script), ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

let server: ReplayServer;
beforeAll(async () => {
  const elements = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests/fixtures/api/fixture-days.json'), 'utf8')) as unknown[];
  server = await startReplayServer({ elements, today: '2024-01-10' });
});
afterAll(async () => {
  await server.close();
  removeBuilds();
});

describe('a content file with JavaScript front matter', () => {
  it('is refused by the fetch, which runs nothing and fails that day', async () => {
    const hostile = hostileArchive('fetch');
    const run = await runScript('scripts/fetch.ts', [
      '--api-base', server.baseUrl, '--content-dir', hostile.contentDir, '--now', '2024-01-10T12:00:00.000Z', '--refresh-days', '0', '--date', DAY,
    ]);
    expect(existsSync(hostile.marker)).toBe(false);
    expect(run.code).toBe(1);
    const line = run.output.split('\n').find((l) => l.includes('its front matter is marked "js"'));
    expect(line, run.output).toMatch(new RegExp(`^${DAY}\\b.*FAILED`));
    expect(line).toContain(REFUSED.slice('not a valid paper file: '.length));
    // The file is left as it was for its owner to look at.
    expect(readFileSync(hostile.file, 'utf8').startsWith('---js\n')).toBe(true);
  });

  it('fails the build with one line naming the file, having run nothing', async () => {
    const hostile = hostileArchive('build');
    const env = siteEnv({ contentDir: hostile.contentDir, base: '/', site: 'https://example.github.io', cacheDir: makeTempDir('paperboy-front-matter-cache-') });
    const output = await runAstro(['build', '--outDir', makeTempDir('paperboy-front-matter-dist-')], env).then(
      () => 'the build succeeded',
      (error: Error) => error.message,
    );
    expect(existsSync(hostile.marker)).toBe(false);
    expect(output).toContain(`\n${relative(PROJECT_ROOT, hostile.file)}: ${REFUSED}\n`);
    expect(output).not.toMatch(/Stack trace|^\s+at /m);
  }, 120_000);

  it('is refused by the search indexing, naming the file', async () => {
    const hostile = hostileArchive('search');
    const options = { contentDir: hostile.contentDir, base: '/', language: 'en', shardSize: 20, cacheDir: makeTempDir('paperboy-front-matter-search-') };
    await expect(indexArchive(options)).rejects.toThrow(`${hostile.file}: ${REFUSED}`);
    expect(existsSync(hostile.marker)).toBe(false);
  });

  it('is refused by the digest, naming the file', async () => {
    const hostile = hostileArchive('digest');
    const run = await runScript('scripts/digest.ts', ['--dry-run', '--date', DAY, '--content-dir', hostile.contentDir]);
    expect(existsSync(hostile.marker)).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toContain(hostile.file);
    expect(run.output).toContain('its front matter is marked "js"');
  });
});
