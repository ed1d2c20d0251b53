/**
 * Run a workflow job's own steps locally, the way the runner would: every
 * `run:` script exactly as written in the YAML, under `bash -eo pipefail`,
 * with its `env:` expressions evaluated, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files, and step outputs flowing into later steps and jobs. `uses:` steps
 * are handed to stand-ins supplied by the test (checkout = a git clone,
 * configure-pages = a local "Pages" server...). Only the expressions the
 * workflows use are understood; anything else throws, so a workflow change
 * that this runner cannot follow fails loudly instead of being skipped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Step } from './workflow-files.ts';

export type Outputs = Record<string, string>;

export interface Contexts {
  inputs: Record<string, string | boolean>;
  github: Record<string, string>;
  runner: Record<string, string>;
  steps: Record<string, { outputs: Outputs; outcome: string }>;
  needs: Record<string, { outputs: Outputs; result: string }>;
  /** Repository secrets; an unset secret reads as an empty string, as on GitHub. */
  secrets?: Record<string, string>;
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
  result: 'success' | 'failure';
  /** Log of every step: its name, exit status and output. */
  log: { name: string; status: number | 'skipped' | 'action'; output: string }[];
  summary: string;
}

export interface RunJobOptions {
  job: Job;
  jobName: string;
  /** Directory the steps run in (the checkout); may be created by the checkout stand-in. */
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

/** Evaluate one expression body (what is inside `${{ }}`). */
export function evaluate(expression: string, contexts: Contexts, hashFiles: (pattern: string) => string = () => ''): string {
  const expr = expression.trim();
  let m: RegExpExecArray | null;
  if (PATH_RE.test(expr)) return lookup(expr, contexts);
  if ((m = /^format\('([^']*)',\s*([\w.-]+)\)$/.exec(expr))) return m[1]!.replace('{0}', lookup(m[2]!, contexts));
  if ((m = /^hashFiles\('([^']+)'\)$/.exec(expr))) return hashFiles(m[1]!);
  if ((m = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(expr))) {
    const equal = lookup(m[1]!, contexts) === m[3];
    return String(m[2] === '==' ? equal : !equal);
  }
  throw new Error(`run-workflow: cannot evaluate \${{ ${expr} }}`);
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
  const summaryFile = join(runnerTemp, `step-summary-${options.jobName}.md`);
  writeFileSync(summaryFile, '');
  const log: JobRun['log'] = [];
  let failed = false;

  for (const [index, step] of (job.steps ?? []).entries()) {
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index}`;
    if (step.if !== undefined && evaluate(String(step.if).replace(/^\$\{\{|\}\}$/g, ''), contexts) !== 'true') {
      log.push({ name, status: 'skipped', output: `if: ${step.if}` });
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
    if (step.id) contexts.steps[step.id] = { outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), outcome: status === 0 ? 'success' : 'failure' };
    if (status !== 0) {
      failed = true;
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, contexts)]));
  return { outputs, result: failed ? 'failure' : 'success', log, summary: readFileSync(summaryFile, 'utf8') };
}

/** A readable account of a job run, for assertion messages. */
export function describeRun(run: JobRun): string {
  return run.log.map((entry) => `--- ${entry.name} [${entry.status}]\n${entry.output.trim()}`).join('\n');
}
