/** `npm run reset-archive` and `npm run check-archive`, run as a user runs them. */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/site/urls.ts';
import { scanArchive } from '../../src/archive/store.ts';
import { FIXTURE_ARCHIVE, makeTempDir, PROJECT_ROOT } from '../helpers/build-site.ts';

interface Result {
  code: number;
  output: string;
}

function npmRun(script: string, args: string[], cwd = PROJECT_ROOT): Promise<Result> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '--silent', script, '--', ...args],
      { cwd, env: { ...process.env, GITHUB_ACTIONS: '', NO_COLOR: '1' } },
      (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

const FIXTURE_PAPER_IDS = [...scanArchive(FIXTURE_ARCHIVE).paperDays.keys()];

describe('reset-archive', () => {
  it('removes nothing without --yes, then only archive files with it', async () => {
    const dir = makeTempDir('paperboy-reset-');
    cpSync(FIXTURE_ARCHIVE, dir, { recursive: true });
    writeFileSync(join(dir, 'NOTES.md'), 'mine');
    writeFileSync(join(dir, '2024/01/03/keep-me.txt'), 'mine too');
    const papers = FIXTURE_PAPER_IDS.length;
    const records = scanArchive(dir).recordDays.size;

    const dry = await npmRun('reset-archive', ['--content-dir', dir]);
    expect(dry.code).toBe(1);
    expect(dry.output).toContain(`would remove ${papers} papers and ${records} day records`);
    expect(scanArchive(dir).paperDays.size).toBe(papers);

    const done = await npmRun('reset-archive', ['--yes', '--content-dir', dir]);
    expect(done.code, done.output).toBe(0);
    expect(done.output).toContain(`removed ${papers} papers and ${records} day records`);
    expect(done.output).toContain('Kept 2 file(s) that are not archive files');
    const index = scanArchive(dir);
    expect(index.paperDays.size).toBe(0);
    expect(index.recordDays.size).toBe(0);
    expect(readFileSync(join(dir, 'NOTES.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, '2024/01/03/keep-me.txt'), 'utf8')).toBe('mine too');
    expect(existsSync(join(dir, '2023')), 'emptied day directories are pruned').toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['.gitkeep', '2024', 'NOTES.md']);
  });

  it('rejects unknown options', async () => {
    const result = await npmRun('reset-archive', ['--yes', '--everything']);
    expect(result.code).toBe(2);
  });
});

describe('check-archive', () => {
  let server: http.Server;
  let origin: string;
  const served = new Map<string, string>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  /** A stand-in for a built site: the home page and one page per paper, optionally missing some. */
  function fakeDist(missing: string[] = []): string {
    const dist = makeTempDir('paperboy-dist-guard-');
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');
    for (const id of FIXTURE_PAPER_IDS) {
      if (missing.includes(id)) continue;
      mkdirSync(join(dist, routes.paper(id)), { recursive: true });
      writeFileSync(join(dist, routes.paper(id), 'index.html'), '<!doctype html>');
    }
    return dist;
  }
  const manifest = (papers: number) => JSON.stringify({ generator: 'paperboy', papers, days: 5, latestDay: '2024-01-03', builtAt: '2026-01-01T00:00:00Z' });

  it('writes the manifest when nothing is online yet (404)', async () => {
    const dist = fakeDist();
    const result = await npmRun('check-archive', ['--content-dir', FIXTURE_ARCHIVE, '--dist', dist, '--previous', `${origin}/site/paperboy-archive.json`]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('no Paperboy site online yet');
    const written = JSON.parse(readFileSync(join(dist, 'paperboy-archive.json'), 'utf8'));
    expect(written).toMatchObject({ generator: 'paperboy', papers: FIXTURE_PAPER_IDS.length, latestDay: '2024-01-03' });
  });

  it('refuses fewer papers than online unless --allow-fewer, and leaves no manifest behind when refusing', async () => {
    served.set('/site/paperboy-archive.json', manifest(FIXTURE_PAPER_IDS.length + 5));
    const dist = fakeDist();
    const refused = await npmRun('check-archive', ['--content-dir', FIXTURE_ARCHIVE, '--dist', dist, '--previous', `${origin}/site/paperboy-archive.json`]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`5 fewer than the ${FIXTURE_PAPER_IDS.length + 5} online: not deploying`);
    expect(existsSync(join(dist, 'paperboy-archive.json'))).toBe(false);
    const allowed = await npmRun('check-archive', ['--content-dir', FIXTURE_ARCHIVE, '--dist', dist, '--previous', `${origin}/site/paperboy-archive.json`, '--allow-fewer']);
    expect(allowed.code, allowed.output).toBe(0);
    expect(existsSync(join(dist, 'paperboy-archive.json'))).toBe(true);
  });

  it('refuses a build that lacks a paper page', async () => {
    const dist = fakeDist(['hep-th/9901001']);
    const result = await npmRun('check-archive', ['--content-dir', FIXTURE_ARCHIVE, '--dist', dist]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`no page for 1 of ${FIXTURE_PAPER_IDS.length} archived papers (hep-th/9901001)`);
  });

  it('refuses when the site online cannot be read (fails closed)', async () => {
    const dist = fakeDist();
    const closed = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/paperboy-archive.json`;
    try {
      const result = await npmRun('check-archive', ['--content-dir', FIXTURE_ARCHIVE, '--dist', dist, '--previous', url]);
      expect(result.code).toBe(1);
      expect(result.output).toContain('(HTTP 503) to compare paper counts; not deploying');
    } finally {
      await new Promise<void>((done) => closed.close(() => done()));
    }
  }, 30_000);

  describe('fails closed against what a wrong address answers: one line saying why and what to do, no manifest written', () => {
    let odd: http.Server;
    let oddOrigin: string;
    const hanging = new Set<http.ServerResponse>();
    beforeAll(async () => {
      odd = http.createServer((req, res) => {
        if (req.url === '/parked/paperboy-archive.json') {
          // A parked domain or a catch-all: every path answers 200 with a page.
          res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>This domain is for sale</title>');
        } else if (req.url === '/broken/paperboy-archive.json') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
        } else if (req.url === '/hang/paperboy-archive.json') {
          hanging.add(res); // never answers
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((done) => odd.listen(0, '127.0.0.1', done));
      oddOrigin = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
    });
    afterAll(
      () =>
        new Promise<void>((done) => {
          for (const res of hanging) res.destroy();
          odd.closeAllConnections();
          odd.close(() => done());
        }),
    );

    async function guard(url: string, extra: string[] = []): Promise<Result & { dist: string }> {
      const dist = fakeDist();
      const result = await npmRun('check-archive', ['--content-dir', FIXTURE_ARCHIVE, '--dist', dist, '--previous', url, ...extra]);
      return { ...result, dist };
    }
    function expectRefusal(result: Result & { dist: string }, why: string, todo: string): void {
      expect(result.code, result.output).toBe(1);
      const lines = result.output.trim().split('\n');
      expect(lines, result.output).toHaveLength(1);
      expect(lines[0]).toContain(`check-archive: cannot read `);
      expect(lines[0]).toContain(`(${why}) to compare paper counts; not deploying`);
      expect(lines[0]).toContain(todo);
      expect(lines[0]).toContain('"allow_fewer_papers"');
      expect(result.output).not.toMatch(/\n\s+at /);
      expect(existsSync(join(result.dist, 'paperboy-archive.json'))).toBe(false);
    }

    it('an HTML page answered with 200 (a parked domain, a catch-all, a proxy)', async () => {
      const result = await guard(`${oddOrigin}/parked/paperboy-archive.json`);
      expectRefusal(result, 'HTTP 200 with an HTML page, not a Paperboy manifest', 'does not serve this site yet');
      // Deliberately past it: the owner says so.
      const allowed = await guard(`${oddOrigin}/parked/paperboy-archive.json`, ['--allow-fewer']);
      expect(allowed.code, allowed.output).toBe(0);
      expect(allowed.output).toContain('HTTP 200 with an HTML page, not a Paperboy manifest; deploying 47 papers anyway because fewer papers were explicitly allowed');
      expect(existsSync(join(allowed.dist, 'paperboy-archive.json'))).toBe(true);
    });

    it('a 500, after asking again', async () => {
      const result = await guard(`${oddOrigin}/broken/paperboy-archive.json`, ['--attempts', '2']);
      expectRefusal(result, 'HTTP 500', 'Run the workflow again later');
    }, 30_000);

    it('an answer that never comes (a short --timeout)', async () => {
      const started = Date.now();
      const result = await guard(`${oddOrigin}/hang/paperboy-archive.json`, ['--timeout', '0.5', '--attempts', '1']);
      expectRefusal(result, 'no answer within 0.5 s', 'Run the workflow again later');
      expect(Date.now() - started).toBeLessThan(20_000);
    }, 30_000);

    it('a closed port', async () => {
      const { freePort } = await import('../helpers/preview.ts');
      const result = await guard(`http://127.0.0.1:${await freePort()}/paperboy-archive.json`, ['--attempts', '1']);
      expectRefusal(result, 'unreachable: ECONNREFUSED', 'Run the workflow again later');
    }, 30_000);

    it('rejects a malformed --timeout or --attempts as bad usage', async () => {
      expect((await guard(`${oddOrigin}/x`, ['--timeout', 'soon'])).code).toBe(2);
      expect((await guard(`${oddOrigin}/x`, ['--attempts', '0'])).code).toBe(2);
    });
  });
});
