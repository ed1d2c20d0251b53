import type { APIRoute } from 'astro';
import { renderAtom } from '../../feeds/atom.ts';
import { feedResponse, topFeedDocument } from '../../feeds/documents.ts';

/** Only the best, Atom 1.0 (src/feeds/scoped.ts). */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderAtom(await topFeedDocument(site, import.meta.env.BASE_URL)), 'application/atom+xml');
