/**
 * A mistake in src/config.ts. The message is the whole story (the setting, what it should be, what it is), so
 * the error carries no stack: Astro prints `err.stack` under an error thrown while it loads astro.config.mjs
 * ("Stack trace:", astro 7.3.5), which would bury the one line that matters.
 */
export class SiteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteConfigError';
    this.stack = '';
  }
}
