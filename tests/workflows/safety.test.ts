/**
 * The safety properties of the workflows (issue 5), asserted on the files
 * themselves: pinned actions, least-privilege permissions, concurrency,
 * schedule minutes, timeouts, no expressions spliced into shell scripts, and
 * the order of the scheduled job's steps.
 */
import { describe, expect, it } from 'vitest';
import { ConcurrencyModel, concurrencyFor } from './concurrency-model.ts';
import { loadWorkflow, workflowFiles, type Job, type Step, type Workflow } from './workflow-files.ts';

const READ_ONLY = new Set(['read', 'none']);

function permissionsOf(job: Job): Record<string, string> {
  expect(job.permissions, 'every job states its permissions').toBeDefined();
  expect(typeof job.permissions, 'permissions are a map, never read-all/write-all').toBe('object');
  return job.permissions as Record<string, string>;
}

const steps = (job: Job): Step[] => job.steps ?? [];
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const runs = (job: Job): string => steps(job).map((s) => s.run ?? '').join('\n');
const usesAction = (job: Job, action: string) => steps(job).some((s) => s.uses?.split('@')[0] === action);

/** Which job may hold which write permission: only the job that needs it. */
const WRITE_NEEDS: Record<string, (job: Job) => boolean> = {
  contents: (job) => /\bgit push\b/.test(runs(job)),
  pages: (job) => usesAction(job, 'actions/deploy-pages'),
  'id-token': (job) => usesAction(job, 'actions/deploy-pages'),
  actions: (job) => /actions\/workflows\/[^\s"]*\/enable/.test(runs(job)),
};

describe.each(workflowFiles().map((w) => [w.file, w] as const))('%s', (_file, { text, workflow }) => {
  it('pins every action to a full commit SHA, with its version in a comment', () => {
    const lines = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
    const parsedUses = Object.values(workflow.jobs).flatMap((job) => [...(job.uses ? [job.uses] : []), ...steps(job).flatMap((s) => (s.uses ? [s.uses] : []))]);
    expect(lines.length, 'every uses: line is seen').toBe(parsedUses.length);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const m = /uses:\s*(\S+)\s*(#.*)?$/.exec(line);
      expect(m, line).not.toBeNull();
      const ref = m![1]!;
      if (ref.startsWith('./')) continue; // a local action lives in this repository
      expect(ref, `${line.trim()}: owner/repo[/path]@<40 hex>`).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      expect(m![2] ?? '', `${line.trim()}: needs a "# vX.Y.Z" comment`).toMatch(/^# v\d+\.\d+\.\d+\b/);
    }
  });

  it('grants nothing at the workflow level beyond read, and states least privilege per job', () => {
    expect(workflow.permissions, 'workflow-level permissions are set').toBeDefined();
    expect(typeof workflow.permissions).toBe('object');
    for (const [scope, level] of Object.entries(workflow.permissions as Record<string, string>)) {
      expect(READ_ONLY.has(level), `workflow-level ${scope}: ${level}`).toBe(true);
    }
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const [scope, level] of Object.entries(permissionsOf(job))) {
        if (READ_ONLY.has(level)) continue;
        expect(level, `${name}: ${scope}`).toBe('write');
        const needs = WRITE_NEEDS[scope];
        expect(needs, `${name} asks for ${scope}: write, which no job here needs`).toBeDefined();
        expect(needs!(job), `${name} asks for ${scope}: write without doing what needs it`).toBe(true);
      }
    }
  });

  it('has a concurrency group', () => {
    const concurrency = workflow.concurrency;
    expect(concurrency).toBeDefined();
    const group = typeof concurrency === 'string' ? concurrency : concurrency!.group;
    expect(group.length).toBeGreaterThan(0);
  });

  it('sets a timeout on every job', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job['timeout-minutes'], `${name} has timeout-minutes`).toBeTypeOf('number');
      expect(job['timeout-minutes']!).toBeGreaterThan(0);
      expect(job['timeout-minutes']!).toBeLessThanOrEqual(120);
    }
  });

  it('never splices an expression into a shell script (inputs and other data go through env)', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of steps(job)) {
        if (step.run === undefined) continue;
        expect(step.run, `${name} / ${step.name ?? step.run.slice(0, 40)}`).not.toMatch(/\$\{\{/);
      }
    }
    expect(text).not.toMatch(/github\.event\.inputs\./);
  });

  it('never uses pull_request_target (it would run fork code with write access and secrets)', () => {
    expect(Object.keys(workflow.on)).not.toContain('pull_request_target');
  });
});

