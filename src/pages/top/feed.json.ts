import type { APIRoute } from 'astro';
import { feedResponse, topFeedDocument } from '../../feeds/documents.ts';
import { renderJsonFeed } from '../../feeds/json-feed.ts';

/** Only the best, JSON Feed 1.1 (src/feeds/scoped.ts). */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderJsonFeed(await topFeedDocument(site, import.meta.env.BASE_URL)), 'application/feed+json');
