/** /orgs/<slug>/atom.xml: Atom 1.0 feed of an organization's newest papers (src/feeds/scoped.ts). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteConfig } from '../../../config.ts';
import { getSiteContent } from '../../../site/content.ts';
import { getDiscovery } from '../../../site/discovery.ts';
import { renderAtom } from '../../../feeds/atom.ts';
import { feedResponse, feedSite } from '../../../feeds/documents.ts';
import { buildOrgFeed } from '../../../feeds/scoped.ts';
import { renderChanged } from '../../../site/output-cache.ts';
import { type OrgFeedModel, orgFeedKey, orgFeedModel } from '../../../site/page-models.ts';
import { routes } from '../../../site/urls.ts';

export const getStaticPaths = (async () => {
  const { abstracts, digestOf } = await getSiteContent();
  const { orgs } = await getDiscovery();
  const paths = orgs.orgs.map((org) => {
    const model = orgFeedModel(org, siteConfig.topicFeedPapers, abstracts);
    return { params: { slug: org.slug }, props: { model }, cacheKey: orgFeedKey(model, digestOf) };
  });
  return renderChanged('organization feeds', paths, (p) => routes.orgFeed(p.props.model.org.slug));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ site, props }) => {
  const doc = buildOrgFeed(feedSite(site, import.meta.env.BASE_URL), (props as { model: OrgFeedModel }).model);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
