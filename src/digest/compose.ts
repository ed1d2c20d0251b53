/**
 * The digest of one list day as an email: subject, plain-text and HTML bodies,
 * and the list headers. Pure: same papers and settings, same message.
 *
 * The HTML is built for mail clients, not browsers: tables for layout, a
 * 600 px column that shrinks on phones, inline styles only (clients drop
 * <style> and never load remote CSS), no scripts, no images. Colours: no
 * background or text colour is forced, so each client's own light or dark
 * defaults apply (declared with the color-scheme meta); the few colours set
 * (links, muted text, rules) read on white and on near-black alike. All data
 * is escaped; only http(s) links from the data are used.
 */
import { createHash } from 'node:crypto';
import { byUpvotes } from '../site/archive.ts';
import { dayToDate } from '../archive/dates.ts';
import { abstractPlainText, shortenText } from '../render/render.ts';
import { paperLinks } from '../render/paper-links.ts';
import type { Paper } from '../archive/schema.ts';
import { collapseWhitespace, escapeHtml, stripInvalidXmlChars } from '../render/text.ts';
import { absoluteUrl, normalizeBase, routes } from '../site/urls.ts';

export interface DigestPaper {
  paper: Paper;
  /** The abstract body as stored (markdown from abstractToMarkdown). */
  abstract: string;
}

export interface DigestSettings {
  /** Site origin (SITE_URL), e.g. `https://someone.github.io`. */
  site: string;
  /** Base path (BASE_PATH), e.g. `/paperboy/`. */
  base: string;
  siteTitle: string;
  /** Where the List-Unsubscribe header and the footer point (http(s) or mailto). */
  unsubscribeUrl: string;
  /** Authors shown before "and N more". */
  maxAuthors?: number;
  /** Abstract excerpt length in characters (about two lines at 600 px). */
  excerptLength?: number;
  /** Papers listed in the mail; the rest are counted and linked (Gmail clips HTML over ~100 KB). */
  maxPapers?: number;
  /** How many papers the day's list had, when `items` are only those the feed filter kept. */
  listed?: number;
}

export interface DigestMessage {
  day: string;
  paperCount: number;
  subject: string;
  text: string;
  html: string;
  /** `<digest-YYYY-MM-DD.HASH@paperboy>`: the same day of the same site always gets the same id. */
  messageId: string;
  /** Extra headers (List-Id, List-Unsubscribe). */
  headers: Record<string, string>;
  dayUrl: string;
  feedsUrl: string;
}

export const DEFAULT_MAX_AUTHORS = 3;
export const DEFAULT_EXCERPT_LENGTH = 180;
export const DEFAULT_MAX_PAPERS = 50;

