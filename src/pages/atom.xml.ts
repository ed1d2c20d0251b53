import type { APIRoute } from 'astro';
import { renderAtom } from '../feeds/atom.ts';
import { paperFeedDocument, feedResponse } from '../feeds/documents.ts';

/** Atom 1.0 (RFC 4287), see src/feeds/. */
export const GET: APIRoute = async ({ site }) =>
  feedResponse(renderAtom(await paperFeedDocument(site, import.meta.env.BASE_URL)), 'application/atom+xml');
