/** /monthly/atom.xml: one entry per month once its ranking is final (src/lib/feeds/monthly.ts). */
import type { APIRoute } from 'astro';
import { siteConfig } from '../../config.ts';
import { getDiscovery } from '../../lib/discovery.ts';
import { renderAtom } from '../../lib/feeds/atom.ts';
import { feedResponse, feedSite } from '../../lib/feeds/documents.ts';
import { buildMonthlyFeed } from '../../lib/feeds/monthly.ts';

export const GET: APIRoute = async ({ site }) => {
  const { months } = await getDiscovery();
  const doc = buildMonthlyFeed(feedSite(site, import.meta.env.BASE_URL), months, siteConfig.monthlyFeedMonths);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
