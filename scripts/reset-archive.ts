/**
 * `npm run reset-archive -- --yes`: start a copy from an empty archive instead
 * of the inherited one. Removes the paper files and day records under the
 * content directory (only files with the archive's own names and layout;
 * anything else is left alone and listed), then prunes the emptied day
 * directories. Without --yes it only says what it would remove.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli.ts';
import { dayRecordRelPath, paperRelPath, resolveInside } from '../src/archive/paths.ts';
import { scanArchive } from '../src/archive/store.ts';

const HELP = `Usage: npm run reset-archive -- --yes [--content-dir DIR]

Remove every archived paper and day record, to start from an empty archive.

  --yes                 really remove them (without it: only report)
  --content-dir DIR     archive directory (default content/papers)
  -h, --help            show this help

Only YYYY/MM/DD/<arxiv-id>.md and YYYY/MM/DD/day.json files are removed;
anything else in the directory is kept. Commit and push the result yourself.
Exit codes: 0 removed, 1 not confirmed (nothing removed), 2 bad usage.`;

function removeEmptyDirs(dir: string, root: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.isSymbolicLink()) removeEmptyDirs(path.join(dir, entry.name), root);
  }
  if (dir !== root && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

function listLeftovers(dir: string, root: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.isSymbolicLink()) listLeftovers(full, root, out);
    else if (entry.name !== '.gitkeep') out.push(path.relative(root, full));
  }
}

function main(): number {
  const parsed = parseCommandLine('reset-archive', HELP, {
    args: process.argv.slice(2),
    options: {
      yes: { type: 'boolean' },
      'content-dir': { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const root = path.resolve(values['content-dir'] ?? 'content/papers');
  if (!fs.existsSync(root)) {
    console.log(`reset-archive: ${root} does not exist: the archive is already empty.`);
    return 0;
  }
  const index = scanArchive(root);
  const files = [
    ...[...index.paperDays].map(([id, day]) => resolveInside(root, paperRelPath(day, id))),
    ...[...index.recordDays].map((day) => resolveInside(root, dayRecordRelPath(day))),
  ];
  const summary = `${index.paperDays.size} papers and ${index.recordDays.size} day records in ${root}`;
  if (!values.yes) {
    console.log(`reset-archive: would remove ${summary}.\nNothing removed: add --yes to remove them (npm run reset-archive -- --yes).`);
    return 1;
  }
  for (const file of files) fs.rmSync(file, { force: true });
  removeEmptyDirs(root, root);
  // Keep the (now empty) directory in git, so a checkout still has the archive's place.
  fs.writeFileSync(path.join(root, '.gitkeep'), '');

  const leftovers: string[] = [];
  listLeftovers(root, root, leftovers);
  console.log(`reset-archive: removed ${summary}.`);
  if (leftovers.length) {
    console.log(`Kept ${leftovers.length} file(s) that are not archive files: ${leftovers.slice(0, 10).join(', ')}${leftovers.length > 10 ? ', …' : ''}`);
  }
  const rel = path.relative(process.cwd(), root) || '.';
  console.log(
    [
      '',
      'Next:',
      `  git add --all ${rel} && git commit -m "Start from an empty archive" && git push`,
      'The scheduled workflow then fetches today and yesterday; older days can be backfilled from',
      'Actions -> Daily papers -> Run workflow (from / to). If your site is already online with more papers,',
      'run the workflow by hand once with "allow_fewer_papers" checked: the deploy guard refuses otherwise.',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = main();
