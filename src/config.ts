import type { FeedFilter } from './feeds/feed-filter.ts';

/**
 * Everything a fork may want to change, in one typed place. Deployment
 * specifics (site URL and base path) come from the environment so a fork
 * needs no edits: see README "Configuration".
 */
export interface SiteConfig {
  /** Site name shown in headers, titles and feeds. */
  title: string;
  /** One sentence for meta descriptions and feed descriptions. */
  description: string;
  /** BCP 47 language of the site and feeds. */
  language: string;
  /** How many of the most recent list days the per-paper feeds carry. */
  feedDays: number;
  /** How many list days the daily digest feeds carry. */
  digestFeedDays: number;
  /**
   * The "only the best" feeds (/top/): papers of the `feedDays` most recent list days with at least this many
   * upvotes. Upvotes keep rising for days, so a paper enters once a refresh sees it cross the line, dated by its list day.
   */
  topFeedMinUpvotes: number;
  /** How many papers a month page (/YYYY/MM/) ranks under its calendar, most upvoted first. */
  monthlyTopPapers: number;
  /** How many of the most recent final months the monthly feed (/monthly/atom.xml) carries. */
  monthlyFeedMonths: number;
  /** At most this many "Related papers" on a paper page (0 for none). */
  relatedPapers: number;
  /** Author lists longer than this are shortened ("and N more") on list pages. */
  maxAuthorsShown: number;
  /** Day pages and the home page show a paper's first this many keywords; its page shows them all. */
  maxKeywordsShown: number;
  /** The repository that holds this copy, linked from the footer (optional). */
  repositoryUrl: string | undefined;
  /** A keyword gets a topic page (/topics/<slug>/) and feed once at least this many papers carry it. */
  minTopicPapers: number;
  /** At most this many topics (those with the most papers): bounds the pages a huge archive generates. */
  maxTopics: number;
  /**
   * Day pages, the home page and topic feed entries show this many characters of each abstract (at a word
   * boundary): about two lines. The paper page, one click away, shows all of it.
   */
  listExcerptLength: number;
  /** Papers per page on topic and organization pages (paginated beyond that). */
  listPageSize: number;
  /** How many of a topic's newest papers its Atom feed carries. */
  topicFeedPapers: number;
  /** How many papers a weekly page (/weeks/YYYY-Www/) ranks. */
  weeklyTopPapers: number;
  /** How many of the most recent final weeks the weekly feed carries. */
  weeklyFeedWeeks: number;
  /**
   * Where readers sign up for the papers by email: a mailing list's join page (the email digest is mailed to
   * that list) or an RSS-to-email service fed by daily/rss.xml. An http(s) URL; when set, the home page, day
   * pages and /feeds/ show a "Get it by email" link to it. '' (the default): no link. See README "Email for readers".
   */
  emailSubscribeUrl: string;
  /**
   * This copy's own selection for its paper feeds (rss.xml, atom.xml, feed.json), its daily digest feeds and
   * the email digest: `minUpvotes` (0: any), `includeTopics` (papers with at least one of these keywords; []:
   * any), `excludeTopics` (never these). Keywords match in any spelling a topic page folds ("Diffusion Models" =
   * "diffusion model"). The archive, its pages and the other feeds keep every paper. See README "Run your own copy".
   */
  feedFilter: FeedFilter;
}

export const siteConfig: SiteConfig = {
  title: 'Paperboy',
  description: 'Every Hugging Face Daily Papers list, archived day by day, with RSS, Atom and JSON feeds.',
  language: 'en',
  feedDays: 7,
  digestFeedDays: 30,
  topFeedMinUpvotes: 50,
  monthlyTopPapers: 20,
  monthlyFeedMonths: 12,
  relatedPapers: 5,
  maxAuthorsShown: 8,
  maxKeywordsShown: 6,
  repositoryUrl: process.env.GITHUB_REPOSITORY ? `https://github.com/${process.env.GITHUB_REPOSITORY}` : undefined,
  minTopicPapers: 10,
  maxTopics: 1000,
  listExcerptLength: 240,
  listPageSize: 50,
  topicFeedPapers: 20,
  weeklyTopPapers: 20,
  weeklyFeedWeeks: 12,
  emailSubscribeUrl: '',
  feedFilter: { minUpvotes: 0, includeTopics: [], excludeTopics: [] },
};
