import type { APIRoute } from 'astro';
import { feedResponse, topFeedDocument } from '../../lib/feeds/documents.ts';
import { renderJsonFeed } from '../../lib/feeds/json-feed.ts';

/** Only the best, JSON Feed 1.1 (src/lib/feeds/scoped.ts). */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderJsonFeed(await topFeedDocument(site, import.meta.env.BASE_URL)), 'application/feed+json');
