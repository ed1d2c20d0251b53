/**
 * What every command-line script here does the same way: strict options,
 * `-h`/`--help`, and a mistake in the call reported as one line with exit
 * code 2 (never a stack trace).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how a command was called: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export function reportUsageError(command: string, error: UsageError): void {
  console.error(`${command}: ${error.message} (see --help)`);
}

/**
 * Parse the options (`-h/--help` is added). Returns the parsed options, or an
 * exit code when the command should stop here: 0 after printing `help`, 2
 * after reporting an unknown or malformed option.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(command: string, help: string, config: T): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs({ ...config, strict: true, options: { ...config.options, help: { type: 'boolean', short: 'h' } } }) as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    reportUsageError(command, new UsageError((error as Error).message.split('\n')[0] ?? String(error)));
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    return 0;
  }
  return parsed;
}
