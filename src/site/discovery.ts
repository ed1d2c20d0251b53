/**
 * Glue between the build and the pure discovery modules: topics,
 * organizations and weeks of this build's archive, computed once and shared
 * by every page and endpoint (like src/site/content.ts for the archive).
 */
import { siteConfig } from '../config.ts';
import { papersWithCode } from '../discovery/code.ts';
import { getSiteContent } from './content.ts';
import type { Discovery } from '../discovery/model.ts';
import { buildMonthBests } from '../discovery/months.ts';
import { buildOrganizations } from '../discovery/orgs.ts';
import { buildRelated } from '../discovery/related.ts';
import { buildTopics } from '../discovery/topics.ts';
import { buildWeeks, referenceTime } from '../discovery/weeks.ts';

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
