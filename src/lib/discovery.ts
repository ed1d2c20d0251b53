/**
 * Glue between the build and the pure discovery modules: topics,
 * organizations and weeks of this build's archive, computed once and shared
 * by every page and endpoint (like src/lib/content.ts for the archive).
 */
import { siteConfig } from '../config.ts';
import { papersWithCode } from './code.ts';
import { getSiteContent } from './content.ts';
import { buildMonthBests, type MonthBest } from './months.ts';
import { buildOrganizations, type OrganizationIndex } from './orgs.ts';
import { buildRelated, type RelatedIndex } from './related.ts';
import type { Paper } from './schema.ts';
import { buildTopics, type TopicIndex } from './topics.ts';
import { buildWeeks, referenceTime, type Week } from './weeks.ts';

export interface Discovery {
  topics: TopicIndex;
  orgs: OrganizationIndex;
  /** Newest first. */
  weeks: Week[];
  /** What "now" is for week finality in this build (PAPERBOY_BUILD_TIME or the clock at first use). */
  now: Date;
  /** Months with papers and their best, newest first (final by the weeks' rule, with the same `now`). */
  months: MonthBest[];
  /** Each paper's related papers (src/lib/related.ts). */
  related: RelatedIndex;
  /** Papers with a code repository, newest first (/code/). */
  withCode: Paper[];
}

let loading: Promise<Discovery> | undefined;

async function load(): Promise<Discovery> {
  const { archive } = await getSiteContent();
  const papers = [...archive.byId.values()];
  const now = referenceTime();
  return {
    topics: buildTopics(papers, { minPapers: siteConfig.minTopicPapers, maxTopics: siteConfig.maxTopics }),
    orgs: buildOrganizations(papers),
    weeks: buildWeeks(archive, siteConfig.weeklyTopPapers, now),
    now,
    months: buildMonthBests(archive, siteConfig.monthlyTopPapers, now),
    related: buildRelated(archive.days, siteConfig.relatedPapers),
    withCode: papersWithCode(papers),
  };
}

export function getDiscovery(): Promise<Discovery> {
  loading ??= load();
  return loading;
}
