/** Hard links or copies of cache entries into the site, for the incremental build (output-cache-links.ts). */
import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const LINK_UNSUPPORTED = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'EOPNOTSUPP']);

/** Hard links `from` at `to`, or copies it where links are not possible (then and for the rest of the build). */
export class Linker {
  copies = 0;
  #link = true;
  #dirs = new Set<string>();

  place(from: string, to: string): void {
    const dir = dirname(to);
    if (!this.#dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.#dirs.add(dir);
    }
    if (this.#link) {
      try {
        linkSync(from, to);
        return;
      } catch (error) {
        if (!LINK_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        this.#link = false;
      }
    }
    copyFileSync(from, to);
    this.copies++;
  }
}

/** What the worker did: files copied instead of linked, and the first error, if any. */
export interface LinkResult {
  copies: number;
  error: string | undefined;
}

