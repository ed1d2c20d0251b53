/**
 * Run a workflow job's own steps locally, the way the runner would: every
 * `run:` script exactly as written in the YAML, under `bash -eo pipefail`,
 * with its `env:` expressions evaluated, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files, and step outputs flowing into later steps and jobs. `uses:` steps
 * are handed to stand-ins supplied by the test (checkout = a git clone,
 * configure-pages = a local "Pages" server...). `runWorkflow` runs the jobs
 * in the order their `needs` allow, deciding each job's and step's `if:` as
 * GitHub does (an implicit success(), status functions, skipped needs). Only
 * the expressions the workflows use are understood; anything else throws, so
 * a workflow change that this runner cannot follow fails loudly instead of
 * being skipped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Step, Workflow } from './workflow-files.ts';

export type Outputs = Record<string, string>;

export interface Contexts {
  inputs: Record<string, string | boolean>;
  github: Record<string, string>;
  runner: Record<string, string>;
  steps: Record<string, { outputs: Outputs; outcome: string }>;
  needs: Record<string, { outputs: Outputs; result: string }>;
  /** Repository secrets; an unset secret reads as an empty string, as on GitHub. */
  secrets?: Record<string, string>;
  /** What success() and failure() answer: the job's steps so far, or a job's needs. */
  status?: { success: boolean; failure: boolean };
}

export interface ActionContext {
  step: Step;
  /** The step's `with:` values, expressions evaluated. */
  with: Record<string, string>;
  cwd: string;
  contexts: Contexts;
}

/** Stand-in for an action, by name without the ref (`actions/checkout`); returns the step's outputs. */
export type ActionHandler = (ctx: ActionContext) => Outputs | void | Promise<Outputs | void>;

export interface JobRun {
  outputs: Outputs;
  result: 'success' | 'failure' | 'skipped';
  /** Log of every step: its name, exit status and output. */
  log: { name: string; status: number | 'skipped' | 'action'; output: string }[];
  summary: string;
}

export interface RunJobOptions {
  job: Job;
  jobName: string;
  /** Directory the steps run in (the workspace; created empty, the checkout stand-in fills it). */
  cwd: string;
  actions: Record<string, ActionHandler>;
  contexts: Omit<Contexts, 'steps'>;
  /** Base environment of the runner (PATH, HOME, test-only overrides). */
  env: NodeJS.ProcessEnv;
  /** `run:` scripts the test provides itself (e.g. `npm ci`: the test links node_modules instead). */
  skipRun?: (script: string) => boolean;
}

function lookup(path: string, contexts: Contexts): string {
  const parts = path.split('.');
  let value: unknown = contexts;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (!['inputs', 'steps', 'needs', 'secrets'].includes(parts[0]!) && value === undefined) {
    throw new Error(`run-workflow: unknown context value ${path}`);
  }
  return value === undefined || value === null ? '' : String(value);
}

const PATH_RE = /^[a-z_][\w-]*(\.[\w-]+)*$/i;
const STATUS_FUNCTION = /\b(always|success|failure|cancelled)\(\)/;

