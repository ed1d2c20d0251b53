/** The repository's GitHub Actions workflows, as text and parsed YAML, for the workflow tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../helpers/build-site.ts';

export const WORKFLOWS_DIR = join(PROJECT_ROOT, '.github/workflows');

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string | number | boolean>;
  with?: Record<string, string | number | boolean>;
  [key: string]: unknown;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  'runs-on'?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  outputs?: Record<string, string>;
  environment?: unknown;
  container?: unknown;
  uses?: string;
  steps?: Step[];
  [key: string]: unknown;
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean; queue?: string } | string;
  jobs: Record<string, Job>;
}

export interface WorkflowFile {
  file: string;
  text: string;
  workflow: Workflow;
}

export function workflowFiles(): WorkflowFile[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
      return { file, text, workflow: parse(text) as Workflow };
    });
}

export function loadWorkflow(file: string): WorkflowFile {
  const found = workflowFiles().find((w) => w.file === file);
  if (!found) throw new Error(`no workflow ${file} in ${WORKFLOWS_DIR}`);
  return found;
}
