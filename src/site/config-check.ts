/**
 * The settings of src/config.ts a fork edits by hand, checked before the build renders anything, so a
 * mistake stops it with one line naming the setting (astro.config.mjs calls this).
 */
import type { SiteConfig } from '../config.ts';
import { emailSubscribeHref } from './email-subscribe.ts';
import { feedFilterTest } from '../feeds/feed-filter.ts';

export function checkSiteConfig(config: Pick<SiteConfig, 'emailSubscribeUrl' | 'feedFilter'>): void {
  emailSubscribeHref(config.emailSubscribeUrl);
  feedFilterTest(config.feedFilter);
}
