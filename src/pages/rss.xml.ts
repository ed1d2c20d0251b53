import type { APIRoute } from 'astro';
import { paperFeedDocument, feedResponse } from '../feeds/documents.ts';
import { renderRss } from '../feeds/rss.ts';

/** RSS 2.0 (built with @astrojs/rss), see src/feeds/. */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(await renderRss(await paperFeedDocument(site, import.meta.env.BASE_URL)), 'application/rss+xml');
