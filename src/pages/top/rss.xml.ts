import type { APIRoute } from 'astro';
import { feedResponse, topFeedDocument } from '../../feeds/documents.ts';
import { renderRss } from '../../feeds/rss.ts';

/** Only the best, RSS 2.0 (src/feeds/scoped.ts). */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(await renderRss(await topFeedDocument(site, import.meta.env.BASE_URL)), 'application/rss+xml');
