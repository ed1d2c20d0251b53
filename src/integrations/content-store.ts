/**
 * Builds read the content store from its file instead of carrying it inside the server bundle.
 *
 * Astro 7.3.5 turns the content store (`<cacheDir>/data-store.json`) into one JavaScript module,
 * `export default JSON.parse("<the whole file as a string literal>")`, and bundles it with the pages. For a
 * large archive bundling it was the build's memory peak, and the module's source stayed in memory while the
 * pages rendered (figures in docs/benchmark.md). A static build renders its pages on this machine
 * straight after bundling, from that same file, so the module can read the file when the pages render
 * instead: same data, same parser.
 * `astro dev` is left alone (it watches the store and reloads it).
 */
import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The id Astro resolves `astro:data-layer-content` to (astro/dist/content/consts.js). */
export const RESOLVED_CONTENT_STORE_ID = '\0astro:data-layer-content';

/** The file Astro's content layer saves the store to in a build (astro/dist/content/paths.js). */
export function contentStoreFile(cacheDir: URL): string {
  return fileURLToPath(new URL('data-store.json', cacheDir));
}

/** The module that stands in for the bundled store: it parses the store file when first imported. */
export function contentStoreModule(storeFile: string): string {
  return [
    "import { readFileSync } from 'node:fs';",
    `export default JSON.parse(readFileSync(${JSON.stringify(storeFile)}, 'utf8'));`,
  ].join('\n');
}

export function contentStoreFromFileIntegration(): AstroIntegration {
  let storeFile: string | undefined;
  let served = false;
  return {
    name: 'paperboy-content-store-from-file',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig }) => {
        if (command !== 'build') return;
        storeFile = contentStoreFile(config.cacheDir);
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'paperboy-content-store-from-file',
                load: {
                  // 'pre': before Astro's own loader for this id, which would inline the file.
                  order: 'pre',
                  filter: { id: new RegExp(`^${RESOLVED_CONTENT_STORE_ID}$`) },
                  handler(id) {
                    // No store file (nothing synced yet): Astro's loader handles it (an empty store).
                    if (id !== RESOLVED_CONTENT_STORE_ID || !storeFile || !existsSync(storeFile)) return null;
                    served = true;
                    return { code: contentStoreModule(storeFile), map: { mappings: '' } };
                  },
                },
              },
            ],
          },
        });
      },
      // Said in every build log, so that an Astro upgrade that renames the module cannot undo this unnoticed.
      'astro:build:done': ({ logger }) => {
        if (!storeFile) return;
        if (served) logger.info(`pages read the content store from ${storeFile}, not from a bundled copy`);
        else logger.warn(`the content store was bundled into the server build (Astro did not load ${JSON.stringify(RESOLVED_CONTENT_STORE_ID.slice(1))} through this integration): large archives need more memory; see src/integrations/content-store.ts`);
      },
    },
  };
}