// Colours chosen to keep >= 4.5:1 on white and about 4:1 or more on the dark backgrounds clients use.
const LINK = '#1a73e8';
const MUTED = '#767676';
// Clients without rgba() (old Outlook) simply draw no rule.
const RULE = 'border-top:1px solid rgba(128,128,128,.35)';
const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const WRAP = 'overflow-wrap:anywhere;word-break:break-word';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `Wednesday 3 January 2024`, in UTC and English (the site's language), whatever the machine's locale data. */
export function formatDay(day: string): string {
  const date = dayToDate(day);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** Short, stable hash of a site (origin + base path), for ids that differ between forks. */
export function siteHash(site: string, base: string): string {
  const key = new URL(site).origin + normalizeBase(base);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function digestMessageId(day: string, site: string, base: string): string {
  return `<digest-${day}.${siteHash(site, base)}@paperboy>`;
}

/** RFC 2919 list id: `digest.<base path labels>.<host>`, e.g. `digest.paperboy.someone.github.io`. */
export function digestListId(site: string, base: string): string {
  const host = new URL(site).hostname.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  const labels = normalizeBase(base)
    .split('/')
    .filter(Boolean)
    .reverse()
    .map((s) => s.toLowerCase().replace(/[^a-z0-9-]/g, '-'));
  return ['digest', ...labels, host].join('.');
}

export function shortenAuthors(authors: readonly string[], max: number): string {
  const names = authors.map(collapseWhitespace).filter(Boolean);
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

interface PaperView {
  rank: number;
  title: string;
  url: string;
  authors: string;
  upvotes: string;
  excerpt: string;
  links: { label: string; url: string }[];
}

function paperView(item: DigestPaper, rank: number, settings: DigestSettings): PaperView {
  const { paper } = item;
  // The mail links straight to the paper; Hugging Face is one click away on the paper page it links to.
  const links = paperLinks(paper).filter((l) => l.kind !== 'huggingface');
  const stats = [plural(paper.upvotes, 'upvote', 'upvotes')];
  if (paper.comments > 0) stats.push(plural(paper.comments, 'comment', 'comments'));
  return {
    rank,
    title: collapseWhitespace(paper.title),
    url: absoluteUrl(settings.site, settings.base, routes.paper(paper.id)),
    authors: shortenAuthors(paper.authors, settings.maxAuthors ?? DEFAULT_MAX_AUTHORS),
    upvotes: stats.join(' · '),
    excerpt: stripInvalidXmlChars(
      shortenText(abstractPlainText(item.abstract), settings.excerptLength ?? DEFAULT_EXCERPT_LENGTH),
    ),
    links,
  };
}

export function buildDigest(day: string, items: readonly DigestPaper[], settings: DigestSettings): DigestMessage {
  if (items.length === 0) throw new Error(`no papers on ${day}: an empty digest is never built`);
  const sorted = [...items].sort((a, b) => byUpvotes(a.paper, b.paper));
  const shown = sorted.slice(0, settings.maxPapers ?? DEFAULT_MAX_PAPERS);
  const papers = shown.map((item, i) => paperView(item, i + 1, settings));
  const notShown = sorted.length - shown.length;
  const dayName = formatDay(day);
  const count = plural(sorted.length, 'paper', 'papers');
  const listed = settings.listed ?? sorted.length;
  // With a feed filter: "12 of the 30 papers listed, most upvoted first (this site's selection)".
  const selected = listed > sorted.length ? `${sorted.length} of the ${plural(listed, 'paper', 'papers')} listed` : count;
  const selection = listed > sorted.length ? " (this site's selection)" : '';
  const subject = `[${settings.siteTitle}] Daily Papers of ${dayName}: ${count}`;
  const dayUrl = absoluteUrl(settings.site, settings.base, routes.day(day));
  const feedsUrl = absoluteUrl(settings.site, settings.base, routes.feeds());
  const homeUrl = absoluteUrl(settings.site, settings.base, routes.home());
  const heading = `Hugging Face Daily Papers of ${dayName}`;
  const intro =
    notShown > 0 ? `${selected}, most upvoted first${selection}; the top ${papers.length} here.` : `${selected}, most upvoted first${selection}.`;
  const more = notShown > 0 ? `${plural(notShown, 'more paper', 'more papers')} on the site` : undefined;
  const ctx = { settings, papers, heading, intro, more, dayUrl, feedsUrl, homeUrl, subject };
  return {
    day,
    paperCount: sorted.length,
    subject,
    text: buildText(ctx),
    html: buildHtml(ctx),
    messageId: digestMessageId(day, settings.site, settings.base),
    headers: {
      'List-Id': `${settings.siteTitle} daily digest <${digestListId(settings.site, settings.base)}>`,
      'List-Unsubscribe': `<${settings.unsubscribeUrl}>`,
    },
    dayUrl,
    feedsUrl,
  };
}

interface Context {
  settings: DigestSettings;
  papers: PaperView[];
  heading: string;
  intro: string;
  /** "N more papers on the site" when the list was cut. */
  more: string | undefined;
  dayUrl: string;
  feedsUrl: string;
  homeUrl: string;
  subject: string;
}

function buildText(ctx: Context): string {
  const lines = [`${ctx.settings.siteTitle}: ${ctx.heading}`, ctx.intro, ''];
  for (const p of ctx.papers) {
    lines.push(`${p.rank}. ${p.title}`);
    if (p.authors) lines.push(`   ${p.authors}`);
    lines.push(`   ${p.upvotes}`);
    if (p.excerpt) lines.push(`   ${p.excerpt}`);
    lines.push(`   Paper: ${p.url}`);
    for (const link of p.links) lines.push(`   ${link.label}: ${link.url}`);
    lines.push('');
  }
  if (ctx.more) lines.push(`… and ${ctx.more}: ${ctx.dayUrl}`, '');
  lines.push(
    `This day on the site: ${ctx.dayUrl}`,
    `Feeds (RSS, Atom, JSON): ${ctx.feedsUrl}`,
    '',
    `Why you get this and how to stop it: ${ctx.settings.unsubscribeUrl}`,
  );
  return `${lines.join('\n')}\n`;
}

const a = (url: string, label: string, style: string) =>
  `<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(label)}</a>`;

function paperRow(p: PaperView): string {
  const links = p.links.map((l) => a(l.url, l.label, `color:${LINK}`)).join(` <span style="color:${MUTED}">·</span> `);
  return `<tr><td style="padding:16px 0;${RULE}">
<div style="font-size:13px;line-height:18px;color:${MUTED}">#${p.rank} · ${escapeHtml(p.upvotes)}</div>
<div style="font-size:18px;line-height:24px;font-weight:bold;margin:4px 0"><a href="${escapeHtml(p.url)}" dir="auto" style="color:${LINK};text-decoration:none">${escapeHtml(p.title)}</a></div>
${p.authors ? `<div dir="auto" style="font-size:14px;line-height:20px;color:${MUTED}">${escapeHtml(p.authors)}</div>\n` : ''}${p.excerpt ? `<div dir="auto" style="font-size:15px;line-height:22px;margin:6px 0">${escapeHtml(p.excerpt)}</div>\n` : ''}<div style="font-size:14px;line-height:20px;margin-top:6px">${links}</div>
</td></tr>`;
}

function buildHtml(ctx: Context): string {
  const { settings } = ctx;
  const linkStyle = `color:${LINK};text-decoration:underline`;
  const preheader = ctx.papers[0] ? `${ctx.intro} Top: ${ctx.papers[0].title}` : ctx.intro;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(ctx.subject)}</title>
</head>
<body style="margin:0;padding:0;-webkit-text-size-adjust:100%">
<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">
<tr><td align="center" style="padding:16px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;border-collapse:collapse;table-layout:fixed;${FONT};${WRAP}">
<tr><td style="padding:0 0 12px">
<div style="font-size:14px;line-height:20px">${a(ctx.homeUrl, settings.siteTitle, `${linkStyle};font-weight:bold;text-decoration:none`)}</div>
<h1 style="font-size:22px;line-height:28px;margin:4px 0;font-weight:bold">${escapeHtml(ctx.heading)}</h1>
<div style="font-size:14px;line-height:20px;color:${MUTED}">${escapeHtml(ctx.intro)} ${a(ctx.dayUrl, 'See the day on the site', linkStyle)}</div>
</td></tr>
${ctx.papers.map(paperRow).join('\n')}
${ctx.more ? `<tr><td style="padding:16px 0;${RULE};font-size:15px">… and ${a(ctx.dayUrl, ctx.more, `color:${LINK}`)}</td></tr>
` : ''}<tr><td style="padding:16px 0;${RULE};font-size:13px;line-height:20px;color:${MUTED}">
<div>${a(ctx.dayUrl, 'This day on the site', linkStyle)} · ${a(ctx.feedsUrl, 'Feeds (RSS, Atom, JSON)', linkStyle)}</div>
<div style="margin-top:8px">Sent by ${escapeHtml(settings.siteTitle)}, an archive of the Hugging Face Daily Papers list. ${a(settings.unsubscribeUrl, 'Why you get this and how to stop it', linkStyle)}.</div>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}
