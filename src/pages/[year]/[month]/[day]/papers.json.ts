/** /YYYY/MM/DD/papers.json: one list day for machines (papers by upvotes, absolute URLs). See src/lib/discovery-data.ts. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSiteContent } from '../../../../lib/content.ts';
import { dayParts } from '../../../../lib/dates.ts';
import { getDiscovery } from '../../../../lib/discovery.ts';
import { dayPapersJson } from '../../../../lib/discovery-data.ts';
import { feedSite } from '../../../../lib/feeds/documents.ts';

export const getStaticPaths = (async () => {
  const { archive } = await getSiteContent();
  return archive.days.map(({ day }) => {
    const { year, month, date } = dayParts(day);
    return { params: { year, month, day: date }, props: { day } };
  });
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ site, props }) => {
  const { archive, abstracts } = await getSiteContent();
  const { orgs } = await getDiscovery();
  const listDay = archive.byDay.get((props as { day: string }).day)!;
  const data = dayPapersJson(feedSite(site, import.meta.env.BASE_URL), listDay, (p) => abstracts.get(p.id) ?? '', orgs);
  return new Response(`${JSON.stringify(data)}\n`, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
