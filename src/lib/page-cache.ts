/**
 * Cache keys for Astro's incremental build (`experimental.incrementalBuild`,
 * astro.config.mjs). A page whose `getStaticPaths` entry carries the same
 * `cacheKey` as in the previous build, and whose template code, config and
 * lockfile are unchanged (Astro checks those itself), is copied from the build
 * cache instead of rendered again: a daily build then renders only the pages
 * a new list day changes.
 *
 * The rule that keeps this correct: a cached page renders from its props only,
 * and its key is the hash of exactly those props. Nothing the page shows may
 * come from elsewhere (a module-level lookup, the clock, an environment
 * variable) unless the template code or Astro's config hash covers it.
 */
import { createHash } from 'node:crypto';

/** A short, stable hash of a JSON-serialisable value (object keys in insertion order, as the builders make them). */
export function cacheKeyOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27);
}
