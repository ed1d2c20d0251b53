/**
 * `npm run commit-content -- [options]`: stage the archive directory and, when
 * anything in it changed, commit exactly that with a message naming the list
 * days and counts (see src/archive/content-commit.ts). Commits nothing otherwise,
 * so runs that find nothing new leave no empty commits behind. The scheduled
 * workflow runs it after `npm run fetch` and pushes the result.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli.ts';
import { commitMessage, FetchSummarySchema, groupByDay, parseNameStatusZ, type DayState, type FetchSummary } from '../src/archive/content-commit.ts';
import { parseDayRecord } from '../src/archive/paper-file.ts';
import { dayRecordRelPath } from '../src/archive/paths.ts';
import type { DayRecord } from '../src/archive/schema.ts';
import { readDayRecord } from '../src/archive/store.ts';

const HELP = `Usage: npm run commit-content -- [options]

Stage the archive directory and commit it if anything changed; the message
names the list days with their new and updated papers.

  --repo DIR            the git repository (default: the current directory)
  --content-dir DIR     archive directory inside it (default content/papers)
  --summary-file FILE   the JSON written by \`npm run fetch -- --summary-file\`
                        (optional: adds the days that failed to the message)
  --dry-run             print the message, commit nothing
  -h, --help            show this help

Exit codes: 0 committed or nothing to commit, 1 git failed, 2 bad usage.`;

function git(repo: string, args: string[], input?: string): string {
  const result = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw new Error(`cannot run git: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** The day record as of the last commit, or undefined when it is new (or there is no commit yet). */
function previousDayRecord(repo: string, relPath: string): DayRecord | undefined {
  const result = spawnSync('git', ['-C', repo, 'show', `HEAD:${relPath}`], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) return undefined;
  try {
    return parseDayRecord(result.stdout);
  } catch {
    return undefined;
  }
}

function readSummary(file: string | undefined): FetchSummary | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    console.error(`commit-content: no fetch summary at ${file}; the message names only what changed`);
    return undefined;
  }
  try {
    const parsed = FetchSummarySchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: an unreadable summary must not block committing the papers
  }
  console.error(`commit-content: ignoring ${file}: not a fetch summary`);
  return undefined;
}

function main(): number {
  const parsed = parseCommandLine('commit-content', HELP, {
    args: process.argv.slice(2),
    options: {
      repo: { type: 'string' },
      'content-dir': { type: 'string' },
      'summary-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const repo = path.resolve(values.repo ?? '.');
  const contentRel = path.normalize(values['content-dir'] ?? 'content/papers').replace(/\/+$/, '');
  if (path.isAbsolute(contentRel) || contentRel.startsWith('..')) {
    console.error(`commit-content: --content-dir must be a directory inside the repository, got "${contentRel}"`);
    return 2;
  }
  const contentDir = path.join(repo, contentRel);

  try {
    // Only the archive is staged and committed; anything else in the work tree is left alone.
    git(repo, ['add', '--all', '--', contentRel]);
    const staged = git(repo, ['diff', '--cached', '--name-status', '--no-renames', '-z', `--relative=${contentRel}/`, '--', contentRel]);
    const changes = groupByDay(parseNameStatusZ(staged));
    if (changes.days.length === 0 && changes.other.length === 0) {
      console.log('commit-content: the archive did not change; nothing to commit');
      return 0;
    }
    const states = new Map<string, DayState>();
    for (const { day, recordChanged } of changes.days) {
      try {
        const record = readDayRecord(contentDir, day);
        if (!record) continue;
        const state: DayState = { listed: record.count, complete: record.complete, digestSent: record.digestSentAt !== null };
        if (recordChanged) {
          const before = previousDayRecord(repo, `${contentRel}/${dayRecordRelPath(day)}`);
          if (before) state.before = { complete: before.complete, digestSent: before.digestSentAt !== null };
        } else {
          state.before = { complete: state.complete, digestSent: state.digestSent };
        }
        states.set(day, state);
      } catch {
        // An unreadable record only costs the message its counts; the site build reports it.
      }
    }
    const message = commitMessage(changes, states, readSummary(values['summary-file']));
    if (values['dry-run']) {
      console.log(message);
      git(repo, ['reset', '--quiet', '--', contentRel]);
      return 0;
    }
    git(repo, ['commit', '--quiet', '--file=-', '--', contentRel], message);
    console.log(`commit-content: committed ${git(repo, ['rev-parse', '--short', 'HEAD']).trim()}\n${message}`);
    return 0;
  } catch (error) {
    console.error(`commit-content: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
