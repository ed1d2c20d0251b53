/**
 * The scheduled workflow, run locally: the jobs of daily.yml in the order
 * their `needs` and `if:` give (see run-workflow.ts), their `run:` steps
 * exactly as written, in fresh git clones of a temporary "origin" repository
 * holding a copy of this project, against the local replay server instead of
 * huggingface.co, with a local stand-in for GitHub Pages that serves whatever
 * was deployed last (so the deploy guard compares with a real "site online")
 * and a local SMTP server. The dependencies are installed once with the
 * workflow's own `npm ci` line (no install scripts) and shared by every job.
 * Each run: update (fetch -> commit -> push) -> build (astro build +
 * check-archive) -> deploy -> digest (claim -> push -> send) -> report.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/build-site.ts';
import { startReplayServer, type ReplayServer } from '../helpers/replay-server.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/digest.ts';
import { describeRun, runWorkflow, type ActionHandler, type JobRun, type JobSetup } from './run-workflow.ts';
import { loadWorkflow } from './workflow-files.ts';

const { workflow } = loadWorkflow('daily.yml');
const FIXTURE_ELEMENTS = join(PROJECT_ROOT, 'tests/fixtures/api/fixture-days.json');
const BACKFILL = { from: '2023-12-29', to: '2024-01-03' };
const FIXTURE_PAPERS = 47; // 19 + 17 + 11 on the three fixture list days
const NODE_DIR = dirname(process.execPath);
const TOKEN = 'not-a-token';
const BASIC_TOKEN = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

/** What a fork's checkout holds, minus the archive (the runs start from an empty one). */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'astro.config.mjs', 'tsconfig.json', '.nvmrc', '.gitignore', 'src', 'scripts', 'public'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } }).trim();
}
const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'Fork Owner', GIT_AUTHOR_EMAIL: 'owner@example.org', GIT_COMMITTER_NAME: 'Fork Owner', GIT_COMMITTER_EMAIL: 'owner@example.org' };

/** A stand-in for GitHub Pages: serves the last deployed artifact under /paperboy/, or a parked domain's page. */
interface FakePages {
  origin: string;
  deployed: string | undefined;
  deployCount: number;
  /** Answer every path with 200 and an HTML page, as a parked domain or a catch-all does. */
  parked: boolean;
  publish(dir: string): void;
  close(): Promise<void>;
}

