/**
 * Putting cache entries into the site for the incremental build (src/integrations/output-cache.ts): a hard
 * link, or a copy where links are not possible. The unchanged pages are placed by a worker thread as soon as
 * their route has decided (renderChanged), while the main thread goes on rendering the changed ones: a
 * daily build places ~100,000 files into ~50,000 new directories, and in a warm build the second core is
 * otherwise idle (the search shards come from the cache).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LinkResult } from './output-cache-linker.ts';

/** Where the entry `name` lives under `entriesDir` (its first two hex digits name the subdirectory). */
export function entryPath(entriesDir: string, name: string): string {
  return join(entriesDir, name.slice(0, 2), name.slice(2));
}

/** The worker thread that places entries: `place` sends it work, `finish` waits until all of it is done. */
export class EarlyLinks {
  #worker: Worker;
  #result: Promise<LinkResult>;
  placed = 0;

  constructor() {
    this.#worker = new Worker(new URL('./output-cache-link-worker.ts', import.meta.url));
    // A build that fails before astro:build:done must not be kept alive by this thread.
    this.#worker.unref();
    this.#result = new Promise((resolve, reject) => {
      this.#worker.once('message', (message: LinkResult) => resolve(message));
      this.#worker.once('error', reject);
      this.#worker.once('exit', (code) => reject(new Error(`the incremental build's link worker stopped (exit code ${code}) before it was done`)));
    });
    // Never an unhandled rejection: finish() reports it.
    this.#result.catch(() => {});
  }

  /** Link (or copy) each `[from, to]`; runs on the worker, in the order given. */
  place(pairs: [string, string][]): void {
    if (pairs.length === 0) return;
    this.placed += pairs.length;
    this.#worker.postMessage({ pairs });
  }

  /** Waits for everything sent so far; throws the worker's first error. */
  async finish(): Promise<number> {
    this.#worker.ref();
    this.#worker.postMessage({ done: true });
    try {
      const { copies, error } = await this.#result;
      if (error) throw new Error(`incremental build: placing cached pages failed: ${error}`);
      return copies;
    } finally {
      await this.#worker.terminate();
    }
  }
}
