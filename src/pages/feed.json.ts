import type { APIRoute } from 'astro';
import { paperFeedDocument, feedResponse } from '../feeds/documents.ts';
import { renderJsonFeed } from '../feeds/json-feed.ts';

/** JSON Feed 1.1, see src/feeds/. */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderJsonFeed(await paperFeedDocument(site, import.meta.env.BASE_URL)), 'application/feed+json');
