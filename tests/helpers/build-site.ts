/**
 * Build the site from an archive directory into a private temp directory, the
 * way CI and a fork's workflow do (`astro build` with the deployment variables
 * in the environment). Builds are memoised per (contentDir, base, site) within
 * one test process: several test files describing the same build share it.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const ASTRO_BIN = join(PROJECT_ROOT, 'node_modules/.bin/astro');
export const FIXTURE_ARCHIVE = join(PROJECT_ROOT, 'tests/fixtures/archive');

export interface BuildOptions {
  /** Archive to build (PAPERBOY_CONTENT_DIR). */
  contentDir: string;
  /** BASE_PATH, e.g. `/paperboy/` or `/`. */
  base: string;
  /** SITE_URL, e.g. `https://example.github.io`. */
  site: string;
  /** Where to write the site (keep it inside the project, see BUILD_PARENT); a fresh directory when omitted. */
  outDir?: string;
  /** Astro's cache directory (content store, incremental-build cache); a fresh one when omitted. Pass one to build warm. */
  cacheDir?: string;
  /** The project to build (a copy from `projectWithConfig`); this project when omitted. */
  projectRoot?: string;
}

export interface BuiltSite {
  outDir: string;
  stdout: string;
  /** The environment the build ran with; `astro preview` needs the same one. */
  env: NodeJS.ProcessEnv;
}

/**
 * Build output must live inside the project: for an outDir outside the working directory astro
 * puts its prerender bundle in the shared `<project>/.astro/.prerender/`, where concurrent builds
 * (other test files, the benchmark) delete each other's chunks (ERR_MODULE_NOT_FOUND mid-build).
 */
export const BUILD_PARENT = join(PROJECT_ROOT, 'node_modules/.cache/paperboy-test-builds');
/** Test builds finish within minutes; anything this old under BUILD_PARENT was left by a killed run. */
const STALE_MS = 3 * 60 * 60 * 1000;

const builds = new Map<string, Promise<BuiltSite>>();
const tempDirs = new Set<string>();

/**
 * Remove every build and temp directory this process made (call it in afterAll). Vitest ends its
 * workers without a normal process exit, so the exit hook below is only a fallback.
 */
export function removeBuilds(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  builds.clear();
}
process.once('exit', removeBuilds);

function pruneStaleBuilds(): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(BUILD_PARENT);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(BUILD_PARENT, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by its owner
    }
  }
}

/** A directory removed by removeBuilds() (under BUILD_PARENT by default). */
export function makeTempDir(prefix: string, parent = BUILD_PARENT): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, prefix));
  tempDirs.add(dir);
  return dir;
}

/** The environment for `astro build` / `astro preview` of one archive under one base path. */
export function siteEnv(options: { contentDir: string; base: string; site: string; cacheDir: string }): NodeJS.ProcessEnv {
  // Vitest puts Vite's own variables into process.env (BASE_URL=/, MODE=test, NODE_ENV=test, DEV, SSR...);
  // a child astro would read them as its import.meta.env and build every link without the base path.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(BASE_URL|MODE|DEV|PROD|SSR|TEST|NODE_ENV|FORCE_TTY|VITEST.*)$/.test(key),
    ),
  );
  return {
    ...inherited,
    PAPERBOY_CONTENT_DIR: resolve(options.contentDir),
    BASE_PATH: options.base,
    SITE_URL: options.site,
    // Concurrent builds must not share a content cache.
    PAPERBOY_CACHE_DIR: options.cacheDir,
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/**
 * A copy of this project whose src/config.ts ends by assigning `overrides` to `siteConfig`, to build the
 * site with settings a fork would make (node_modules is linked, not copied). Removed by removeBuilds().
 */
export function projectWithConfig(overrides: Record<string, unknown>): string {
  // Outside node_modules: Node does not strip types from .ts files under a node_modules path.
  const root = makeTempDir('paperboy-project-', tmpdir());
  for (const entry of ['src', 'scripts', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(PROJECT_ROOT, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  appendFileSync(join(root, 'src/config.ts'), `\nObject.assign(siteConfig, ${JSON.stringify(overrides)});\n`);
  return root;
}

/** Run the astro CLI with `node` from PATH; resolve with its combined output, reject with it on failure. */
export function runAstro(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000, cwd = PROJECT_ROOT): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('node', [ASTRO_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start astro ${args.join(' ')}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else reject(new Error(`astro ${args.join(' ')} failed (exit ${code ?? signal}):\n${output}`));
    });
  });
}

export function buildSite(options: BuildOptions): Promise<BuiltSite> {
  const key = JSON.stringify([resolve(options.contentDir), options.base, options.site, options.outDir ?? null, options.cacheDir ?? null, options.projectRoot ?? null]);
  let build = builds.get(key);
  if (!build) {
    build = (async () => {
      pruneStaleBuilds();
      const outDir = options.outDir ?? makeTempDir('dist-');
      const cacheDir = options.cacheDir ?? makeTempDir('cache-');
      const env = siteEnv({ ...options, cacheDir });
      const stdout = await runAstro(['build', '--outDir', outDir], env, undefined, options.projectRoot);
      return { outDir, stdout, env };
    })();
    // A failed build is not cached: the next caller sees a fresh attempt and its output.
    build.catch(() => builds.delete(key));
    builds.set(key, build);
  }
  return build;
}
