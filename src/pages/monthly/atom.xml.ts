/** /monthly/atom.xml: one entry per month once its ranking is final (src/feeds/monthly.ts). */
import type { APIRoute } from 'astro';
import { siteConfig } from '../../config.ts';
import { getDiscovery } from '../../site/discovery.ts';
import { renderAtom } from '../../feeds/atom.ts';
import { feedResponse, feedSite } from '../../feeds/documents.ts';
import { buildMonthlyFeed } from '../../feeds/monthly.ts';

export const GET: APIRoute = async ({ site }) => {
  const { months } = await getDiscovery();
  const doc = buildMonthlyFeed(feedSite(site, import.meta.env.BASE_URL), months, siteConfig.monthlyFeedMonths);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
