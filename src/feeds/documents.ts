/**
 * Glue between the build and the pure feed builders: the feed documents of
 * this build, made once and shared by the endpoints of each feed's formats.
 */
import { siteConfig } from '../config.ts';
import { getSiteContent } from '../site/content.ts';
import { buildDigestFeed, buildPaperFeed, type FeedDocument, type FeedSite } from './entries.ts';
import { buildTopFeed } from './scoped.ts';

export function feedSite(site: URL | string | undefined, base: string): FeedSite {
  if (!site) throw new Error('feeds need absolute URLs: set SITE_URL (astro.config.mjs `site`)');
  return {
    site: String(site),
    base,
    title: siteConfig.title,
    description: siteConfig.description,
    language: siteConfig.language,
  };
}

const documents = new Map<string, Promise<FeedDocument>>();

function memo(key: string, make: () => Promise<FeedDocument>): Promise<FeedDocument> {
  let doc = documents.get(key);
  if (!doc) documents.set(key, (doc = make()));
  return doc;
}

export function paperFeedDocument(site: URL | undefined, base: string): Promise<FeedDocument> {
  const feedSiteValue = feedSite(site, base);
  return memo(`papers ${feedSiteValue.site} ${base}`, async () => {
    const { archive, abstracts } = await getSiteContent();
    return buildPaperFeed(feedSiteValue, archive, siteConfig.feedDays, (paper) => abstracts.get(paper.id) ?? '', siteConfig.feedFilter);
  });
}

export function digestFeedDocument(site: URL | undefined, base: string): Promise<FeedDocument> {
  const feedSiteValue = feedSite(site, base);
  return memo(`digest ${feedSiteValue.site} ${base}`, async () => {
    const { archive } = await getSiteContent();
    return buildDigestFeed(feedSiteValue, archive, siteConfig.digestFeedDays, siteConfig.feedFilter);
  });
}

/** Only the best (/top/): one document for its three formats. */
export function topFeedDocument(site: URL | undefined, base: string): Promise<FeedDocument> {
  const feedSiteValue = feedSite(site, base);
  return memo(`top ${feedSiteValue.site} ${base}`, async () => {
    const { archive, abstracts } = await getSiteContent();
    return buildTopFeed(feedSiteValue, archive, siteConfig.feedDays, siteConfig.topFeedMinUpvotes, (paper) => abstracts.get(paper.id) ?? '');
  });
}

/** The response of a feed endpoint (the media type matters to `astro preview` and dev). */
export function feedResponse(body: string, mediaType: string): Response {
  return new Response(body, { headers: { 'Content-Type': `${mediaType}; charset=utf-8` } });
}
