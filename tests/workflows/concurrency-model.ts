/**
 * GitHub's concurrency rules as documented ("Control the concurrency of
 * workflows and jobs"): in a group at most one run is in progress; a run that
 * arrives meanwhile waits. With `queue: single` (the default) a group keeps
 * one pending run and a newer one cancels it; with `queue: max` up to 100 wait,
 * first in first out, and a run arriving at a full queue is cancelled.
 * `cancel-in-progress: true` cancels the running one instead. Used to check
 * what daily.yml's concurrency does to a sequence of triggers.
 */
import { interpolate, type Contexts } from './run-workflow.ts';
import type { Workflow } from './workflow-files.ts';

export const MAX_QUEUE = 100;

export interface ConcurrencySpec {
  group: string;
  cancelInProgress: boolean;
  queue: 'single' | 'max';
}

type Raw = { group: string; 'cancel-in-progress'?: boolean | string; queue?: string } | string | undefined;

/** The workflow-level concurrency of a run started by `github.event_name`, expressions evaluated; undefined: none. */
export function concurrencyFor(workflow: Workflow, github: Record<string, string>, inputs: Contexts['inputs'] = {}): ConcurrencySpec | undefined {
  const raw = workflow.concurrency as Raw;
  if (raw === undefined) return undefined;
  const contexts: Contexts = { inputs, github, runner: {}, steps: {}, needs: {} };
  if (typeof raw === 'string') return { group: interpolate(raw, contexts), cancelInProgress: false, queue: 'single' };
  const queue = raw.queue ?? 'single';
  if (queue !== 'single' && queue !== 'max') throw new Error(`concurrency.queue must be single or max, got ${queue}`);
  const cancelInProgress = String(interpolate(raw['cancel-in-progress'] ?? false, contexts)) === 'true';
  if (queue === 'max' && cancelInProgress) throw new Error('queue: max cannot be combined with cancel-in-progress: true');
  return { group: interpolate(raw.group, contexts).toLowerCase(), cancelInProgress, queue };
}

export interface ModelRun {
  id: string;
  spec: ConcurrencySpec | undefined;
}

export type RunState = 'running' | 'pending' | 'cancelled' | 'done';

export class ConcurrencyModel {
  readonly state = new Map<string, RunState>();
  /** Runs in progress at the same time, at the most. */
  maxRunning = 0;
  /** The order runs started in. */
  readonly started: string[] = [];
  private readonly groups = new Map<string, { running?: ModelRun; pending: ModelRun[] }>();
  private readonly specs = new Map<string, ConcurrencySpec | undefined>();

  trigger(run: ModelRun): void {
    this.specs.set(run.id, run.spec);
    if (!run.spec) return this.start(run);
    const group = this.groups.get(run.spec.group) ?? { pending: [] };
    this.groups.set(run.spec.group, group);
    if (!group.running) {
      group.running = run;
      return this.start(run);
    }
    if (run.spec.cancelInProgress) {
      this.state.set(group.running.id, 'cancelled');
      for (const waiting of group.pending) this.state.set(waiting.id, 'cancelled');
      group.pending = [];
      group.running = run;
      return this.start(run);
    }
    if (run.spec.queue === 'single') {
      for (const waiting of group.pending) this.state.set(waiting.id, 'cancelled');
      group.pending = [run];
    } else if (group.pending.length >= MAX_QUEUE) {
      this.state.set(run.id, 'cancelled');
      return;
    } else {
      group.pending.push(run);
    }
    this.state.set(run.id, 'pending');
  }

  finish(id: string): void {
    if (this.state.get(id) !== 'running') throw new Error(`${id} is not running`);
    this.state.set(id, 'done');
    const spec = this.specs.get(id);
    if (!spec) return;
    const group = this.groups.get(spec.group)!;
    group.running = group.pending.shift();
    if (group.running) this.start(group.running);
  }

  /** The runs in progress now. */
  running(): string[] {
    return [...this.state].filter(([, s]) => s === 'running').map(([id]) => id);
  }

  private start(run: ModelRun): void {
    this.state.set(run.id, 'running');
    this.started.push(run.id);
    this.maxRunning = Math.max(this.maxRunning, this.running().length);
  }
}
