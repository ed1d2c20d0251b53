/** /weekly/atom.xml: one entry per ISO week once its ranking is final (src/feeds/discovery-feeds.ts). */
import type { APIRoute } from 'astro';
import { siteConfig } from '../../config.ts';
import { getDiscovery } from '../../site/discovery.ts';
import { buildWeeklyFeed } from '../../feeds/discovery-feeds.ts';
import { renderAtom } from '../../feeds/atom.ts';
import { feedResponse, feedSite } from '../../feeds/documents.ts';

export const GET: APIRoute = async ({ site }) => {
  const { weeks } = await getDiscovery();
  const doc = buildWeeklyFeed(feedSite(site, import.meta.env.BASE_URL), weeks, siteConfig.weeklyFeedWeeks);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
