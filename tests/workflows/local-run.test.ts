/**
 * The scheduled workflow, run locally: the `run:` steps of daily.yml exactly
 * as written (see run-workflow.ts), in fresh git clones of a temporary
 * "origin" repository holding a copy of this project, against the local
 * replay server instead of huggingface.co, with a local stand-in for GitHub
 * Pages that serves whatever was deployed last (so the deploy guard compares
 * with a real "site online"). Each run: update (fetch -> commit -> push) ->
 * build (astro build + check-archive) -> deploy -> report.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/build-site.ts';
import { startReplayServer, type ReplayServer } from '../helpers/replay-server.ts';
import { startSmtpServer, type TestSmtpServer } from '../digest/helpers.ts';
import { describeRun, runJob, type ActionHandler, type JobRun } from './run-workflow.ts';
import { loadWorkflow } from './workflow-files.ts';

const { workflow } = loadWorkflow('daily.yml');
const FIXTURE_ELEMENTS = join(PROJECT_ROOT, 'tests/fixtures/api/fixture-days.json');
const BACKFILL = { from: '2023-12-29', to: '2024-01-03' };
const FIXTURE_PAPERS = 47; // 19 + 17 + 11 on the three fixture list days
const NODE_DIR = dirname(process.execPath);

/** What a fork's checkout holds, minus the archive (the runs start from an empty one). */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'astro.config.mjs', 'tsconfig.json', '.nvmrc', '.gitignore', 'src', 'scripts', 'public'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } }).trim();
}
const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'Fork Owner', GIT_AUTHOR_EMAIL: 'owner@example.org', GIT_COMMITTER_NAME: 'Fork Owner', GIT_COMMITTER_EMAIL: 'owner@example.org' };

/** A stand-in for GitHub Pages: serves the last deployed artifact under /paperboy/. */
interface FakePages {
  origin: string;
  deployed: string | undefined;
  deployCount: number;
  publish(dir: string): void;
  close(): Promise<void>;
}

