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
}

export const siteConfig: SiteConfig = {
  title: 'Paperboy',
  description: 'Every Hugging Face Daily Papers list, archived day by day, with RSS, Atom and JSON feeds.',
  language: 'en',
  feedDays: 7,
  digestFeedDays: 30,
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
};
