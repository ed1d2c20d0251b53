/**
 * The worker thread of EarlyLinks (output-cache-links.ts): places `[from, to]` pairs as they arrive and,
 * when told it is done, answers with how many it copied and the first error. After an error it places
 * nothing more (the build fails with that error).
 */
import { parentPort } from 'node:worker_threads';
import { Linker, type LinkResult } from './output-cache-linker.ts';

const linker = new Linker();
let error: string | undefined;

parentPort!.on('message', (message: { pairs?: [string, string][]; done?: boolean }) => {
  if (message.done) {
    const result: LinkResult = { copies: linker.copies, error };
    parentPort!.postMessage(result);
    return;
  }
  if (error) return;
  try {
    for (const [from, to] of message.pairs ?? []) linker.place(from, to);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
});
