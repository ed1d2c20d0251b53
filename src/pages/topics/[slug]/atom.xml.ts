/** /topics/<slug>/atom.xml: Atom 1.0 feed of a topic's newest papers (src/lib/discovery-data.ts, the feeds' Atom serialiser). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteConfig } from '../../../config.ts';
import { getSiteContent } from '../../../lib/content.ts';
import { getDiscovery } from '../../../lib/discovery.ts';
import { buildTopicFeed } from '../../../lib/discovery-data.ts';
import { renderAtom } from '../../../lib/feeds/atom.ts';
import { feedResponse, feedSite } from '../../../lib/feeds/documents.ts';

export const getStaticPaths = (async () => {
  const { topics } = await getDiscovery();
  return topics.topics.map((topic) => ({ params: { slug: topic.slug }, props: { key: topic.key } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ site, props }) => {
  const { abstracts } = await getSiteContent();
  const { topics } = await getDiscovery();
  const topic = topics.byKey.get((props as { key: string }).key)!;
  const doc = buildTopicFeed(feedSite(site, import.meta.env.BASE_URL), topic, siteConfig.topicFeedPapers, (p) => abstracts.get(p.id) ?? '');
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
