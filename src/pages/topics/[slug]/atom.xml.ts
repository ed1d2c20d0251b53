/** /topics/<slug>/atom.xml: Atom 1.0 feed of a topic's newest papers (src/feeds/discovery-feeds.ts, the feeds' Atom serialiser). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteConfig } from '../../../config.ts';
import { getSiteContent } from '../../../site/content.ts';
import { getDiscovery } from '../../../site/discovery.ts';
import { buildTopicFeed } from '../../../feeds/discovery-feeds.ts';
import { renderAtom } from '../../../feeds/atom.ts';
import { feedResponse, feedSite } from '../../../feeds/documents.ts';
import { renderChanged } from '../../../site/output-cache.ts';
import { type TopicFeedModel, topicFeedKey, topicFeedModel } from '../../../site/page-models.ts';
import { routes } from '../../../site/urls.ts';

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
