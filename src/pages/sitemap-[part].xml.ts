/** sitemap-N.xml: the parts of a sitemap index, only for archives above 50,000 URLs (see src/site/sitemap.ts). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSiteContent } from '../site/content.ts';
import { getDiscovery } from '../site/discovery.ts';
import { sitemapChunks, urlsetXml } from '../site/sitemap.ts';

export const getStaticPaths = (async () => {
  const chunks = sitemapChunks((await getSiteContent()).archive, await getDiscovery());
  return chunks.length <= 1 ? [] : chunks.map((entries, i) => ({ params: { part: String(i + 1) }, props: { entries } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ site, props }) =>
  new Response(urlsetXml(props.entries, String(site ?? 'http://localhost:4321'), import.meta.env.BASE_URL), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  });
