import type { APIRoute } from 'astro';
import { getDiscovery } from '../site/discovery.ts';
import { feedResponse, feedSite } from '../feeds/documents.ts';
import { renderOrgsOpml } from '../feeds/opml.ts';

/** OPML 2.0 list of every organization feed. */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderOrgsOpml(feedSite(site, import.meta.env.BASE_URL), (await getDiscovery()).orgs.orgs), 'text/x-opml');
