import type { APIRoute } from 'astro';
import { renderAtom } from '../../lib/feeds/atom.ts';
import { feedResponse, topFeedDocument } from '../../lib/feeds/documents.ts';

/** Only the best, Atom 1.0 (src/lib/feeds/scoped.ts). */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderAtom(await topFeedDocument(site, import.meta.env.BASE_URL)), 'application/atom+xml');