describe('daily.yml', () => {
  const { workflow } = loadWorkflow('daily.yml');
  const jobs = workflow.jobs;
  const crons = ((workflow.on.schedule ?? []) as { cron: string }[]).map((s) => s.cron);

  it('runs at least twice a day, at fixed off-peak minutes (never :00)', () => {
    expect(crons.length).toBeGreaterThanOrEqual(2);
    const hours = new Set<string>();
    for (const cron of crons) {
      const [minute, hour, dom, month, dow] = cron.trim().split(/\s+/);
      expect(minute, cron).toMatch(/^\d{1,2}$/);
      expect(Number(minute), cron).toBeGreaterThan(0);
      expect(Number(minute), cron).toBeLessThan(60);
      expect(hour, cron).toMatch(/^\d{1,2}$/);
      expect([dom, month, dow], `${cron} runs every day`).toEqual(['*', '*', '*']);
      hours.add(hour!);
    }
    expect(hours.size, 'the runs are spread over the day').toBeGreaterThanOrEqual(2);
  });

  it('takes an optional date or a from/to range by dispatch', () => {
    const inputs = (workflow.on.workflow_dispatch as { inputs: Record<string, { required?: boolean; type?: string }> }).inputs;
    for (const name of ['date', 'from', 'to']) {
      expect(inputs[name], name).toBeDefined();
      expect(inputs[name]!.required ?? false).toBe(false);
      expect(inputs[name]!.type).toBe('string');
    }
  });

  describe('a workflow_dispatch is never dropped, and two runs never push or deploy at once', () => {
    const inputs = { date: '', from: '2024-01-01', to: '2024-01-31', allow_fewer_papers: false };
    const run = (id: string, event: string, wf: Workflow = workflow) => ({
      id,
      spec: concurrencyFor(wf, { event_name: event, ref: 'refs/heads/main', ref_name: 'main', workflow: 'Daily papers', run_id: id, sha: 'x' }, inputs),
    });
    /** A backfill dispatched while a scheduled run works, then more runs arriving before either ends. */
    function busyDay(wf: Workflow): ConcurrencyModel {
      const model = new ConcurrencyModel();
      model.trigger(run('schedule-1', 'schedule', wf));
      model.trigger(run('backfill', 'workflow_dispatch', wf));
      model.trigger(run('schedule-2', 'schedule', wf));
      model.trigger(run('push', 'push', wf));
      model.trigger(run('date', 'workflow_dispatch', wf));
      while (model.running().length) for (const id of model.running()) model.finish(id);
      return model;
    }

    it('queues every run of every event in one group, first in first out, one at a time', () => {
      const model = busyDay(workflow);
      expect([...model.state]).toEqual([
        ['schedule-1', 'done'],
        ['backfill', 'done'],
        ['schedule-2', 'done'],
        ['push', 'done'],
        ['date', 'done'],
      ]);
      expect(model.started).toEqual(['schedule-1', 'backfill', 'schedule-2', 'push', 'date']);
      expect(model.maxRunning).toBe(1);
    });

    it('the default queue would drop the waiting backfill (what this guards against)', () => {
      const { queue: _queue, ...single } = workflow.concurrency as { group: string; queue?: string };
      const model = busyDay({ ...workflow, concurrency: single });
      expect(model.state.get('backfill')).toBe('cancelled');
    });

    it('no job waits in a concurrency group of its own (a pending job would be dropped the same way)', () => {
      for (const [name, job] of Object.entries(jobs)) expect(job.concurrency, name).toBeUndefined();
    });

    it('states queue: max with cancel-in-progress off (GitHub rejects the combination with true)', () => {
      expect(workflow.concurrency).toMatchObject({ group: 'daily-papers', 'cancel-in-progress': false, queue: 'max' });
      expect(() => concurrencyFor({ ...workflow, concurrency: { group: 'g', 'cancel-in-progress': true, queue: 'max' } as never }, {})).toThrow(/cannot be combined/);
      expect(() => concurrencyFor({ ...workflow, concurrency: { group: 'g', queue: 'maxx' } as never }, {})).toThrow(/single or max/);
    });
  });

  it('never cancels a run that may be pushing', () => {
    expect(typeof workflow.concurrency).toBe('object');
    expect((workflow.concurrency as { 'cancel-in-progress'?: boolean })['cancel-in-progress'] ?? false).toBe(false);
    for (const [name, job] of Object.entries(jobs)) {
      const own = job.concurrency as { 'cancel-in-progress'?: unknown } | undefined;
      expect(own?.['cancel-in-progress'] ?? false, `${name}`).toBe(false);
    }
  });

  it('fetches, then commits and pushes only through commit-content, as the bot', () => {
    const update = jobs.update!;
    const order = steps(update).map((s) => s.run ?? s.uses ?? '');
    const fetchAt = order.findIndex((s) => s.includes('npm run fetch'));
    const commitAt = order.findIndex((s) => s.includes('commit-content'));
    const pushAt = order.findIndex((s) => /\bgit push\b/.test(s));
    expect(fetchAt).toBeGreaterThan(-1);
    expect(commitAt).toBeGreaterThan(fetchAt);
    expect(pushAt).toBeGreaterThan(commitAt);
    // Every job that pushes commits only through commit-content, as the bot.
    for (const [name, job] of Object.entries(jobs).filter(([, j]) => /\bgit push\b/.test(runs(j)))) {
      expect(runs(job), name).toContain('npm run --silent commit-content');
      expect(runs(job), name).not.toMatch(/\bgit (commit|add)\b/);
      expect(runs(job), name).toContain("git config user.name 'github-actions[bot]'");
    }
    expect(order[commitAt]).toContain("git config user.name 'github-actions[bot]'");
    expect(order[commitAt]).toContain('41898282+github-actions[bot]@users.noreply.github.com');
    // The fetch step validates dispatch input before use.
    expect(order[fetchAt]).toMatch(/\[\[ "\$INPUT_DATE" =~ \$day_re \]\]/);
    expect(order[fetchAt]).toMatch(/--summary-file/);
  });

  it('sets up Node from .nvmrc with the npm cache in every job that runs npm', () => {
    for (const [name, job] of Object.entries(jobs)) {
      if (!/\bnpm\b/.test(runs(job))) continue;
      const setup = steps(job).find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setup, `${name} sets up Node`).toBeDefined();
      expect(setup!.with).toMatchObject({ 'node-version-file': '.nvmrc', cache: 'npm' });
    }
  });

  it('builds the pushed commit with site and base from configure-pages, with the Astro content cache', () => {
    const build = Object.values(jobs).find((job) => usesAction(job, 'actions/upload-pages-artifact'))!;
    const names = steps(build).map((s) => s.uses?.split('@')[0] ?? s.run ?? '');
    const checkout = steps(build).find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.ref).toBe('${{ needs.update.outputs.sha }}');
    const buildStep = steps(build).find((s) => s.run?.trim() === 'npm run build')!;
    expect(buildStep.env).toEqual({
      SITE_URL: '${{ steps.pages.outputs.origin }}',
      BASE_PATH: "${{ format('{0}/', steps.pages.outputs.base_path) }}",
    });
    const at = (name: string) => names.findIndex((n) => n === name || n.includes(name));
    expect(at('actions/configure-pages')).toBeLessThan(at('npm run build'));
    expect(at('npm ci')).toBeLessThan(at('actions/cache/restore'));
    expect(at('actions/cache/restore')).toBeLessThan(at('npm run build'));
    expect(at('actions/cache/save')).toBeGreaterThan(at('npm run build'));
    for (const s of steps(build).filter((s) => s.uses?.startsWith('actions/cache/'))) expect(s.with?.path).toBe('node_modules/.astro');
    // The deploy guard runs between the build and the upload.
    expect(at('check-archive')).toBeGreaterThan(at('npm run build'));
    expect(at('check-archive')).toBeLessThan(at('actions/upload-pages-artifact'));
  });

  it('checks out the branch as it is when the update job starts (a queued run builds on the runs before it)', () => {
    const checkout = steps(jobs.update!).find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.ref).toBe('${{ github.ref }}');
  });

  it('deploys from a job that only holds pages and id-token, after the build', () => {
    const deploy = Object.entries(jobs).find(([, job]) => usesAction(job, 'actions/deploy-pages'))!;
    expect(deploy).toBeDefined();
    expect(deploy[1].permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy[1].needs).toBe('build');
    expect(jobs.build!.needs).toBe('update');
  });

  it('turns the run red after deploying when a day failed to fetch or the digest failed', () => {
    const report = jobs.report!;
    expect(report.needs).toEqual(['update', 'deploy', 'digest']);
    expect(report.if).toBe("${{ always() && needs.update.result == 'success' }}");
    expect(report.permissions).toEqual({});
    expect(steps(report)[0]!.env).toEqual({
      FETCH_STATUS: '${{ needs.update.outputs.fetch-status }}',
      DEPLOY_RESULT: '${{ needs.deploy.result }}',
      DIGEST_RESULT: '${{ needs.digest.result }}',
    });
  });

  it('runs update -> build -> deploy -> digest -> report: the digest needs a successful deploy', () => {
    const deps = (name: string): Set<string> => new Set(needsOf(jobs[name]!).flatMap((n) => [n, ...deps(n)]));
    expect([...deps('deploy')].sort()).toEqual(['build', 'update']);
    expect(needsOf(jobs.digest!)).toContain('deploy');
    expect(jobs.digest!.if).toBe("${{ needs.deploy.result == 'success' }}");
    expect([...deps('report')].sort()).toEqual(['build', 'deploy', 'digest', 'update']);
    // Only the digest job mails, and it sees the SMTP secrets; no other job does.
    for (const [name, job] of Object.entries(jobs)) {
      const text = JSON.stringify(job);
      expect(/npm run (--silent )?digest\b/.test(runs(job)), name).toBe(name === 'digest');
      expect(text.includes('secrets.PAPERBOY_'), name).toBe(name === 'digest');
    }
    // Only the jobs of this trusted workflow see secrets; CI (which runs fork code) references none.
    expect(loadWorkflow('ci.yml').text).not.toContain('secrets.');
  });

  it('mails only with an SMTP secret, and only after the claim (digestSentAt) was pushed', () => {
    const digest = steps(jobs.digest!);
    const at = (pattern: RegExp) => digest.findIndex((s) => pattern.test(s.run ?? ''));
    const check = at(/if \[ -z "\$PAPERBOY_SMTP_URL\$PAPERBOY_SMTP_HOST" \]/);
    const claim = at(/npm run --silent digest -- --claim "\$CLAIM_FILE"/);
    const pushClaim = digest.findIndex((s, i) => i > claim && /\bgit push\b/.test(s.run ?? ''));
    const send = at(/npm run --silent digest -- --send-claimed "\$CLAIM_FILE"/);
    expect(check).toBe(0);
    expect(claim).toBeGreaterThan(check);
    expect(pushClaim).toBeGreaterThan(claim);
    expect(send).toBeGreaterThan(pushClaim);
    expect(digest[claim]!.run).toContain('npm run --silent commit-content');
    // The send runs only when everything before it succeeded: no status function may let it run after a failed push.
    expect(digest[send]!.if).toBe("steps.claim.outputs.claimed == 'true'");
    expect(digest[pushClaim]!.if).toBe("steps.claim.outputs.claimed == 'true'");
    for (const step of digest.slice(0, send + 1)) expect(String(step.if ?? ''), step.name).not.toMatch(/always\(\)|failure\(\)|cancelled\(\)/);
    // Everything after the send only pushes a released claim: it never mails.
    for (const step of digest.slice(send + 1)) expect(step.run ?? '', step.name).not.toMatch(/\bnpm\b|\bnode\b/);
    expect(digest[send]!.env?.PAPERBOY_SMTP_PASSWORD).toBe('${{ secrets.PAPERBOY_SMTP_PASSWORD }}');
    // The digest reads the commit that was deployed, not whatever the branch holds by then.
    const checkout = digest.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.ref).toBe('${{ needs.update.outputs.sha }}');
  });

  describe('no job with a write token runs dependency install scripts while the token is on disk', () => {
    const writeJobs = Object.entries(jobs).filter(([, job]) => Object.values(permissionsOf(job)).includes('write'));
    const TOKEN = /\b(github\.token|secrets\.GITHUB_TOKEN)\b/;

    it('finds the jobs that can write', () => {
      expect(writeJobs.map(([name]) => name).sort()).toEqual(['deploy', 'digest', 'keepalive', 'update']);
    });

    it.each(writeJobs)('%s: checkout keeps no credential, npm ci runs no install scripts, the token only reaches git', (_name, job) => {
      for (const step of steps(job)) {
        if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials'], 'persist-credentials').toBe(false);
        if (/\bnpm ci\b/.test(step.run ?? '')) expect(step.run).toMatch(/\bnpm ci\b.*--ignore-scripts/);
        if (!TOKEN.test(JSON.stringify(step))) continue;
        // The step that gets the token runs git (or gh) and shell builtins only: no npm, node or dependency code.
        expect(step.run ?? '', step.name).not.toMatch(/\b(npm|npx|node)\b/);
        expect(step.uses, step.name).toBeUndefined();
      }
    });

    it('every npm ci in this workflow skips install scripts (nothing here needs one)', () => {
      const installs = Object.values(jobs).flatMap((job) => steps(job).filter((s) => /\bnpm ci\b/.test(s.run ?? '')));
      expect(installs.length).toBeGreaterThanOrEqual(3);
      for (const step of installs) expect(step.run!.trim()).toBe('npm ci --no-audit --no-fund --ignore-scripts');
    });
  });

  it('keeps the schedule alive through the API, not with commits', () => {
    const keepalive = jobs.keepalive!;
    expect(keepalive.permissions).toEqual({ actions: 'write', contents: 'read' });
    expect(runs(keepalive)).toMatch(/gh api -X PUT "repos\/\$GITHUB_REPOSITORY\/actions\/workflows\/\$workflow_file\/enable"/);
    expect(runs(keepalive)).not.toMatch(/git (commit|push)/);
  });
});

describe('ci.yml', () => {
  const { workflow } = loadWorkflow('ci.yml');

  it('runs on pushes and pull requests with a read-only token', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(workflow.jobs)) expect(job.permissions).toEqual({ contents: 'read' });
  });

  it('runs the README test command through .ci/run (chromium, newsboat, browser tests mandatory) and a production build', () => {
    const job = Object.values(workflow.jobs)[0]!;
    const scripts = steps(job).map((s) => s.run?.trim() ?? '');
    expect(scripts).toContain('.ci/run');
    expect(scripts).toContain('npm run build');
    expect(scripts.indexOf('.ci/run')).toBeLessThan(scripts.indexOf('npm run build'));
    const checkout = steps(job).find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.['persist-credentials']).toBe(false);
  });
});
