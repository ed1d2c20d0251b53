/** /YYYY/MM/DD/papers.json: one list day for machines (papers by upvotes, absolute URLs). See src/feeds/discovery-feeds.ts. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSiteContent } from '../../../../site/content.ts';
import { dayParts } from '../../../../archive/dates.ts';
import { getDiscovery } from '../../../../site/discovery.ts';
import { dayPapersJson } from '../../../../feeds/discovery-feeds.ts';
import { feedSite } from '../../../../feeds/documents.ts';
import { type DayPapersModel, dayPapersKey, dayPapersModel } from '../../../../site/page-models.ts';

export const getStaticPaths = (async () => {
  const { archive, abstracts, digestOf } = await getSiteContent();
  const discovery = await getDiscovery();
  return archive.days.map((listDay) => {
    const { year, month, date } = dayParts(listDay.day);
    const model = dayPapersModel(listDay, abstracts, discovery);
    return { params: { year, month, day: date }, props: { model }, cacheKey: dayPapersKey(model, digestOf) };
  });
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ site, props }) => {
  const data = dayPapersJson(feedSite(site, import.meta.env.BASE_URL), (props as { model: DayPapersModel }).model);
  return new Response(`${JSON.stringify(data)}\n`, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