/** Evaluate one expression body (what is inside `${{ }}`). */
export function evaluate(expression: string, contexts: Contexts, hashFiles: (pattern: string) => string = () => ''): string {
  const expr = expression.trim();
  let m: RegExpExecArray | null;
  // `a || b && c` (no parentheses): && binds tighter, as in GitHub's expressions.
  if (expr.includes('||')) return String(expr.split('||').some((part) => evaluate(part, contexts, hashFiles) === 'true'));
  if (expr.includes('&&')) return String(expr.split('&&').every((part) => evaluate(part, contexts, hashFiles) === 'true'));
  if ((m = /^(always|success|failure|cancelled)\(\)$/.exec(expr))) {
    if (m[1] === 'always') return 'true';
    if (m[1] === 'cancelled') return 'false';
    if (!contexts.status) throw new Error(`run-workflow: ${expr} outside a job or step condition`);
    return String(m[1] === 'success' ? contexts.status.success : contexts.status.failure);
  }
  if (PATH_RE.test(expr)) return lookup(expr, contexts);
  if ((m = /^format\('([^']*)',\s*([\w.-]+)\)$/.exec(expr))) return m[1]!.replace('{0}', lookup(m[2]!, contexts));
  if ((m = /^hashFiles\('([^']+)'\)$/.exec(expr))) return hashFiles(m[1]!);
  if ((m = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(expr))) {
    const equal = lookup(m[1]!, contexts) === m[3];
    return String(m[2] === '==' ? equal : !equal);
  }
  throw new Error(`run-workflow: cannot evaluate \${{ ${expr} }}`);
}

/**
 * Decide an `if:` (with or without `${{ }}`): without a status function it
 * only holds after success, as on GitHub.
 */
export function condition(ifValue: string | undefined, contexts: Contexts): boolean {
  if (ifValue === undefined) return contexts.status?.success ?? true;
  const expr = String(ifValue).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const value = evaluate(expr, contexts) === 'true';
  return STATUS_FUNCTION.test(expr) ? value : value && (contexts.status?.success ?? true);
}

/** Replace every `${{ … }}` in a value. */
export function interpolate(value: unknown, contexts: Contexts, hashFiles?: (pattern: string) => string): string {
  return String(value).replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => evaluate(expr, contexts, hashFiles));
}

/** Parse a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` blocks. */
export function parseOutputFile(text: string): Outputs {
  const outputs: Outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** Run a step script like the runner's default shell (`bash --noprofile --norc -eo pipefail {0}`). */
function runScript(file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; output: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ status: 127, output: `${output}\ncannot start bash: ${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ status: code ?? 1, output });
    });
  });
}

export async function runJob(options: RunJobOptions): Promise<JobRun> {
  const { job, cwd } = options;
  const contexts: Contexts = { ...options.contexts, steps: {} };
  const runnerTemp = contexts.runner.temp ?? mkdtempSync(join(tmpdir(), 'paperboy-runner-'));
  mkdirSync(runnerTemp, { recursive: true });
  // The runner's workspace exists before the first step (a checkout then fills it).
  mkdirSync(cwd, { recursive: true });
  const summaryFile = join(runnerTemp, `step-summary-${options.jobName}.md`);
  writeFileSync(summaryFile, '');
  const log: JobRun['log'] = [];
  let failed = false;

  for (const [index, step] of (job.steps ?? []).entries()) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index}`;
    contexts.status = { success: !failed, failure: failed };
    if (!condition(step.if, contexts)) {
      log.push({ name, status: 'skipped', output: step.if === undefined ? 'an earlier step failed' : `if: ${step.if}` });
      if (step.id) contexts.steps[step.id] = { outputs: {}, outcome: 'skipped' };
      continue;
    }
    if (step.uses) {
      const action = step.uses.split('@')[0]!;
      const handler = options.actions[action];
      if (!handler) throw new Error(`run-workflow: no stand-in for ${step.uses} (job ${options.jobName})`);
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, contexts)]));
      const outputs = (await handler({ step, with: withValues, cwd, contexts })) ?? {};
      if (step.id) contexts.steps[step.id] = { outputs, outcome: 'success' };
      log.push({ name, status: 'action', output: JSON.stringify(outputs) });
      continue;
    }
    const script = step.run ?? '';
    if (options.skipRun?.(script)) {
      log.push({ name, status: 'skipped', output: 'provided by the test' });
      continue;
    }
    const outputFile = join(runnerTemp, `output-${options.jobName}-${index}`);
    writeFileSync(outputFile, '');
    const scriptFile = join(runnerTemp, `step-${options.jobName}-${index}.sh`);
    writeFileSync(scriptFile, script);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, contexts)]));
    // Asynchronous on purpose: the test's replay and Pages servers live in this process and must keep answering.
    const { status, output } = await runScript(scriptFile, cwd, {
      ...options.env,
      ...Object.fromEntries(Object.entries(contexts.github).filter(([k]) => k !== 'token').map(([k, v]) => [`GITHUB_${k.toUpperCase()}`, v])),
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: runnerTemp,
      ...stepEnv,
    });
    log.push({ name, status, output });
    // The runner keeps the outputs a failed step wrote, too.
    if (step.id) contexts.steps[step.id] = { outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), outcome: status === 0 ? 'success' : 'failure' };
    if (status !== 0) failed = true;
  }
  delete contexts.status;
  const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, contexts)]));
  return { outputs, result: failed ? 'failure' : 'success', log, summary: readFileSync(summaryFile, 'utf8') };
}

