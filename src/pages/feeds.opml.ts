import type { APIRoute } from 'astro';
import { feedResponse, feedSite } from '../feeds/documents.ts';
import { renderOpml } from '../feeds/opml.ts';

/** OPML 2.0 list of every site-wide feed, for importing them into a reader in one step. */
export const GET: APIRoute = ({ site }) => feedResponse(renderOpml(feedSite(site, import.meta.env.BASE_URL)), 'text/x-opml');
