/** /orgs/<slug>/atom.xml: Atom 1.0 feed of an organization's newest papers (src/lib/feeds/scoped.ts). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteConfig } from '../../../config.ts';
import { getSiteContent } from '../../../lib/content.ts';
import { getDiscovery } from '../../../lib/discovery.ts';
import { renderAtom } from '../../../lib/feeds/atom.ts';
import { feedResponse, feedSite } from '../../../lib/feeds/documents.ts';
import { buildOrgFeed } from '../../../lib/feeds/scoped.ts';
import { type OrgFeedModel, orgFeedKey, orgFeedModel } from '../../../lib/page-models.ts';

export const getStaticPaths = (async () => {
  const { abstracts, digestOf } = await getSiteContent();
  const { orgs } = await getDiscovery();
  return orgs.orgs.map((org) => {
    const model = orgFeedModel(org, siteConfig.topicFeedPapers, abstracts);
    return { params: { slug: org.slug }, props: { model }, cacheKey: orgFeedKey(model, digestOf) };
  });
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ site, props }) => {
  const doc = buildOrgFeed(feedSite(site, import.meta.env.BASE_URL), (props as { model: OrgFeedModel }).model);
  return feedResponse(renderAtom(doc), 'application/atom+xml');
};