export interface JobSetup {
  /** Directory the steps run in (the checkout stand-in creates it). */
  cwd: string;
  actions: Record<string, ActionHandler>;
  /** runner.temp of this job. */
  runnerTemp: string;
}

export interface RunWorkflowOptions {
  workflow: Workflow;
  /** inputs, github, secrets: the same for every job of the run. */
  contexts: Pick<Contexts, 'inputs' | 'github' | 'secrets'>;
  /** Where each job runs and its stand-ins, asked for right before the job runs (with the jobs done so far). */
  setup: (jobName: string, done: Readonly<Record<string, JobRun>>) => JobSetup;
  env: NodeJS.ProcessEnv;
  skipRun?: (script: string) => boolean;
  /** Jobs the test does not run (e.g. one that only calls the GitHub API); they count as skipped. */
  exclude?: readonly string[];
}

export interface WorkflowRun {
  jobs: Record<string, JobRun>;
  /** The jobs that ran, in order. */
  order: string[];
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/**
 * Run a workflow's jobs one after another in an order their `needs` allow
 * (the order of the file among jobs that are ready), each when its `if:`
 * holds; a job whose needs did not all succeed is skipped unless its
 * condition says otherwise (always(), failure()).
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const names = Object.keys(options.workflow.jobs);
  const jobs: Record<string, JobRun> = {};
  const order: string[] = [];
  const skipped = (reason: string): JobRun => ({ outputs: {}, result: 'skipped', log: [{ name: 'job', status: 'skipped', output: reason }], summary: '' });
  while (Object.keys(jobs).length < names.length) {
    const name = names.find((n) => !jobs[n] && needsOf(options.workflow.jobs[n]!).every((need) => jobs[need]));
    if (!name) throw new Error(`run-workflow: the needs of ${names.filter((n) => !jobs[n]).join(', ')} cannot be met`);
    const job = options.workflow.jobs[name]!;
    for (const need of needsOf(job)) if (!names.includes(need)) throw new Error(`run-workflow: ${name} needs an unknown job ${need}`);
    if (options.exclude?.includes(name)) {
      jobs[name] = skipped('left out by the test');
      continue;
    }
    const needs = Object.fromEntries(needsOf(job).map((need) => [need, { outputs: jobs[need]!.outputs, result: jobs[need]!.result }]));
    const results = Object.values(needs).map((n) => n.result);
    const contexts = { ...options.contexts, needs, runner: { temp: '', os: 'Linux' } };
    const status = { success: results.every((r) => r === 'success'), failure: results.some((r) => r === 'failure') };
    if (!condition(job.if, { ...contexts, steps: {}, status })) {
      jobs[name] = skipped(job.if === undefined ? 'a job it needs did not succeed' : `if: ${job.if}`);
      continue;
    }
    const setup = options.setup(name, jobs);
    order.push(name);
    jobs[name] = await runJob({
      job,
      jobName: name,
      cwd: setup.cwd,
      env: options.env,
      skipRun: options.skipRun,
      actions: setup.actions,
      contexts: { ...contexts, runner: { temp: setup.runnerTemp, os: 'Linux' } },
    });
  }
  return { jobs, order };
}

/** A readable account of a job run, for assertion messages. */
export function describeRun(run: JobRun): string {
  return run.log.map((entry) => `--- ${entry.name} [${entry.status}]\n${entry.output.trim()}`).join('\n');
}
