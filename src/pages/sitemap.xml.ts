/** sitemap.xml: every page of the archive, absolute URLs with the base path. */
import type { APIRoute } from 'astro';
import { getSiteContent } from '../site/content.ts';
import { getDiscovery } from '../site/discovery.ts';
import { sitemapXml } from '../site/sitemap.ts';

export const GET: APIRoute = async ({ site }) => {
  const { archive } = await getSiteContent();
  const body = sitemapXml(archive, String(site ?? 'http://localhost:4321'), import.meta.env.BASE_URL, await getDiscovery());
  return new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
