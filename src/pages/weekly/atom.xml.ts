/** /weekly/atom.xml: one entry per ISO week once its ranking is final (src/lib/discovery-data.ts). */
import type { APIRoute } from 'astro';
import { siteConfig } from '../../config.ts';
import { getDiscovery } from '../../lib/discovery.ts';
import { buildWeeklyFeed } from '../../lib/discovery-data.ts';
import { renderAtom } from '../../lib/feeds/atom.ts';
import { feedResponse, feedSite } from '../../lib/feeds/documents.ts';

export const GET: APIRoute = async ({ site }) => {
  const { weeks } = await getDiscovery();
  const doc = buildWeeklyFeed(feedSite(site, import.meta.env.BASE_URL), weeks, siteConfig.weeklyFeedWeeks);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
