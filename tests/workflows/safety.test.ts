/**
 * The safety properties of the workflows (issue 5), asserted on the files
 * themselves: pinned actions, least-privilege permissions, concurrency,
 * schedule minutes, timeouts, no expressions spliced into shell scripts, and
 * the order of the scheduled job's steps.
 */
import { describe, expect, it } from 'vitest';
import { loadWorkflow, workflowFiles, type Job, type Step } from './workflow-files.ts';

const READ_ONLY = new Set(['read', 'none']);

function permissionsOf(job: Job): Record<string, string> {
  expect(job.permissions, 'every job states its permissions').toBeDefined();
  expect(typeof job.permissions, 'permissions are a map, never read-all/write-all').toBe('object');
  return job.permissions as Record<string, string>;
}

const steps = (job: Job): Step[] => job.steps ?? [];
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

  it('never cancels a run that may be pushing', () => {
    expect(typeof workflow.concurrency).toBe('object');
    expect((workflow.concurrency as { 'cancel-in-progress'?: boolean })['cancel-in-progress'] ?? false).toBe(false);
    for (const [name, job] of Object.entries(jobs)) {
      const own = job.concurrency as { 'cancel-in-progress'?: unknown } | undefined;
      expect(own?.['cancel-in-progress'] ?? false, `${name}`).toBe(false);
    }
  });

  it('fetches, then commits and pushes only through commit-content, as the bot', () => {
    const update = Object.values(jobs).find((job) => /\bgit push\b/.test(runs(job)))!;
    expect(update).toBeDefined();
    const order = steps(update).map((s) => s.run ?? s.uses ?? '');
    const fetchAt = order.findIndex((s) => s.includes('npm run fetch'));
    const commitAt = order.findIndex((s) => s.includes('commit-content'));
    expect(fetchAt).toBeGreaterThan(-1);
    expect(commitAt).toBeGreaterThan(fetchAt);
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

  it('deploys from a job that only holds pages and id-token, after the build', () => {
    const deploy = Object.entries(jobs).find(([, job]) => usesAction(job, 'actions/deploy-pages'))!;
    expect(deploy).toBeDefined();
    expect(deploy[1].permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy[1].needs).toBe('build');
    expect(jobs.build!.needs).toBe('update');
  });

  it('turns the run red after deploying when a day failed to fetch or the digest failed', () => {
    const report = jobs.report!;
    expect(report.needs).toEqual(['update', 'deploy']);
    expect(report.if).toContain('always()');
    expect(report.permissions).toEqual({});
    expect(steps(report)[0]!.env).toEqual({
      FETCH_STATUS: '${{ needs.update.outputs.fetch-status }}',
      DIGEST_STATUS: '${{ needs.update.outputs.digest-status }}',
    });
  });

  it('mails the digest only with an SMTP secret, before the commit that records it', () => {
    const update = jobs.update!;
    const order = steps(update).map((s) => s.id ?? '');
    expect(order.indexOf('fetch')).toBeLessThan(order.indexOf('digest'));
    expect(order.indexOf('digest')).toBeLessThan(order.indexOf('commit'));
    const digest = steps(update).find((s) => s.id === 'digest')!;
    expect(digest.run).toContain('if [ -z "$PAPERBOY_SMTP_URL$PAPERBOY_SMTP_HOST" ]');
    expect(digest.env?.PAPERBOY_SMTP_PASSWORD).toBe('${{ secrets.PAPERBOY_SMTP_PASSWORD }}');
    // Only the jobs of this trusted workflow see secrets; CI (which runs fork code) references none.
    expect(loadWorkflow('ci.yml').text).not.toContain('secrets.');
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
