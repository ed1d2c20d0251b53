import type { APIRoute } from 'astro';
import { getDiscovery } from '../site/discovery.ts';
import { feedResponse, feedSite } from '../feeds/documents.ts';
import { renderTopicsOpml } from '../feeds/opml.ts';

/** OPML 2.0 list of every topic feed, to follow them all (or import and prune) in one step. */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderTopicsOpml(feedSite(site, import.meta.env.BASE_URL), (await getDiscovery()).topics.topics), 'text/x-opml');
