import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure modules, seconds: `npm run test:unit`) and `integration` (site builds, the
 * command-line tools, the workflow's steps and the browser tests). `npm test` runs both. Test folders
 * mirror src/; tests/architecture checks that every test file belongs to exactly one project.
 */
export const UNIT_TEST_DIRS = ['architecture', 'archive', 'ingest', 'site', 'discovery', 'render', 'feeds', 'search', 'digest', 'integrations'];
export const INTEGRATION_TEST_DIRS = ['build', 'cli', 'e2e', 'workflows'];

const include = (dirs: string[]) => dirs.map((dir) => `tests/${dir}/**/*.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'unit', include: include(UNIT_TEST_DIRS) } },
      { extends: true, test: { name: 'integration', include: include(INTEGRATION_TEST_DIRS) } },
    ],
  },
});
