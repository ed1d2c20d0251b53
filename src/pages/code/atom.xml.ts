/** /code/atom.xml: the papers with code of the recent list days (src/feeds/scoped.ts). */
import type { APIRoute } from 'astro';
import { siteConfig } from '../../config.ts';
import { getSiteContent } from '../../site/content.ts';
import { renderAtom } from '../../feeds/atom.ts';
import { feedResponse, feedSite } from '../../feeds/documents.ts';
import { buildCodeFeed } from '../../feeds/scoped.ts';

export const GET: APIRoute = async ({ site }) => {
  const { archive, abstracts } = await getSiteContent();
  const doc = buildCodeFeed(feedSite(site, import.meta.env.BASE_URL), archive, siteConfig.feedDays, (paper) => abstracts.get(paper.id) ?? '');
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
