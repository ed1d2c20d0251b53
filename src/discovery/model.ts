/**
 * What discovery knows about one build's archive (topics, organizations, weeks, months, related papers...).
 * A type only, so that page models depend on it and not on the loader that computes it
 * (src/site/discovery.ts).
 */
import type { Paper } from '../archive/schema.ts';
import type { MonthBest } from './months.ts';
import type { OrganizationIndex } from './orgs.ts';
import type { RelatedIndex } from './related.ts';
import type { TopicIndex } from './topics.ts';
import type { Week } from './weeks.ts';

export interface Discovery {
  topics: TopicIndex;
  orgs: OrganizationIndex;
  /** Newest first. */
  weeks: Week[];
  /** What "now" is for week finality in this build (PAPERBOY_BUILD_TIME or the clock at first use). */
  now: Date;
  /** Months with papers and their best, newest first (final by the weeks' rule, with the same `now`). */
  months: MonthBest[];
  /** Each paper's related papers (src/discovery/related.ts). */
  related: RelatedIndex;
  /** Papers with a code repository, newest first (/code/). */
  withCode: Paper[];
}
