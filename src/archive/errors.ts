/**
 * Errors as users read them: one line, no stack trace. Shared by the content
 * readers (paper-file.ts), the build's loaders and the search worker.
 */

/** An error as one line: a schema error as its issues (zod's message is multi-line JSON). */
export function oneLine(error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  const text =
    Array.isArray(issues) && issues.length > 0
      ? issues.map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`).join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  // Control characters too: a reason can quote the file, and the line goes to a terminal or a CI log.
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/**
 * A content file that cannot be read as what it should be. The message is the whole story (the file, what it
 * should be, why not), so the error carries no stack: Astro prints `err.stack` under every error thrown from a
 * loader ("Stack trace:", astro 7.3.5 core/messages/runtime.js), which would bury the one line that matters.
 */
export class ContentFileError extends Error {
  /** The file as the caller named it (relative or absolute), when it named one. */
  readonly file: string | undefined;
  /** One line: why the file was refused. */
  readonly reason: string;

  constructor(what: string, reason: string, file?: string) {
    super(file === undefined ? reason : `${file}: not a valid ${what}: ${reason}`);
    this.name = 'ContentFileError';
    this.file = file;
    this.reason = reason;
    this.stack = '';
  }
}
