/**
 * The "Get it by email" link: siteConfig.emailSubscribeUrl checked once, so a
 * typo fails the build with a line saying what to fix instead of publishing a
 * broken or unsafe link. Pure.
 */
import { SiteConfigError } from './config-error.ts';
import { safeHttpUrl } from '../render/text.ts';

/** The link to show, or undefined when none is configured; throws when the setting is not an http(s) URL. */
export function emailSubscribeHref(setting: string): string | undefined {
  const value = setting.trim();
  if (!value) return undefined;
  const href = safeHttpUrl(value);
  if (!href) {
    throw new SiteConfigError(`src/config.ts: emailSubscribeUrl must be an http(s) URL (a mailing list's join page), or '' for none; got ${JSON.stringify(setting)}`);
  }
  return href;
}
