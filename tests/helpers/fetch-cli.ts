/** Running the real fetch command in tests, and building API elements for scripted days. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FETCH = path.join(ROOT, 'scripts/fetch.ts');
export const recorded: any[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/api/fixture-days.json'), 'utf8'));
/** The real elements of the fixture (without the two made-up ones). */
export const realOnly = recorded.filter((e) => e.paper.id !== '2401.99999' && e.paper.id !== 'hep-th/9901001');
export const clone = <T>(v: T): T => structuredClone(v);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Asynchronous on purpose: the replay server lives in the test process and must keep answering.
 * The environment's GITHUB_STEP_SUMMARY is never inherited (a CI run must not get our tables).
 */
export function runFetch(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { ...process.env };
  delete base.GITHUB_STEP_SUMMARY;
  delete base.PAPERBOY_API_BASE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FETCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under `dir` (relative path -> mtime and content), to prove a run changed nothing. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isFile()) files.set(rel, `${fs.statSync(full).mtimeMs}:${fs.readFileSync(full, 'utf8')}`);
  }
  return files;
}

/** The arXiv-style id of synthetic paper `n` (< 1000) of `day`: 2024-03-04, 7 -> 2403.04007. */
export function syntheticId(day: string, n: number): string {
  return `${day.slice(2, 4)}${day.slice(5, 7)}.${day.slice(8, 10)}${String(n).padStart(3, '0')}`;
}

/**
 * A complete element for a made-up paper listed on `day`, modelled on a real one: every optional field
 * carries a value, so a test can tell a kept value from an erased one.
 */
export function syntheticElement(day: string, n: number, upvotes = 10 + (n % 17)): any {
  const e = clone(realOnly[n % realOnly.length]);
  const id = syntheticId(day, n);
  e.paper.id = id;
  e.paper.title = `Paper ${id}: a study`;
  e.title = e.paper.title;
  e.paper.summary = `We study ${id} and find $x^2$ results.`;
  e.summary = e.paper.summary;
  e.paper.authors = [{ _id: 'a1', name: `Ada ${n}`, hidden: false }, { _id: 'a2', name: 'Grace Hopper', hidden: false }];
  e.paper.publishedAt = new Date(Date.parse(`${day}T12:00:00.000Z`) - 86_400_000).toISOString();
  e.paper.submittedOnDailyAt = `${day}T00:00:00.000Z`;
  e.paper.upvotes = upvotes;
  e.numComments = 1 + (n % 5);
  e.paper.githubRepo = `https://github.com/example/${id.replace('.', '-')}`;
  e.paper.githubStars = 100 + n;
  e.paper.projectPage = `https://example.org/${id}`;
  e.paper.ai_summary = `Machine summary of ${id}.`;
  e.paper.ai_keywords = ['keyword one', `topic ${n % 3}`];
  e.thumbnail = `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`;
  e.paper.organization = { _id: 'o', name: 'example-org', fullname: 'Example Org' };
  e.organization = e.paper.organization;
  delete e.paper.withdrawnAt;
  return e;
}

/** `count` synthetic elements for one day, numbered from `first`. */
export function syntheticDay(day: string, count: number, first = 0): any[] {
  return Array.from({ length: count }, (_, i) => syntheticElement(day, first + i));
}
