/**
 * URL building under a base path. Pages, feeds and scripts build every
 * internal link with these helpers: a fork on GitHub Pages lives under
 * `/REPO/`, and a link built any other way breaks there.
 */
import { idToSlug } from './arxiv.ts';
import { dayParts } from './dates.ts';

/** Normalise a base path to `/` or `/x/y/` (leading and trailing slash). */
export function normalizeBase(base: string | undefined): string {
  const trimmed = (base ?? '/').trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** Join a site-relative path (`papers/x/`, `/rss.xml`) onto the base path. */
export function withBase(base: string, path: string): string {
  return normalizeBase(base) + path.replace(/^\/+/, '');
}

/** Absolute URL for a site-relative path, keeping the base path (unlike `new URL(path, site)`). */
export function absoluteUrl(site: string, base: string, path: string): string {
  const origin = new URL(site).origin;
  return origin + withBase(base, path);
}

// Site-relative paths of every route; one place for the URL scheme.
export const routes = {
  home: () => '',
  archive: () => 'archive/',
  year: (year: string) => `${year}/`,
  month: (year: string, month: string) => `${year}/${month}/`,
  day: (day: string) => {
    const { year, month, date } = dayParts(day);
    return `${year}/${month}/${date}/`;
  },
  paper: (id: string) => `papers/${idToSlug(id)}/`,
  feeds: () => 'feeds/',
  // Discovery (issue 6). Slugs come from src/lib/topics.ts and src/lib/orgs.ts, which make them path-safe.
  paperBib: (id: string) => `papers/${idToSlug(id)}.bib`,
  topics: () => 'topics/',
  // List pages (src/lib/pagination.ts): page 0 is the list's own page, archive pages count from the oldest.
  topic: (slug: string, page = 0) => (page > 0 ? `topics/${slug}/${page}/` : `topics/${slug}/`),
  topicFeed: (slug: string) => `topics/${slug}/atom.xml`,
  orgs: () => 'orgs/',
  org: (slug: string, page = 0) => (page > 0 ? `orgs/${slug}/${page}/` : `orgs/${slug}/`),
  weeks: () => 'weeks/',
  week: (key: string) => `weeks/${key}/`,
  weeklyFeed: () => 'weekly/atom.xml',
  search: () => 'search/',
};