async function startFakePages(root: string): Promise<FakePages> {
  const state = { deployed: undefined as string | undefined, count: 0 };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const rel = path.startsWith('/paperboy/') ? normalize(path.slice('/paperboy/'.length)) : undefined;
    const file = state.deployed && rel !== undefined && !rel.startsWith('..') ? join(state.deployed, rel.endsWith('/') || rel === '.' ? join(rel, 'index.html') : rel) : undefined;
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/html' });
      return res.end('<h1>404</h1>');
    }
    res.writeHead(200);
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get deployed() {
      return state.deployed;
    },
    get deployCount() {
      return state.count;
    },
    publish(dir: string) {
      state.count++;
      const target = join(root, `pages-${state.count}`);
      cpSync(dir, target, { recursive: true });
      state.deployed = target;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

interface WorkflowRun {
  update: JobRun;
  build?: JobRun;
  deploy?: JobRun;
  report?: JobRun;
  artifact?: string;
}

let root: string;
let originRepo: string;
let replay: ReplayServer;
let pages: FakePages;
let smtp: TestSmtpServer;
let runCount = 0;

/** Repository secrets of a copy whose owner set up the email digest (README "Email digest"). */
const smtpSecrets = () => ({
  PAPERBOY_SMTP_HOST: '127.0.0.1',
  PAPERBOY_SMTP_PORT: String(smtp.port),
  PAPERBOY_SMTP_SECURE: 'none',
  PAPERBOY_MAIL_FROM: 'Paperboy <paperboy@example.org>',
  PAPERBOY_MAIL_TO: 'reader@example.org',
});

function linkNodeModules(dir: string): void {
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // A symlink is a file to git, so node_modules/ in .gitignore does not cover it.
  writeFileSync(join(dir, '.git/info/exclude'), '/node_modules\n');
}

function cloneOrigin(dir: string, ref?: string): void {
  execFileSync('git', ['clone', '--quiet', originRepo, dir]);
  if (ref) git(dir, 'checkout', '--quiet', ref);
  linkNodeModules(dir);
}

function runnerEnv(cacheDir: string): NodeJS.ProcessEnv {
  return {
    PATH: `${NODE_DIR}:${process.env.PATH}`,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    // Test-only: the API and the content cache. The workflow itself sets neither.
    PAPERBOY_API_BASE: replay.baseUrl,
    PAPERBOY_CACHE_DIR: cacheDir,
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    npm_config_update_notifier: 'false',
  };
}

async function runWorkflow(
  event: 'workflow_dispatch' | 'schedule',
  inputs: Record<string, string | boolean>,
  secrets: Record<string, string> = {},
): Promise<WorkflowRun> {
  const label = `run${++runCount}`;
  const base = join(root, label);
  mkdirSync(base);
  const headAtStart = git(originRepo, 'rev-parse', 'HEAD');
  const github = {
    sha: headAtStart,
    ref_name: 'main',
    repository: 'example/paperboy',
    event_name: event,
    workflow_ref: 'example/paperboy/.github/workflows/daily.yml@refs/heads/main',
    token: 'not-a-token',
  };
  const env = runnerEnv(join(base, 'astro-cache'));
  const setupNode: ActionHandler = ({ with: w, cwd }) => {
    expect(w['node-version-file']).toBe('.nvmrc');
    expect(existsSync(join(cwd, '.nvmrc'))).toBe(true);
  };
  const skipRun = (script: string) => /^npm ci\b/.test(script.trim());
  const configurePages: ActionHandler = () => ({
    origin: pages.origin,
    base_path: '/paperboy',
    base_url: `${pages.origin}/paperboy`,
    host: new URL(pages.origin).host,
  });

  const updateDir = join(base, 'update');
  const update = await runJob({
    job: workflow.jobs.update!,
    jobName: 'update',
    cwd: updateDir,
    env,
    skipRun,
    contexts: { inputs, github, secrets, runner: { temp: join(base, 'runner-update'), os: 'Linux' }, needs: {} },
    actions: {
      'actions/checkout': ({ with: w }) => {
        expect(w.ref ?? '').toBe('');
        cloneOrigin(updateDir);
      },
      'actions/setup-node': setupNode,
      'actions/configure-pages': configurePages,
    },
  });
  const result: WorkflowRun = { update };
  if (update.result !== 'success') return result;

  const buildDir = join(base, 'build');
  const needs = { update: { outputs: update.outputs, result: update.result } };
  result.build = await runJob({
    job: workflow.jobs.build!,
    jobName: 'build',
    cwd: buildDir,
    env,
    skipRun,
    contexts: { inputs, github, runner: { temp: join(base, 'runner-build'), os: 'Linux' }, needs },
    actions: {
      'actions/checkout': ({ with: w }) => {
        expect(w.ref).toMatch(/^[0-9a-f]{40}$/);
        cloneOrigin(buildDir, w.ref);
      },
      'actions/setup-node': setupNode,
      'actions/configure-pages': configurePages,
      'actions/cache/restore': ({ with: w }) => {
        expect(w.path).toBe('node_modules/.astro');
        expect(w.key).toContain(update.outputs.sha!);
        return { 'cache-hit': 'false', 'cache-primary-key': w.key! };
      },
      'actions/cache/save': ({ with: w }) => {
        expect(w.path).toBe('node_modules/.astro');
        expect(w.key).toContain(update.outputs.sha!);
      },
      'actions/upload-pages-artifact': ({ with: w, cwd }) => {
        result.artifact = resolve(cwd, w.path!);
        expect(existsSync(join(result.artifact, 'index.html'))).toBe(true);
      },
    },
  });

  const deployNeeds = { ...needs, build: { outputs: {}, result: result.build.result } };
  if (result.build.result === 'success') {
    result.deploy = await runJob({
      job: workflow.jobs.deploy!,
      jobName: 'deploy',
      cwd: base,
      env,
      contexts: { inputs, github, runner: { temp: join(base, 'runner-deploy'), os: 'Linux' }, needs: deployNeeds },
      actions: {
        'actions/deploy-pages': () => {
          pages.publish(result.artifact!);
          return { page_url: `${pages.origin}/paperboy/` };
        },
      },
    });
  }
  // `report` runs whenever update succeeded (if: always() && needs.update.result == 'success').
  expect(workflow.jobs.report!.if).toBe("${{ always() && needs.update.result == 'success' }}");
  result.report = await runJob({
    job: workflow.jobs.report!,
    jobName: 'report',
    cwd: base,
    env,
    contexts: {
      inputs,
      github,
      runner: { temp: join(base, 'runner-report'), os: 'Linux' },
      needs: { update: needs.update, deploy: { outputs: {}, result: result.deploy?.result ?? 'skipped' } },
    },
    actions: {},
  });
  return result;
}

function stepOutput(run: JobRun, name: string): string {
  const entry = run.log.find((e) => e.name === name);
  if (!entry) throw new Error(`no step "${name}" in:\n${describeRun(run)}`);
  return entry.output;
}

function onlineManifest(): { papers: number } {
  return JSON.parse(readFileSync(join(pages.deployed!, 'paperboy-archive.json'), 'utf8'));
}

const fixtureElements = () => JSON.parse(readFileSync(FIXTURE_ELEMENTS, 'utf8')) as { paper: { submittedOnDailyAt: string; upvotes: number } }[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'paperboy-workflow-'));
  replay = await startReplayServer({ elements: fixtureElements() });
  pages = await startFakePages(root);
  smtp = await startSmtpServer();
  // The fork: this project's files and an empty archive, pushed to a bare "origin".
  const seed = join(root, 'seed');
  mkdirSync(seed);
  for (const entry of PROJECT_FILES) {
    if (existsSync(join(PROJECT_ROOT, entry))) cpSync(join(PROJECT_ROOT, entry), join(seed, entry), { recursive: true });
  }
  git(seed, 'init', '--quiet', '--initial-branch=main');
  git(seed, 'add', '--all');
  git(seed, 'commit', '--quiet', '-m', 'Fork of Paperboy');
  originRepo = join(root, 'origin.git');
  execFileSync('git', ['clone', '--quiet', '--bare', seed, originRepo]);
}, 60_000);

