/**
 * Papers with code: those whose data names a code repository (HF `githubRepo`,
 * an http(s) URL), for /code/ and its feed. The repository arrives days after
 * the paper at times (a volatile field), so a paper can join the list late. Pure.
 */
import { githubRepoUrl } from '../render/paper-links.ts';
import type { Paper } from '../archive/schema.ts';
import { newestFirst } from './topics.ts';

/** The papers with a code repository, newest list day first, then most upvoted (the order of topic pages). */
export function papersWithCode(papers: Iterable<Paper>): Paper[] {
  return [...papers].filter((p) => githubRepoUrl(p) !== undefined).sort(newestFirst);
}
