/**
 * URL building under a base path. Pages, feeds and scripts build every
 * internal link with these helpers: a fork on GitHub Pages lives under
 * `/REPO/`, and a link built any other way breaks there.
 */
import { idToSlug } from '../archive/arxiv.ts';
import { dayParts } from '../archive/dates.ts';

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
  // Discovery (issue 6). Slugs come from src/discovery/topics.ts and src/discovery/orgs.ts, which make them path-safe.
  paperBib: (id: string) => `papers/${idToSlug(id)}.bib`,
  topics: () => 'topics/',
  // List pages (src/site/pagination.ts): page 0 is the list's own page, archive pages count from the oldest.
  topic: (slug: string, page = 0) => (page > 0 ? `topics/${slug}/${page}/` : `topics/${slug}/`),
  topicFeed: (slug: string) => `topics/${slug}/atom.xml`,
  orgs: () => 'orgs/',
  org: (slug: string, page = 0) => (page > 0 ? `orgs/${slug}/${page}/` : `orgs/${slug}/`),
  weeks: () => 'weeks/',
  week: (key: string) => `weeks/${key}/`,
  weeklyFeed: () => 'weekly/atom.xml',
  // Scoped feeds and the month's best (issue 14).
  orgFeed: (slug: string) => `orgs/${slug}/atom.xml`,
  code: (page = 0) => (page > 0 ? `code/${page}/` : 'code/'),
  codeFeed: () => 'code/atom.xml',
  monthlyFeed: () => 'monthly/atom.xml',
  search: () => 'search/',
};