afterAll(async () => {
  await replay?.close();
  await pages?.close();
  await smtp?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('daily.yml run locally: fetch -> commit -> build -> deploy', () => {
  let firstSha = '';

  it('first run (backfill dispatch): commits the fetched days as the bot, mails the digest, builds under the Pages base path, deploys', async () => {
    const run = await runWorkflow('workflow_dispatch', { ...BACKFILL, date: '', allow_fewer_papers: false }, smtpSecrets());
    expect(run.update.result, describeRun(run.update)).toBe('success');
    expect(run.update.outputs['fetch-status']).toBe('0');
    firstSha = run.update.outputs.sha!;
    expect(git(originRepo, 'rev-parse', 'HEAD'), 'pushed to origin').toBe(firstSha);
    expect(git(originRepo, 'log', '-1', '--format=%an <%ae>')).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
    const subject = git(originRepo, 'log', '-1', '--format=%s');
    expect(subject).toBe(`Daily Papers ${BACKFILL.from} to ${BACKFILL.to} (6 days): ${FIXTURE_PAPERS} new`);
    expect(git(originRepo, 'log', '-1', '--format=%b')).toContain('2024-01-03  11 listed, 11 new (complete), digest sent');
    // The digest of the latest complete day went out, with links to the site, and its record is committed.
    expect(run.update.outputs['digest-status']).toBe('0');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['reader@example.org']);
    expect(smtp.received[0]!.raw).toContain(`${pages.origin}/paperboy/2024/01/03/`);
    expect(JSON.parse(git(originRepo, 'show', 'HEAD:content/papers/2024/01/03/day.json')).digestSentAt).toMatch(/^\d{4}-/);
    expect(run.update.summary).toContain(subject);
    // The fetch's own table, per day.
    expect(run.update.summary).toContain('| 2024-01-03 | requested | complete | 11 (11 new, 0 updated) |');
    expect(run.update.summary).toContain('| 2023-12-30 | requested | no list | 0 |');
    const files = git(originRepo, 'show', '--name-only', '--format=', 'HEAD').split('\n');
    expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(FIXTURE_PAPERS);
    expect(files.filter((f) => f.endsWith('/day.json'))).toHaveLength(6);
    expect(files.every((f) => f.startsWith('content/papers/'))).toBe(true);

    expect(run.build?.result, run.build && describeRun(run.build)).toBe('success');
    expect(stepOutput(run.build!, 'Refuse to deploy fewer papers than are online')).toContain(`No Paperboy site online to compare with: deploying ${FIXTURE_PAPERS} papers`);
    const home = readFileSync(join(run.artifact!, 'index.html'), 'utf8');
    expect(home).toContain('/paperboy/');
    const paperPages = readdirSync(join(run.artifact!, 'papers'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(paperPages).toHaveLength(FIXTURE_PAPERS);

    expect(run.deploy?.result).toBe('success');
    expect(pages.deployCount).toBe(1);
    expect(onlineManifest().papers).toBe(FIXTURE_PAPERS);
    expect(run.report?.result, run.report && describeRun(run.report)).toBe('success');
  }, 300_000);

  it('second run with the same answers commits nothing, mails nothing, and redeploys the same archive', async () => {
    const run = await runWorkflow('workflow_dispatch', { ...BACKFILL, date: '', allow_fewer_papers: false }, smtpSecrets());
    expect(smtp.received).toHaveLength(1);
    expect(run.update.result, describeRun(run.update)).toBe('success');
    expect(stepOutput(run.update, 'Commit and push what changed')).toContain('the archive did not change; nothing to commit');
    expect(run.update.outputs.sha).toBe(firstSha);
    expect(git(originRepo, 'rev-parse', 'HEAD')).toBe(firstSha);
    expect(git(originRepo, 'rev-list', '--count', 'HEAD')).toBe('2');
    expect(run.update.summary).toContain('Nothing changed: no commit.');
    expect(run.build?.result, run.build && describeRun(run.build)).toBe('success');
    expect(stepOutput(run.build!, 'Refuse to deploy fewer papers than are online')).toContain(`Deploying ${FIXTURE_PAPERS} papers (0 more than the ${FIXTURE_PAPERS} online)`);
    expect(run.deploy?.result).toBe('success');
    expect(run.report?.result).toBe('success');
  }, 300_000);

  it('a day that fails to fetch: the other days are committed and deployed, then the run fails visibly', async () => {
    // Upvotes moved on the newest day, and the day before answers 403.
    replay.setElements(
      fixtureElements().map((e) => (e.paper.submittedOnDailyAt.startsWith('2024-01-03') ? { ...e, paper: { ...e.paper, upvotes: e.paper.upvotes + 7 } } : e)),
    );
    replay.queueFault('2024-01-02', { kind: 'status', status: 403, body: JSON.stringify({ error: 'Forbidden\nfor now' }) });
    const run = await runWorkflow('workflow_dispatch', { ...BACKFILL, date: '', allow_fewer_papers: false }, smtpSecrets());
    expect(run.update.result, describeRun(run.update)).toBe('success');
    expect(run.update.outputs['fetch-status']).toBe('1');
    const subject = git(originRepo, 'log', '-1', '--format=%s');
    expect(subject).toBe('Daily Papers 2024-01-03: 11 updated');
    const body = git(originRepo, 'log', '-1', '--format=%b');
    expect(body).toContain('Not fetched (1; the next run tries again):');
    expect(body).toMatch(/^2024-01-02 {2}HTTP 403: Forbidden for now$/m);
    expect(run.build?.result).toBe('success');
    expect(run.deploy?.result).toBe('success');
    expect(onlineManifest().papers).toBe(FIXTURE_PAPERS);
    expect(run.report?.result).toBe('failure');
    expect(stepOutput(run.report!, 'Fail the run if a day could not be fetched or the digest could not be sent')).toContain('::error::Fetching failed for at least one day (exit 1)');
  }, 300_000);

  it('a scheduled run after the archive was emptied refuses to deploy fewer papers; a dispatch that allows it deploys', async () => {
    // The owner empties the archive (README: npm run reset-archive -- --yes) and pushes.
    const human = join(root, 'human');
    cloneOrigin(human);
    execFileSync('npm', ['run', '--silent', 'reset-archive', '--', '--yes'], { cwd: human, env: { ...runnerEnv(join(root, 'unused-cache')) } });
    git(human, 'add', '--all', 'content/papers');
    git(human, 'commit', '--quiet', '-m', 'Start from an empty archive');
    git(human, 'push', '--quiet', 'origin', 'HEAD:main');
    expect(git(originRepo, 'ls-tree', '-r', '--name-only', 'HEAD', 'content/papers')).toBe('content/papers/.gitkeep');

    const deploysBefore = pages.deployCount;
    const refused = await runWorkflow('schedule', {});
    expect(refused.update.result, describeRun(refused.update)).toBe('success');
    expect(stepOutput(refused.update, 'Mail the digest (only when an SMTP server is configured)')).toContain('No SMTP server configured');
    // The scheduled path is the catch-up: the 30 days before today and today (UTC). The replay has no list for
    // any of them, so 31 empty day records, none of them trusted as "no list" without a later day with papers.
    const today = new Date().toISOString().slice(0, 10);
    const lookbackStart = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    expect(stepOutput(refused.update, 'Fetch the list')).toContain(`Catching up ${lookbackStart} to ${today}: 31 day(s)`);
    expect(git(originRepo, 'log', '-1', '--format=%s')).toBe(`Daily Papers ${lookbackStart} to ${today} (31 days): day records only`);
    expect(JSON.parse(git(originRepo, 'show', `HEAD:content/papers/${today.replaceAll('-', '/')}/day.json`))).toMatchObject({ count: 0, complete: false });
    expect(refused.build?.result, refused.build && describeRun(refused.build)).toBe('failure');
    expect(stepOutput(refused.build!, 'Refuse to deploy fewer papers than are online')).toContain(
      `::error::This build holds 0 papers, ${FIXTURE_PAPERS} fewer than the ${FIXTURE_PAPERS} online: not deploying`,
    );
    expect(refused.deploy).toBeUndefined();
    expect(pages.deployCount).toBe(deploysBefore);
    expect(onlineManifest().papers).toBe(FIXTURE_PAPERS);

    const allowed = await runWorkflow('workflow_dispatch', { date: '', from: '', to: '', allow_fewer_papers: true });
    expect(allowed.build?.result, allowed.build && describeRun(allowed.build)).toBe('success');
    expect(stepOutput(allowed.build!, 'Refuse to deploy fewer papers than are online')).toContain('deploying anyway because fewer papers were explicitly allowed');
    expect(allowed.deploy?.result).toBe('success');
    expect(onlineManifest().papers).toBe(0);
  }, 300_000);

  it('rejects malformed dispatch input before fetching anything', async () => {
    const requestsBefore = replay.requests.length;
    const run = await runWorkflow('workflow_dispatch', { date: '2024-01-03; rm -rf /', from: '', to: '', allow_fewer_papers: false });
    expect(run.update.result).toBe('failure');
    expect(stepOutput(run.update, 'Fetch the list')).toContain('::error::The date must be YYYY-MM-DD.');
    expect(run.build).toBeUndefined();
    expect(replay.requests.length).toBe(requestsBefore);
    const half = await runWorkflow('workflow_dispatch', { date: '', from: '2024-01-01', to: '', allow_fewer_papers: false });
    expect(half.update.result).toBe('failure');
    expect(stepOutput(half.update, 'Fetch the list')).toContain('::error::Give either a date, or both from and to');
  }, 120_000);
});
