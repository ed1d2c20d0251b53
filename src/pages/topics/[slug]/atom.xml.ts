/** /topics/<slug>/atom.xml: Atom 1.0 feed of a topic's newest papers (src/lib/discovery-data.ts, the feeds' Atom serialiser). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteConfig } from '../../../config.ts';
import { getSiteContent } from '../../../lib/content.ts';
import { getDiscovery } from '../../../lib/discovery.ts';
import { buildTopicFeed } from '../../../lib/discovery-data.ts';
import { renderAtom } from '../../../lib/feeds/atom.ts';
import { feedResponse, feedSite } from '../../../lib/feeds/documents.ts';
import { renderChanged } from '../../../lib/output-cache.ts';
import { type TopicFeedModel, topicFeedKey, topicFeedModel } from '../../../lib/page-models.ts';
import { routes } from '../../../lib/urls.ts';

export const getStaticPaths = (async () => {
  const { abstracts, digestOf } = await getSiteContent();
  const { topics } = await getDiscovery();
  const paths = topics.topics.map((topic) => {
    const model = topicFeedModel(topic, siteConfig.topicFeedPapers, abstracts);
    return { params: { slug: topic.slug }, props: { model }, cacheKey: topicFeedKey(model, digestOf) };
  });
  return renderChanged('topic feeds', paths, (p) => routes.topicFeed(p.props.model.topic.slug));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ site, props }) => {
  const doc = buildTopicFeed(feedSite(site, import.meta.env.BASE_URL), (props as { model: TopicFeedModel }).model, siteConfig.listExcerptLength);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