async function startFakePages(root: string): Promise<FakePages> {
  const state = { deployed: undefined as string | undefined, count: 0, parked: false };
  const server = http.createServer((req, res) => {
    if (state.parked) {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<!doctype html><title>This domain may be for sale</title>');
    }
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
    get parked() {
      return state.parked;
    },
    set parked(value: boolean) {
      state.parked = value;
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

interface DailyRun {
  jobs: Record<string, JobRun>;
  /** The jobs that ran, in order. */
  order: string[];
  artifact?: string;
  /** Mails received while the deploy job ran (none may go out before it). */
  mailsBeforeDeploy?: number;
  /** Mails received during this run. */
  mails: ReceivedMail[];
}

let root: string;
let originRepo: string;
let depsDir: string;
let replay: ReplayServer;
let pages: FakePages;
let smtp: TestSmtpServer;
let runCount = 0;
/** For each mail received: the digestSentAt that origin's HEAD held for the mailed day at that moment. */
const claimOnOriginAtSend: (string | null)[] = [];
/** While this file exists, origin refuses pushes of commits that record a digest (a rejected claim push). */
let rejectClaimsMarker: string;

/** Repository secrets of a copy whose owner set up the email digest (README "Email digest"). */
const smtpSecrets = (port = smtp.port) => ({
  PAPERBOY_SMTP_HOST: '127.0.0.1',
  PAPERBOY_SMTP_PORT: String(port),
  PAPERBOY_SMTP_SECURE: 'none',
  PAPERBOY_MAIL_FROM: 'Paperboy <paperboy@example.org>',
  PAPERBOY_MAIL_TO: 'reader@example.org',
});

function linkNodeModules(dir: string): void {
  symlinkSync(join(depsDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // A symlink is a file to git, so node_modules/ in .gitignore does not cover it.
  writeFileSync(join(dir, '.git/info/exclude'), '/node_modules\n');
}

function cloneOrigin(dir: string, ref?: string): void {
  execFileSync('git', ['clone', '--quiet', originRepo, dir]);
  if (ref) git(dir, 'checkout', '--quiet', ref);
  linkNodeModules(dir);
}

/**
 * actions/checkout: `ref` a commit (detached), a branch (its tip now) or empty (the commit the run was
 * queued for); unless `persist-credentials: false`, the token goes into .git/config as the real one does.
 */
const checkout: ActionHandler = ({ with: w, cwd, contexts }) => {
  execFileSync('git', ['clone', '--quiet', originRepo, cwd]);
  const ref = w.ref || contexts.github.sha!;
  if (/^[0-9a-f]{40}$/.test(ref)) git(cwd, 'checkout', '--quiet', ref);
  else {
    const branch = ref.replace(/^refs\/heads\//, '');
    git(cwd, 'checkout', '--quiet', '-B', branch, `origin/${branch}`);
  }
  if (w['persist-credentials'] !== 'false') git(cwd, 'config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${BASIC_TOKEN}`);
  linkNodeModules(cwd);
};

function runnerEnv(cacheDir: string): NodeJS.ProcessEnv {
  return {
    PATH: `${NODE_DIR}:${process.env.PATH}`,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    // Test-only: the API, the content cache, short SMTP retries. The workflow itself sets none of them.
    PAPERBOY_API_BASE: replay.baseUrl,
    PAPERBOY_CACHE_DIR: cacheDir,
    PAPERBOY_SMTP_ATTEMPTS: '2',
    PAPERBOY_SMTP_RETRY_DELAY_MS: '10',
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    npm_config_update_notifier: 'false',
  };
}

async function runDaily(
  event: 'workflow_dispatch' | 'schedule',
  inputs: Record<string, string | boolean>,
  secrets: Record<string, string> = {},
): Promise<DailyRun> {
  const label = `run${++runCount}`;
  const base = join(root, label);
  mkdirSync(base);
  const mailsAtStart = smtp.received.length;
  const github = {
    sha: git(originRepo, 'rev-parse', 'HEAD'),
    ref: 'refs/heads/main',
    ref_name: 'main',
    repository: 'example/paperboy',
    server_url: 'https://github.com',
    event_name: event,
    workflow_ref: 'example/paperboy/.github/workflows/daily.yml@refs/heads/main',
    token: TOKEN,
  };
  const setupNode: ActionHandler = ({ with: w, cwd }) => {
    expect(w['node-version-file']).toBe('.nvmrc');
    expect(existsSync(join(cwd, '.nvmrc'))).toBe(true);
  };
  const configurePages: ActionHandler = () => ({
    origin: pages.origin,
    base_path: '/paperboy',
    base_url: `${pages.origin}/paperboy`,
    host: new URL(pages.origin).host,
  });
  const result: DailyRun = { jobs: {}, order: [], mails: [] };
  let updateSha = '';
  const setup = (job: string, done: Readonly<Record<string, JobRun>>): JobSetup => {
    updateSha = done.update?.outputs.sha ?? '';
    const common = { cwd: join(base, job), runnerTemp: join(base, `runner-${job}`) };
    const actions: Record<string, ActionHandler> = { 'actions/checkout': checkout, 'actions/setup-node': setupNode, 'actions/configure-pages': configurePages };
    if (job === 'build') {
      Object.assign(actions, {
        'actions/cache/restore': ({ with: w }) => {
          expect(w.path).toBe('node_modules/.astro');
          expect(w.key).toContain(updateSha);
          return { 'cache-hit': 'false', 'cache-primary-key': w.key! };
        },
        'actions/cache/save': ({ with: w }) => {
          expect(w.path).toBe('node_modules/.astro');
          expect(w.key).toContain(updateSha);
        },
        'actions/upload-pages-artifact': ({ with: w, cwd }) => {
          result.artifact = resolve(cwd, w.path!);
          expect(existsSync(join(result.artifact, 'index.html'))).toBe(true);
        },
      } satisfies Record<string, ActionHandler>);
    }
    if (job === 'deploy') {
      actions['actions/deploy-pages'] = () => {
        result.mailsBeforeDeploy = smtp.received.length - mailsAtStart;
        pages.publish(result.artifact!);
        return { page_url: `${pages.origin}/paperboy/` };
      };
    }
    return { ...common, actions };
  };
  const run = await runWorkflow({
    workflow,
    contexts: { inputs, github, secrets },
    setup,
    env: runnerEnv(join(base, 'astro-cache')),
    // npm ci ran once, as written in the workflow (see beforeAll); every job links that install.
    skipRun: (script) => /^npm ci\b/.test(script.trim()),
    // keepalive only calls the GitHub API.
    exclude: ['keepalive'],
  });
  result.jobs = run.jobs;
  result.order = run.order;
  result.mails = smtp.received.slice(mailsAtStart);
  return result;
}

function stepOutput(run: JobRun, name: string): string {
  const entry = run.log.find((e) => e.name === name);
  if (!entry) throw new Error(`no step "${name}" in:\n${describeRun(run)}`);
  return entry.output;
}

const describeAll = (run: DailyRun) => Object.entries(run.jobs).map(([name, job]) => `=== ${name} [${job.result}]\n${describeRun(job)}`).join('\n');

function onlineManifest(): { papers: number } {
  return JSON.parse(readFileSync(join(pages.deployed!, 'paperboy-archive.json'), 'utf8'));
}

function originDayRecord(day: string, ref = 'HEAD'): { digestSentAt: string | null; count: number } {
  return JSON.parse(git(originRepo, 'show', `${ref}:content/papers/${day.replaceAll('-', '/')}/day.json`));
}

interface Element {
  paper: { id: string; submittedOnDailyAt: string; upvotes: number; [key: string]: unknown };
  [key: string]: unknown;
}
const fixtureElements = () => JSON.parse(readFileSync(FIXTURE_ELEMENTS, 'utf8')) as Element[];
/** `count` papers listed on `day`, copies of fixture papers under new ids (2401.9DDNN). */
function extraDay(day: string, count: number): Element[] {
  return fixtureElements()
    .slice(0, count)
    .map((e, i) => ({
      ...e,
      paper: { ...e.paper, id: `2401.9${day.slice(8)}${String(i).padStart(2, '0')}`, submittedOnDailyAt: `${day}T00:00:00.000Z` },
    }));
}
let elements: Element[] = [];
const setElements = (next: Element[]) => {
  elements = next;
  replay.setElements(elements);
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'paperboy-workflow-'));
  replay = await startReplayServer({ elements: fixtureElements() });
  elements = fixtureElements();
  pages = await startFakePages(root);
  smtp = await startSmtpServer({
    onMessage: (mail) => {
      const day = /Message-ID: <digest-(\d{4}-\d{2}-\d{2})\./i.exec(mail.raw)?.[1];
      claimOnOriginAtSend.push(day ? originDayRecord(day).digestSentAt : null);
    },
  });
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
  rejectClaimsMarker = join(root, 'reject-claim-pushes');
  const hook = join(originRepo, 'hooks/pre-receive');
  writeFileSync(
    hook,
    [
      '#!/bin/sh',
      `[ -e '${rejectClaimsMarker}' ] || exit 0`,
      'while read -r old new ref; do',
      '  if git log --format=%s "$old..$new" | grep -q "digest sent"; then echo "rejected for the test" >&2; exit 1; fi',
      'done',
      '',
    ].join('\n'),
  );
  chmodSync(hook, 0o755);

  // The dependencies, installed once with the workflow's own npm ci line (no install scripts): every job
  // that the test runs uses exactly that install, so what they run is known to work without the scripts.
  const installs = new Set(
    Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).map((s) => s.run?.trim() ?? '').filter((r) => /^npm ci\b/.test(r))),
  );
  expect([...installs]).toEqual(['npm ci --no-audit --no-fund --ignore-scripts']);
  depsDir = join(root, 'deps');
  mkdirSync(depsDir);
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(PROJECT_ROOT, file), join(depsDir, file));
  const install = spawnSync('bash', ['-eo', 'pipefail', '-c', [...installs][0]!], {
    cwd: depsDir,
    encoding: 'utf8',
    // Test-only: use the local npm cache first (the runner has the setup-node cache).
    env: { ...process.env, PATH: `${NODE_DIR}:${process.env.PATH}`, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
  });
  expect(install.status, install.stdout + install.stderr).toBe(0);
  // esbuild's postinstall did not run (it would have replaced this JavaScript launcher with the binary).
  expect(readFileSync(join(depsDir, 'node_modules/esbuild/bin/esbuild'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
}, 240_000);

afterAll(async () => {
  await replay?.close();
  await pages?.close();
  await smtp?.close();
  // The shared install is a few hundred MB: removing it takes a while on a busy machine.
  if (root) rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('daily.yml run locally: fetch -> commit -> build -> deploy -> digest', () => {
  let contentSha = '';

  it('first run (backfill dispatch): commits the fetched days as the bot, builds under the Pages base path, deploys, then mails the digest once', async () => {
    const run = await runDaily('workflow_dispatch', { ...BACKFILL, date: '', allow_fewer_papers: false }, smtpSecrets());
    const update = run.jobs.update!;
    expect(update.result, describeRun(update)).toBe('success');
    expect(run.order).toEqual(['update', 'build', 'deploy', 'digest', 'report']);
    expect(update.outputs['fetch-status']).toBe('0');
    contentSha = update.outputs.sha!;
    expect(git(originRepo, 'rev-parse', `${contentSha}^`)).toBe(git(originRepo, 'rev-list', '--max-parents=0', 'HEAD'));
    expect(git(originRepo, 'log', '-1', '--format=%an <%ae>', contentSha)).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
    const subject = git(originRepo, 'log', '-1', '--format=%s', contentSha);
    expect(subject).toBe(`Daily Papers ${BACKFILL.from} to ${BACKFILL.to} (6 days): ${FIXTURE_PAPERS} new`);
    expect(git(originRepo, 'log', '-1', '--format=%b', contentSha)).toContain('2024-01-03  11 listed, 11 new (complete)');
    expect(update.summary).toContain(subject);
    // The fetch's own table, per day.
    expect(update.summary).toContain('| 2024-01-03 | requested | complete | 11 (11 new, 0 updated) |');
    expect(update.summary).toContain('| 2023-12-30 | requested | no list | 0 |');
    const files = git(originRepo, 'show', '--name-only', '--format=', contentSha).split('\n');
    expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(FIXTURE_PAPERS);
    expect(files.filter((f) => f.endsWith('/day.json'))).toHaveLength(6);
    expect(files.every((f) => f.startsWith('content/papers/'))).toBe(true);
    // The content commit records no digest: nothing was online yet when it was made.
    expect(JSON.parse(git(originRepo, 'show', `${contentSha}:content/papers/2024/01/03/day.json`)).digestSentAt).toBeNull();

    const build = run.jobs.build!;
    expect(build.result, describeRun(build)).toBe('success');
    expect(stepOutput(build, 'Refuse to deploy fewer papers than are online')).toContain(`No Paperboy site online to compare with: deploying ${FIXTURE_PAPERS} papers`);
    const home = readFileSync(join(run.artifact!, 'index.html'), 'utf8');
    expect(home).toContain('/paperboy/');
    const paperPages = readdirSync(join(run.artifact!, 'papers'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(paperPages).toHaveLength(FIXTURE_PAPERS);

    expect(run.jobs.deploy!.result).toBe('success');
    expect(pages.deployCount).toBe(1);
    expect(onlineManifest().papers).toBe(FIXTURE_PAPERS);

    // The digest of the latest complete day went out after the deploy, with links to the site online, and
    // its claim (digestSentAt) was on origin before the message was sent.
    const digest = run.jobs.digest!;
    expect(digest.result, describeRun(digest)).toBe('success');
    expect(run.mailsBeforeDeploy).toBe(0);
    expect(run.mails).toHaveLength(1);
    expect(run.mails[0]!.to).toEqual(['reader@example.org']);
    expect(run.mails[0]!.raw).toContain(`${pages.origin}/paperboy/2024/01/03/`);
    const recorded = originDayRecord('2024-01-03').digestSentAt;
    expect(recorded).toMatch(/^\d{4}-/);
    expect(claimOnOriginAtSend.at(-1)).toBe(recorded);
    expect(git(originRepo, 'log', '-1', '--format=%s')).toBe('Daily Papers 2024-01-03: digest sent');
    expect(git(originRepo, 'rev-parse', 'HEAD^')).toBe(contentSha);
    expect(run.jobs.report!.result, describeRun(run.jobs.report!)).toBe('success');
  }, 300_000);

  it('second run with the same answers commits nothing, mails nothing, and redeploys the same archive', async () => {
    const head = git(originRepo, 'rev-parse', 'HEAD');
    const run = await runDaily('workflow_dispatch', { ...BACKFILL, date: '', allow_fewer_papers: false }, smtpSecrets());
    const update = run.jobs.update!;
    expect(run.mails).toHaveLength(0);
    expect(update.result, describeRun(update)).toBe('success');
    expect(stepOutput(update, 'Commit what changed')).toContain('the archive did not change; nothing to commit');
    expect(update.outputs.sha).toBe(head);
    expect(git(originRepo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(originRepo, 'rev-list', '--count', 'HEAD')).toBe('3');
    expect(update.summary).toContain('Nothing changed: no commit.');
    expect(run.jobs.build!.result, describeRun(run.jobs.build!)).toBe('success');
    expect(stepOutput(run.jobs.build!, 'Refuse to deploy fewer papers than are online')).toContain(`Deploying ${FIXTURE_PAPERS} papers (0 more than the ${FIXTURE_PAPERS} online)`);
    expect(run.jobs.deploy!.result).toBe('success');
    expect(stepOutput(run.jobs.digest!, 'Claim the day to mail')).toMatch(/the digest of 2024-01-03 was already sent at .*nothing to send/);
    expect(run.jobs.report!.result).toBe('success');
  }, 300_000);

  it('a day that fails to fetch: the other days are committed and deployed, then the run fails visibly', async () => {
    // Upvotes moved on the newest day, and the day before answers 403.
    setElements(fixtureElements().map((e) => (e.paper.submittedOnDailyAt.startsWith('2024-01-03') ? { ...e, paper: { ...e.paper, upvotes: e.paper.upvotes + 7 } } : e)));
    replay.queueFault('2024-01-02', { kind: 'status', status: 403, body: JSON.stringify({ error: 'Forbidden\nfor now' }) });
    const run = await runDaily('workflow_dispatch', { ...BACKFILL, date: '', allow_fewer_papers: false }, smtpSecrets());
    expect(run.jobs.update!.result, describeRun(run.jobs.update!)).toBe('success');
    expect(run.jobs.update!.outputs['fetch-status']).toBe('1');
    const subject = git(originRepo, 'log', '-1', '--format=%s');
    expect(subject).toBe('Daily Papers 2024-01-03: 11 updated');
    const body = git(originRepo, 'log', '-1', '--format=%b');
    expect(body).toContain('Not fetched (1; the next run tries again):');
    expect(body).toMatch(/^2024-01-02 {2}HTTP 403: Forbidden for now$/m);
    expect(run.jobs.build!.result).toBe('success');
    expect(run.jobs.deploy!.result).toBe('success');
    expect(onlineManifest().papers).toBe(FIXTURE_PAPERS);
    expect(run.mails).toHaveLength(0);
    expect(run.jobs.report!.result).toBe('failure');
    expect(stepOutput(run.jobs.report!, 'Fail the run if a day could not be fetched or the digest could not be sent')).toContain('::error::Fetching failed for at least one day (exit 1)');
  }, 300_000);

  it('a site address that answers a parked page with 200: the deploy is refused and nothing is mailed', async () => {
    setElements([...elements, ...extraDay('2024-01-04', 2)]);
    pages.parked = true;
    try {
      const run = await runDaily('workflow_dispatch', { from: BACKFILL.from, to: '2024-01-04', date: '', allow_fewer_papers: false }, smtpSecrets());
      expect(run.jobs.update!.result, describeRun(run.jobs.update!)).toBe('success');
      expect(originDayRecord('2024-01-04').count).toBe(2);
      expect(run.jobs.build!.result).toBe('failure');
      expect(stepOutput(run.jobs.build!, 'Refuse to deploy fewer papers than are online')).toContain(
        `::error::cannot read ${pages.origin}/paperboy/paperboy-archive.json (HTTP 200 with an HTML page, not a Paperboy manifest) to compare paper counts; not deploying`,
      );
      expect(run.order).toEqual(['update', 'build', 'report']);
      expect(run.jobs.deploy!.result).toBe('skipped');
      expect(run.jobs.digest!.result).toBe('skipped');
      expect(run.mails).toHaveLength(0);
      expect(originDayRecord('2024-01-04').digestSentAt).toBeNull();
      expect(stepOutput(run.jobs.report!, 'Fail the run if a day could not be fetched or the digest could not be sent')).toContain(
        'Nothing new went online (deploy: skipped, see the build and deploy jobs), so no digest was mailed',
      );
    } finally {
      pages.parked = false;
    }
  }, 300_000);

  it('a claim that cannot be pushed mails nothing; the next run mails that day exactly once', async () => {
    const inputs = { from: BACKFILL.from, to: '2024-01-04', date: '', allow_fewer_papers: false };
    writeFileSync(rejectClaimsMarker, '');
    let rejected: DailyRun;
    try {
      rejected = await runDaily('workflow_dispatch', inputs, smtpSecrets());
    } finally {
      rmSync(rejectClaimsMarker);
    }
    expect(rejected.jobs.deploy!.result, describeAll(rejected)).toBe('success');
    expect(onlineManifest().papers).toBe(FIXTURE_PAPERS + 2);
    const digest = rejected.jobs.digest!;
    expect(digest.result).toBe('failure');
    expect(stepOutput(digest, 'Claim the day to mail')).toContain('claimed 2024-01-04 (2 papers)');
    expect(stepOutput(digest, 'Push the claim (nothing is mailed unless this push succeeds)')).toContain(
      '::error::Could not push the digest claim to main (3 attempts): nothing was mailed',
    );
    expect(digest.log.find((e) => e.name === 'Mail the digest')?.status).toBe('skipped');
    expect(rejected.mails).toHaveLength(0);
    expect(originDayRecord('2024-01-04').digestSentAt).toBeNull();
    expect(rejected.jobs.report!.result).toBe('failure');
    expect(stepOutput(rejected.jobs.report!, 'Fail the run if a day could not be fetched or the digest could not be sent')).toContain(
      '::error::The email digest was not sent (digest job: failure)',
    );

    const next = await runDaily('workflow_dispatch', inputs, smtpSecrets());
    expect(next.jobs.digest!.result, describeRun(next.jobs.digest!)).toBe('success');
    expect(next.mails).toHaveLength(1);
    expect(next.mails[0]!.raw).toMatch(/Message-ID: <digest-2024-01-04\./i);
    expect(originDayRecord('2024-01-04').digestSentAt).toMatch(/^\d{4}-/);
    expect(claimOnOriginAtSend.at(-1)).toBe(originDayRecord('2024-01-04').digestSentAt);
    expect(next.jobs.report!.result).toBe('success');
  }, 600_000);

  it('a send that certainly reached nobody releases its claim (pushed too), so the next run mails the day', async () => {
    const { freePort } = await import('../helpers/preview.ts');
    setElements([...elements, ...extraDay('2024-01-05', 3)]);
    const inputs = { from: BACKFILL.from, to: '2024-01-05', date: '', allow_fewer_papers: false };
    const failed = await runDaily('workflow_dispatch', inputs, smtpSecrets(await freePort()));
    const digest = failed.jobs.digest!;
    expect(digest.result, describeAll(failed)).toBe('failure');
    expect(stepOutput(digest, 'Mail the digest')).toMatch(
      /::error title=Email digest::SMTP server 127\.0\.0\.1:\d+ unreachable after 2 attempts .*nothing was delivered, so the claim on 2024-01-05 is released/,
    );
    expect(digest.log.find((e) => e.name === 'Push the released claim (a later run sends the digest)')?.status).toBe(0);
    expect(git(originRepo, 'log', '-2', '--format=%s')).toBe('Daily Papers 2024-01-05: digest not sent, claim released\nDaily Papers 2024-01-05: digest sent');
    expect(originDayRecord('2024-01-05').digestSentAt).toBeNull();
    expect(failed.jobs.report!.result).toBe('failure');

    const next = await runDaily('workflow_dispatch', inputs, smtpSecrets());
    expect(next.mails).toHaveLength(1);
    expect(next.mails[0]!.raw).toMatch(/Message-ID: <digest-2024-01-05\./i);
    expect(originDayRecord('2024-01-05').digestSentAt).toMatch(/^\d{4}-/);
    expect(next.jobs.report!.result).toBe('success');
  }, 600_000);

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
    const online = onlineManifest().papers;
    const refused = await runDaily('schedule', {});
    expect(refused.jobs.update!.result, describeRun(refused.jobs.update!)).toBe('success');
    // The scheduled path is the catch-up: the 30 days before today and today (UTC). The replay has no list for
    // any of them, so 31 empty day records, none of them trusted as "no list" without a later day with papers.
    const today = new Date().toISOString().slice(0, 10);
    const lookbackStart = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    expect(stepOutput(refused.jobs.update!, 'Fetch the list')).toContain(`Catching up ${lookbackStart} to ${today}: 31 day(s)`);
    expect(git(originRepo, 'log', '-1', '--format=%s')).toBe(`Daily Papers ${lookbackStart} to ${today} (31 days): day records only`);
    expect(JSON.parse(git(originRepo, 'show', `HEAD:content/papers/${today.replaceAll('-', '/')}/day.json`))).toMatchObject({ count: 0, complete: false });
    expect(refused.jobs.build!.result, describeRun(refused.jobs.build!)).toBe('failure');
    expect(stepOutput(refused.jobs.build!, 'Refuse to deploy fewer papers than are online')).toContain(
      `::error::This build holds 0 papers, ${online} fewer than the ${online} online: not deploying`,
    );
    expect(refused.jobs.deploy!.result).toBe('skipped');
    expect(refused.jobs.digest!.result).toBe('skipped');
    expect(pages.deployCount).toBe(deploysBefore);
    expect(onlineManifest().papers).toBe(online);

    const allowed = await runDaily('workflow_dispatch', { date: '', from: '', to: '', allow_fewer_papers: true });
    expect(allowed.jobs.build!.result, describeRun(allowed.jobs.build!)).toBe('success');
    expect(stepOutput(allowed.jobs.build!, 'Refuse to deploy fewer papers than are online')).toContain('deploying anyway because fewer papers were explicitly allowed');
    expect(allowed.jobs.deploy!.result).toBe('success');
    expect(onlineManifest().papers).toBe(0);
    // No SMTP secret: the digest job checks that and does nothing else.
    expect(stepOutput(allowed.jobs.digest!, 'Is an SMTP server configured?')).toContain('No SMTP server configured');
    expect(allowed.jobs.digest!.log.filter((e) => e.status !== 'skipped').map((e) => e.name)).toEqual(['Is an SMTP server configured?']);
  }, 300_000);

  it('rejects malformed dispatch input before fetching anything', async () => {
    const requestsBefore = replay.requests.length;
    const run = await runDaily('workflow_dispatch', { date: '2024-01-03; rm -rf /', from: '', to: '', allow_fewer_papers: false });
    expect(run.jobs.update!.result).toBe('failure');
    expect(stepOutput(run.jobs.update!, 'Fetch the list')).toContain('::error::The date must be YYYY-MM-DD.');
    expect(run.order).toEqual(['update']);
    expect(replay.requests.length).toBe(requestsBefore);
    const half = await runDaily('workflow_dispatch', { date: '', from: '2024-01-01', to: '', allow_fewer_papers: false });
    expect(half.jobs.update!.result).toBe('failure');
    expect(stepOutput(half.jobs.update!, 'Fetch the list')).toContain('::error::Give either a date, or both from and to');
  }, 120_000);

  it('no checkout of any run ever held the write token in .git/config; pushes got it from the environment only', () => {
    const configs = readdirSync(root)
      .filter((entry) => /^run\d+$/.test(entry))
      .flatMap((run) => readdirSync(join(root, run)).map((job) => join(root, run, job, '.git/config')))
      .filter((file) => existsSync(file));
    expect(configs.length).toBeGreaterThan(10);
    for (const file of configs) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(BASIC_TOKEN);
      expect(text, file).not.toContain('extraheader');
    }
  });
});
