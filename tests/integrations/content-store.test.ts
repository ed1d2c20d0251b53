/**
 * The stand-in for Astro's bundled content store (src/integrations/content-store.ts): the module it
 * generates must hand the pages exactly what the store file holds, wherever the cache directory lives.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { contentStoreFile, contentStoreModule } from '../../src/integrations/content-store.ts';
import { makeTempDir, removeBuilds } from '../helpers/build-site.ts';

afterAll(() => removeBuilds());

describe('content store read from its file', () => {
  it('names the file in the cache directory, spaces and all', () => {
    expect(contentStoreFile(new URL('file:///tmp/my%20fork/node_modules/.astro/'))).toBe(
      '/tmp/my fork/node_modules/.astro/data-store.json',
    );
  });

  it('exports the parsed store, even from a directory whose name has quotes, backslashes and a newline', async () => {
    const dir = makeTempDir(`paperboy it's "odd" \\ dir\n`);
    // The shape devalue writes: a flat array of values that point at each other by index.
    const store = [['Map', 1], 'papers', { title: 'Über <script> & “math” $x^2$ 🚀' }];
    const storeFile = join(dir, 'data-store.json');
    await writeFile(storeFile, JSON.stringify(store));
    // The module itself sits in a plain directory: only the store's path is written into its code.
    const moduleFile = join(makeTempDir('paperboy-store-module-'), 'store.mjs');
    await writeFile(moduleFile, contentStoreModule(storeFile));
    const loaded = (await import(pathToFileURL(moduleFile).href)) as { default: unknown };
    expect(loaded.default).toEqual(store);
  });
});
