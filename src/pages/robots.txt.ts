/** robots.txt: everything may be crawled; points to the sitemap (absolute, base path kept). */
import type { APIRoute } from 'astro';
import { absoluteUrl } from '../site/urls.ts';

export const GET: APIRoute = ({ site }) =>
  new Response(`User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(String(site ?? 'http://localhost:4321'), import.meta.env.BASE_URL, 'sitemap.xml')}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
