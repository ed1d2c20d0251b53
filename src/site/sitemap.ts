/**
 * sitemap.xml for the archive: home, archive, years, months, list days,
 * paper pages and the discovery pages (topics, organizations, weeks,
 * papers with code, search), absolute URLs with the base path. One sitemap may hold at
 * most 50,000 URLs: a larger archive gets `sitemap.xml` as a sitemap index
 * over `sitemap-1.xml`, `sitemap-2.xml`...
 */
import type { Archive } from './archive.ts';
import { absoluteUrl, routes } from './urls.ts';

export const SITEMAP_URL_LIMIT = 50_000;

function xmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** The discovery pages of this build (first page of each; later pages are reached from it). */
export interface SitemapDiscovery {
  topics: { topics: readonly { slug: string }[] };
  orgs: { orgs: readonly { slug: string }[] };
  weeks: readonly { key: string }[];
}

export function sitemapPaths(archive: Archive, discovery?: SitemapDiscovery): SitemapEntry[] {
  const entries: SitemapEntry[] = [{ path: routes.home() }, { path: routes.archive() }, { path: routes.feeds() }];
  for (const year of archive.years) {
    entries.push({ path: routes.year(year.year) });
    for (const month of year.months) entries.push({ path: routes.month(month.year, month.month) });
  }
  for (const listDay of archive.days) {
    entries.push({ path: routes.day(listDay.day), lastmod: listDay.record?.updatedAt.slice(0, 10) });
  }
  for (const listDay of archive.days) {
    for (const paper of listDay.papers) {
      entries.push({ path: routes.paper(paper.id), lastmod: paper.updatedAt.slice(0, 10) });
    }
  }
  if (discovery) {
    entries.push({ path: routes.search() }, { path: routes.topics() }, { path: routes.orgs() }, { path: routes.weeks() }, { path: routes.code() });
    for (const topic of discovery.topics.topics) entries.push({ path: routes.topic(topic.slug) });
    for (const org of discovery.orgs.orgs) entries.push({ path: routes.org(org.slug) });
    for (const week of discovery.weeks) entries.push({ path: routes.week(week.key) });
  }
  return entries;
}

export type SitemapEntry = { path: string; lastmod?: string | undefined };

/** The entries split into sitemaps of at most `limit` URLs. */
export function sitemapChunks(archive: Archive, discovery?: SitemapDiscovery, limit = SITEMAP_URL_LIMIT): SitemapEntry[][] {
  const entries = sitemapPaths(archive, discovery);
  const chunks: SitemapEntry[][] = [];
  for (let i = 0; i < entries.length; i += limit) chunks.push(entries.slice(i, i + limit));
  return chunks;
}

export function sitemapPartPath(part: number): string {
  return `sitemap-${part}.xml`;
}

export function urlsetXml(entries: readonly SitemapEntry[], site: string, base: string): string {
  const urls = entries.map(({ path, lastmod }) => {
    const loc = `<loc>${xmlText(absoluteUrl(site, base, path))}</loc>`;
    return `<url>${loc}${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** sitemap.xml: every URL, or an index of the parts when there are more than `limit`. */
export function sitemapXml(archive: Archive, site: string, base: string, discovery?: SitemapDiscovery, limit = SITEMAP_URL_LIMIT): string {
  const chunks = sitemapChunks(archive, discovery, limit);
  if (chunks.length <= 1) return urlsetXml(chunks[0] ?? [], site, base);
  const parts = chunks.map((_, i) => `<sitemap><loc>${xmlText(absoluteUrl(site, base, sitemapPartPath(i + 1)))}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${parts.join('\n')}\n</sitemapindex>\n`;
}
