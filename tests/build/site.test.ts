/**
 * The built archive site, checked file by file the way a visitor (and a
 * crawler, and a reference manager) would meet it: the pages exist, every
 * internal link and asset resolves under the base path, hostile data is text,
 * math is rendered, and there is no client JavaScript.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteConfig } from '../../src/config.ts';
import { arxivAbsUrl, arxivPdfUrl, huggingFaceUrl, idToSlug } from '../../src/archive/arxiv.ts';
import { abstractExcerpt, abstractPlainText, textHasMath } from '../../src/render/render.ts';
import { routes } from '../../src/site/urls.ts';
import { buildSite, FIXTURE_ARCHIVE, makeTempDir, removeBuilds } from '../helpers/build-site.ts';
import { HtmlPage, listFiles, readPage, urlAttributes } from './html.ts';
import { loadFixture } from './fixture.ts';

const SITE = 'https://example.github.io';
const BUILD_TIMEOUT = 600_000;
const fixture = loadFixture();
afterAll(removeBuilds);
const latestDay = fixture.listDays.at(-1)!;
const HOSTILE_ID = '2401.99999';
/** Papers whose abstracts hold escaped dollars (`\$25`): prices, not math. */
const DOLLAR_IDS = { '2406.11939': '$25', '2407.01489': '$0.34' } as const;
/** The paper with real `$...$` math (title and abstract) is the hostile one. */
const MATH_ID = HOSTILE_ID;
const OLD_STYLE_ID = 'hep-th/9901001';

/** A built site: its files, and pages by route (`2024/01/03/`, `404.html`). */
class Dist {
  readonly outDir: string;
  readonly base: string;
  readonly files: string[];
  readonly htmlFiles: string[];
  private readonly pages = new Map<string, HtmlPage>();

  constructor(outDir: string, base: string) {
    this.outDir = outDir;
    this.base = base;
    this.files = listFiles(outDir);
    this.htmlFiles = this.files.filter((file) => file.endsWith('.html'));
  }

  /** dist file serving a route: `x/` -> `x/index.html`. */
  fileFor(route: string): string {
    return route === '' || route.endsWith('/') ? `${route}index.html` : route;
  }

  /** Route of a dist HTML file: `x/index.html` -> `x/`. */
  routeOf(file: string): string {
    return file === 'index.html' ? '' : file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file;
  }

  has(route: string): boolean {
    return existsSync(join(this.outDir, this.fileFor(route)));
  }

  page(route: string): HtmlPage {
    let page = this.pages.get(route);
    if (!page) {
      const path = join(this.outDir, this.fileFor(route));
      if (!existsSync(path)) throw new Error(`missing page /${route} (${this.fileFor(route)}) in ${this.outDir}`);
      page = readPage(path);
      this.pages.set(route, page);
    }
    return page;
  }

  /** Absolute public URL of a route. */
  url(route: string): string {
    return SITE + this.base + route;
  }

  /** Internal href a page should use for a route. */
  href(route: string): string {
    return this.base + route;
  }

  /** Whether a URL path (already under the base) is served by a file of this build. */
  resolves(pathname: string): boolean {
    if (!pathname.startsWith(this.base)) return false;
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(this.base.length));
    } catch {
      return false;
    }
    if (rel.split('/').includes('..')) return false;
    const path = join(this.outDir, this.fileFor(rel));
    return existsSync(path) && statSync(path).isFile();
  }
}

/** Hrefs of the `<a>` elements of a page, in document order. */
function anchorHrefs(page: HtmlPage): string[] {
  return page.all('a').map((a) => page.attr(a, 'href') ?? '');
}

/** Paper ids linked from a page, in order of first appearance. */
function linkedPaperIds(dist: Dist, page: HtmlPage): string[] {
  const bySlug = new Map(fixture.papers.map((p) => [dist.href(routes.paper(p.paper.id)), p.paper.id]));
  const seen: string[] = [];
  for (const href of anchorHrefs(page)) {
    const id = bySlug.get(href.split('#')[0]!);
    if (id && !seen.includes(id)) seen.push(id);
  }
  return seen;
}

/** The element (article / list item) presenting one paper on a list page. */
function paperCard(dist: Dist, page: HtmlPage, id: string) {
  const link = page.all('a').find((a) => page.attr(a, 'href') === dist.href(routes.paper(id)));
  expect(link, `a link to the paper page of ${id}`).toBeDefined();
  const card = page.closest(link!, ['article', 'li']);
  expect(card, `the link to ${id} sits in an <article> or <li> for that paper`).toBeDefined();
  return card!;
}

/**
 * Sentences of an abstract that carry no markdown or TeX (so their rendered text equals their
 * source): the first and the last, enough to tell the whole abstract is on the page.
 */
function plainSentences(markdown: string): string[] {
  const sentences = markdown
    .replace(/\s+/g, ' ')
    .split(/(?<=\.) /)
    .filter((sentence) => sentence.length > 20 && !/[\\$*_`[\]<>&]/.test(sentence));
  return [...new Set([sentences[0], sentences.at(-1)].filter((s): s is string => s !== undefined))];
}

/** The raw text inside a <script> or <style> element. */
function rawText(el: { children: unknown[] }): string {
  return el.children.map((child) => String((child as { value?: string }).value ?? '')).join('');
}

function isJavaScriptUrl(value: string): boolean {
  // Browsers ignore whitespace and control characters inside the scheme.
  return /^javascript:/i.test(value.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''));
}

/** Every broken or misplaced internal URL of the build, as readable lines. */
function brokenLinks(dist: Dist): string[] {
  const problems: string[] = [];
  const siteOrigin = new URL(SITE).origin;
  for (const file of dist.htmlFiles) {
    const page = dist.page(dist.routeOf(file));
    const pageUrl = dist.url(dist.routeOf(file).replace(/[^/]*$/, ''));
    const ids = page.ids();
    for (const { el, name, value } of urlAttributes(page)) {
      const where = `${file}: <${el.name} ${name}="${value}">`;
      if (value === '') {
        problems.push(`${where} empty URL`);
        continue;
      }
      if (value.startsWith('#')) {
        if (!ids.has(decodeURIComponent(value.slice(1)))) problems.push(`${where} points to no element id on the page`);
        continue;
      }
      if (isJavaScriptUrl(value)) {
        problems.push(`${where} javascript: URL`);
        continue;
      }
      let url: URL;
      try {
        url = new URL(value, pageUrl);
      } catch {
        problems.push(`${where} not a URL`);
        continue;
      }
      if (url.protocol === 'data:') {
        const rel = page.attr(el, 'rel') ?? '';
        if (!(el.name === 'img' || (el.name === 'link' && /\bicon\b/.test(rel)))) problems.push(`${where} data: URL`);
        continue;
      }
      if (url.protocol === 'mailto:') continue;
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        problems.push(`${where} scheme ${url.protocol} not allowed`);
        continue;
      }
      if (url.origin !== siteOrigin || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        if (url.origin === siteOrigin && !dist.resolves(url.pathname)) problems.push(`${where} no such file in the build`);
        continue;
      }
      if (!value.startsWith(dist.base)) problems.push(`${where} internal URL does not start with the base path ${dist.base}`);
      else if (!dist.resolves(url.pathname)) problems.push(`${where} no such file in the build`);
    }
  }
  // Stylesheets: fonts and images they reference (KaTeX fonts) must exist too.
  for (const file of dist.files.filter((f) => f.endsWith('.css'))) {
    const css = readFileSync(join(dist.outDir, file), 'utf8');
    for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
      const ref = match[2]!.trim();
      if (ref.startsWith('data:') || ref.startsWith('#')) continue;
      const url = new URL(ref, dist.url(file));
      if (url.origin !== new URL(SITE).origin) continue;
      if (!dist.resolves(url.pathname)) problems.push(`${file}: url(${ref}) no such file in the build`);
    }
  }
  return problems;
}

function structuralChecks(getDist: () => Dist) {
  it('has the home, day, month, year, archive, paper, 404, sitemap, robots and favicon files', () => {
    const dist = getDist();
    const expected = [
      routes.home(),
      routes.archive(),
      ...fixture.listDays.map((day) => routes.day(day)),
      ...[...new Set(fixture.listDays.map((day) => day.slice(0, 7)))].map((m) => routes.month(m.slice(0, 4), m.slice(5, 7))),
      ...[...new Set(fixture.listDays.map((day) => day.slice(0, 4)))].map((y) => routes.year(y)),
      ...fixture.papers.map((p) => routes.paper(p.paper.id)),
      '404.html',
      'sitemap.xml',
      'robots.txt',
    ];
    expect(expected).toContain('papers/hep-th_9901001/');
    expect(expected.filter((route) => !dist.has(route))).toEqual([]);
    // The old-style id's slash must not have become a directory.
    expect(dist.has('papers/hep-th/9901001/')).toBe(false);
    // A favicon, linked from every page.
    const withoutIcon = dist.htmlFiles.filter((file) => dist.page(dist.routeOf(file)).linkRel('icon').length === 0);
    expect(withoutIcon).toEqual([]);
  });

  it('every internal link, image, stylesheet and icon resolves to a file under the base path', () => {
    expect(brokenLinks(getDist()).slice(0, 40)).toEqual([]);
  });

  it('every page but the 404 has one absolute canonical URL (and og:url) with the base path', () => {
    const dist = getDist();
    const problems: string[] = [];
    for (const file of dist.htmlFiles.filter((f) => f !== '404.html')) {
      const route = dist.routeOf(file);
      const page = dist.page(route);
      const canonicals = page.linkRel('canonical').map((el) => page.attr(el, 'href'));
      if (canonicals.length !== 1 || canonicals[0] !== dist.url(route)) {
        problems.push(`${file}: canonical ${JSON.stringify(canonicals)}, expected ["${dist.url(route)}"]`);
      }
      for (const ogUrl of page.meta('og:url')) {
        if (ogUrl !== dist.url(route)) problems.push(`${file}: og:url ${ogUrl}, expected ${dist.url(route)}`);
      }
    }
    expect(problems.slice(0, 40)).toEqual([]);
  });

  it('has exactly one <h1>, a language and a title on every page', () => {
    const dist = getDist();
    const problems: string[] = [];
    for (const file of dist.htmlFiles) {
      const page = dist.page(dist.routeOf(file));
      const h1s = page.all('h1').length;
      if (h1s !== 1) problems.push(`${file}: ${h1s} <h1> elements`);
      if (!page.attr(page.all('html')[0]!, 'lang')) problems.push(`${file}: <html> without lang`);
      if (!page.text(page.all('title')[0]).trim()) problems.push(`${file}: empty <title>`);
    }
    expect(problems.slice(0, 40)).toEqual([]);
  });

  it('sitemap.xml lists every page as an absolute URL that exists, and robots.txt points to it', () => {
    const dist = getDist();
    const sitemap = readFileSync(join(dist.outDir, 'sitemap.xml'), 'utf8');
    const locs = [...sitemap.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    const expected = [
      dist.url(routes.home()),
      dist.url(routes.archive()),
      ...fixture.listDays.map((day) => dist.url(routes.day(day))),
      ...fixture.papers.map((p) => dist.url(routes.paper(p.paper.id))),
    ];
    expect(expected.filter((url) => !locs.includes(url))).toEqual([]);
    const bad = locs.filter((loc) => !loc.startsWith(SITE + dist.base) || !dist.resolves(new URL(loc).pathname));
    expect(bad).toEqual([]);
    const robots = readFileSync(join(dist.outDir, 'robots.txt'), 'utf8');
    expect(robots).toMatch(/^User-agent:/im);
    expect(robots).toContain(`Sitemap: ${dist.url('sitemap.xml')}`);
  });
}

describe('the fixture archive built under BASE_PATH=/paperboy/', () => {
  let dist: Dist;
  let log = '';
  beforeAll(async () => {
    const build = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: '/paperboy/', site: SITE });
    dist = new Dist(build.outDir, '/paperboy/');
    log = build.stdout;
  }, BUILD_TIMEOUT);

  structuralChecks(() => dist);

  it('renders from the content store file, not a copy bundled into the server build (the memory peak at 50k)', () => {
    // src/integrations/content-store.ts: says which happened in every build; an Astro upgrade that renamed
    // the store module would turn this into a warning and bring the bundled copy back.
    expect(log).toMatch(/pages read the content store from \S+data-store\.json, not from a bundled copy/);
    expect(log).not.toMatch(/content store was bundled/);
  });

  it('has no client JavaScript: no executable <script>, no inline event handlers', () => {
    const problems: string[] = [];
    // A search page, if there is one, is the one feature allowed to need JavaScript.
    for (const file of dist.htmlFiles.filter((f) => !f.startsWith('search/'))) {
      const page = dist.page(dist.routeOf(file));
      for (const script of page.all('script')) {
        // Structured data is not script; it must still be valid JSON that cannot close the element.
        if (page.attr(script, 'type') === 'application/ld+json') {
          const body = rawText(script);
          if (/<\//.test(body)) problems.push(`${file}: JSON-LD containing "</"`);
          try {
            JSON.parse(body);
          } catch {
            problems.push(`${file}: JSON-LD that is not JSON`);
          }
          continue;
        }
        problems.push(`${file}: <script${page.attr(script, 'src') ? ` src="${page.attr(script, 'src')}"` : ''}>`);
      }
      for (const el of page.elements) {
        for (const name of Object.keys(el.attributes)) {
          if (/^on/i.test(name)) problems.push(`${file}: <${el.name} ${name}>`);
        }
      }
    }
    expect(problems.slice(0, 40)).toEqual([]);
  });

  it('home shows the latest list day by upvotes, with ways to the previous day and the archive', () => {
    const home = dist.page(routes.home());
    const ids = linkedPaperIds(dist, home);
    const expected = fixture.papersOn(latestDay).map((p) => p.paper.id);
    expect([...ids].sort()).toEqual([...expected].sort());
    const upvotes = ids.map((id) => fixture.byId.get(id)!.paper.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
    const hrefs = anchorHrefs(home);
    expect(hrefs).toContain(dist.href(routes.day(fixture.listDays.at(-2)!)));
    expect(hrefs).toContain(dist.href(routes.archive()));
  });

  it.each(fixture.listDays)('day page %s: its papers by upvotes, each with its links, counts and the start of its abstract', (day) => {
    const page = dist.page(routes.day(day));
    const papers = fixture.papersOn(day);
    const ids = linkedPaperIds(dist, page);
    expect([...ids].sort()).toEqual(papers.map((p) => p.paper.id).sort());
    const upvotes = ids.map((id) => fixture.byId.get(id)!.paper.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));

    for (const { paper, abstract } of papers) {
      const card = paperCard(dist, page, paper.id);
      const cardHrefs = page.elements.filter((el) => el.name === 'a' && page.contains(card, el)).map((a) => page.attr(a, 'href'));
      expect(cardHrefs).toContain(huggingFaceUrl(paper.id));
      expect(cardHrefs).toContain(arxivAbsUrl(paper.id));
      expect(cardHrefs).toContain(arxivPdfUrl(paper.id));
      if (paper.githubRepo?.startsWith('https://')) expect(cardHrefs).toContain(paper.githubRepo);
      const text = page.text(card);
      expect(text).toContain(paper.authors[0] ?? '');
      expect(text).toMatch(new RegExp(`\\b${paper.upvotes}\\b`));
      expect(text).toMatch(new RegExp(`\\b${paper.comments}\\b`));
      if (paper.githubStars !== null && paper.githubRepo?.startsWith('https://')) {
        expect(text).toMatch(new RegExp(`\\b${paper.githubStars.toLocaleString('en-US')}\\b|\\b${paper.githubStars}\\b|\\b${(paper.githubStars / 1000).toFixed(1)}k\\b`));
      }
      for (const keyword of paper.keywords.slice(0, siteConfig.maxKeywordsShown)) expect(text).toContain(keyword);
      // The rest are on the paper page.
      const keywordItems = page.all('li').filter((li) => li.parent && page.hasClass(li.parent, 'keywords') && page.contains(card, li));
      expect(keywordItems.map((li) => page.text(li))).toEqual(paper.keywords.slice(0, siteConfig.maxKeywordsShown));
      // The start of the abstract; all of it is one click away on the paper page (checked there).
      const excerpt = abstractExcerpt(abstract, siteConfig.listExcerptLength);
      if (!textHasMath(excerpt)) expect(text.replace(/\s+/g, ' ')).toContain(excerpt);
      const last = plainSentences(abstract).at(-1);
      if (last && abstractPlainText(abstract).length > siteConfig.listExcerptLength) expect(text).not.toContain(last);
    }

    // Previous / next list day, skipping days without a list.
    const index = fixture.listDays.indexOf(day);
    const hrefs = anchorHrefs(page);
    const previous = fixture.listDays[index - 1];
    const next = fixture.listDays[index + 1];
    if (previous) expect(hrefs).toContain(dist.href(routes.day(previous)));
    if (next) expect(hrefs).toContain(dist.href(routes.day(next)));
    for (const empty of fixture.emptyDays) expect(hrefs).not.toContain(dist.href(routes.day(empty)));
  });

  it('shortens long author lists on day pages with a count', () => {
    const paper = fixture.byId.get('2401.00434')!.paper;
    expect(paper.authors.length).toBeGreaterThan(10);
    const page = dist.page(routes.day(paper.listDay));
    const text = page.text(paperCard(dist, page, paper.id));
    expect(text).toContain(paper.authors[0]!);
    expect(text).not.toContain(paper.authors.at(-1)!);
    const total = paper.authors.length;
    const countPattern = new RegExp(`\\b(\\d+)\\s*(more|other|others|authors)\\b`, 'i');
    const count = Number(text.match(countPattern)?.[1]);
    expect(count > 0 && count <= total, `"N more" / "N authors" in: ${text.slice(0, 400)}`).toBe(true);
  });

  it('month pages: every day with its paper count, previous / next month', () => {
    const months = [...new Set(fixture.listDays.map((day) => day.slice(0, 7)))].sort();
    months.forEach((month, index) => {
      const [year, mm] = month.split('-') as [string, string];
      const page = dist.page(routes.month(year, mm));
      for (const day of fixture.listDays.filter((d) => d.startsWith(month))) {
        const link = page.all('a').find((a) => page.attr(a, 'href') === dist.href(routes.day(day)));
        expect(link, `${month} links to ${day}`).toBeDefined();
        const cell = page.closest(link!, ['td', 'li', 'tr', 'article']) ?? link!;
        // The cell may start with the day of the month ("29"); the count follows it.
        const cellText = page.text(cell).replace(new RegExp(`^${Number(day.slice(8))}|^${day.slice(8)}`), ' ');
        expect(cellText).toMatch(new RegExp(`\\b${fixture.papersOn(day).length}\\b`));
      }
      const hrefs = anchorHrefs(page);
      for (const empty of fixture.emptyDays.filter((d) => d.startsWith(month))) {
        expect(hrefs).not.toContain(dist.href(routes.day(empty)));
      }
      const previous = months[index - 1];
      const next = months[index + 1];
      if (previous) expect(hrefs).toContain(dist.href(routes.month(previous.slice(0, 4), previous.slice(5))));
      if (next) expect(hrefs).toContain(dist.href(routes.month(next.slice(0, 4), next.slice(5))));
    });
  });

  it('year pages link their months with counts, the archive links every year', () => {
    const years = [...new Set(fixture.listDays.map((day) => day.slice(0, 4)))];
    const archiveHrefs = anchorHrefs(dist.page(routes.archive()));
    for (const year of years) {
      expect(archiveHrefs).toContain(dist.href(routes.year(year)));
      const page = dist.page(routes.year(year));
      for (const month of new Set(fixture.listDays.filter((d) => d.startsWith(year)).map((d) => d.slice(5, 7)))) {
        const link = page.all('a').find((a) => page.attr(a, 'href') === dist.href(routes.month(year, month)));
        expect(link, `${year} links to ${year}-${month}`).toBeDefined();
        const count = fixture.papers.filter((p) => p.paper.listDay.startsWith(`${year}-${month}`)).length;
        const cell = page.closest(link!, ['td', 'li', 'tr', 'article']) ?? link!;
        expect(page.text(cell)).toMatch(new RegExp(`\\b${count}\\b`));
      }
    }
  });

  it.each(fixture.papers.map((p) => p.paper.id))('paper page %s: citation and social tags, BibTeX, its list day', (id) => {
    const { paper, abstract } = fixture.byId.get(id)!;
    const page = dist.page(routes.paper(id));
    expect(page.meta('citation_title')).toHaveLength(1);
    expect(page.meta('citation_title')[0]).toBeTruthy();
    expect(page.meta('citation_author')).toEqual(paper.authors);
    expect(page.meta('citation_arxiv_id')).toEqual([id]);
    expect(page.meta('citation_pdf_url')).toEqual([arxivPdfUrl(id)]);
    const dates = page.meta('citation_date');
    expect(dates).toHaveLength(1);
    expect(dates[0]!.replace(/\//g, '-')).toBe(paper.published.slice(0, 10));

    expect(page.meta('og:title')[0]).toBeTruthy();
    expect(page.meta('og:url')).toEqual([dist.url(routes.paper(id))]);
    if (paper.thumbnail) expect(page.meta('og:image')).toEqual([paper.thumbnail]);
    expect(page.meta('twitter:card')[0]).toBeTruthy();

    const hrefs = anchorHrefs(page);
    expect(hrefs).toContain(dist.href(routes.day(paper.listDay)));
    expect(hrefs).toContain(huggingFaceUrl(id));
    expect(hrefs).toContain(arxivAbsUrl(id));
    expect(hrefs).toContain(arxivPdfUrl(id));

    const text = page.text();
    for (const author of paper.authors) expect(text).toContain(author);
    // A BibTeX entry to copy, citing the arXiv id.
    const bibtex = page.all('pre').map((pre) => page.text(pre)).find((t) => /@\w+\s*\{/.test(t));
    expect(bibtex, 'a <pre> with a BibTeX entry').toBeDefined();
    expect(bibtex).toMatch(new RegExp(`eprint\\s*=\\s*[{"]${id.replace(/[.]/g, '\\.')}[}"]`));
    // Unbalanced braces make BibTeX / Zotero reject the entry.
    let depth = 0;
    for (const char of bibtex!.replace(/\\[{}]/g, '')) {
      depth += char === '{' ? 1 : char === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    if (paper.aiSummary) expect(text).toMatch(/machine[- ]generated|AI[- ]generated|generated by (an )?AI/i);

    // The title is the page heading, and the abstract is there in full.
    const plain = (value: string) => value.replace(/\s+/g, ' ').trim();
    if (!/[$\\]/.test(paper.title)) expect(plain(page.text(page.all('h1')[0]))).toContain(plain(paper.title));
    for (const sentence of plainSentences(abstract)) expect(text).toContain(sentence);
  });

  it('renders the hostile paper as text: markup, quotes, RTL and emoji kept, no javascript: link', () => {
    const { paper } = fixture.byId.get(HOSTILE_ID)!;
    const pagesWithIt = [routes.home(), routes.day(paper.listDay), routes.paper(HOSTILE_ID)];
    for (const route of pagesWithIt) {
      const page = dist.page(route);
      const text = page.text();
      expect(text, route).toContain('<script>alert("t")</script> & "Quotes"');
      expect(text, route).toContain('עברית');
      expect(text, route).toContain('🤖');
      expect(text, route).toContain('<i>Eve</i> & "Mallory"');
      expect(text, route).toContain('مريم العلي');
      expect(page.all('i').some((el) => page.text(el) === 'Eve'), route).toBe(false);
    }
    const paperPage = dist.page(routes.paper(HOSTILE_ID));
    const text = paperPage.text();
    expect(text).toContain('<b>kw</b>');
    expect(text).toContain('<script>evil()</script> summary & stuff');
    expect(text).toContain('🧪');
    expect(text).toContain('שלום');
    // The broken formula shows its source; the good one is typeset.
    expect(text).toContain('\\frac{1');
    expect(paperPage.elements.some((el) => paperPage.hasClass(el, 'katex'))).toBe(true);
    // The http(s) project page is linked (with its query intact); the javascript: repository is not.
    const hrefs = anchorHrefs(paperPage);
    expect(hrefs.some((href) => href.startsWith('https://example.org/?a=1&b='))).toBe(true);
    const everywhere = dist.htmlFiles.flatMap((file) => {
      const page = dist.page(dist.routeOf(file));
      return page.elements.flatMap((el) =>
        Object.keys(el.attributes)
          .filter((name) => isJavaScriptUrl(page.attr(el, name) ?? ''))
          .map((name) => `${file}: <${el.name} ${name}>`),
      );
    });
    expect(everywhere).toEqual([]);
  });

  it('typesets math with KaTeX at build time and ships the KaTeX stylesheet', () => {
    const { paper } = fixture.byId.get(MATH_ID)!;
    for (const route of [routes.paper(MATH_ID), routes.day(paper.listDay), routes.home()]) {
      const page = dist.page(route);
      const katex = page.elements.filter((el) => page.hasClass(el, 'katex'));
      expect(katex.length, `/${route}: .katex elements`).toBeGreaterThan(0);
      // The formula's own text is not left in \$...\$ form next to it.
      expect(page.text(), route).not.toContain('$\\alpha + \\beta$');
      const styles = [
        ...page.all('style').map(rawText),
        ...page.linkRel('stylesheet').map((link) => {
          const href = page.attr(link, 'href') ?? '';
          const path = join(dist.outDir, href.startsWith(dist.base) ? href.slice(dist.base.length) : href);
          return existsSync(path) ? readFileSync(path, 'utf8') : '';
        }),
      ];
      expect(styles.some((css) => css.includes('.katex')), `/${route}: a stylesheet with the KaTeX rules`).toBe(true);
    }
  });

  it('keeps escaped dollars as prices, not math', () => {
    for (const [id, price] of Object.entries(DOLLAR_IDS)) {
      const page = dist.page(routes.paper(id));
      expect(page.text(), id).toContain(price);
      expect(page.elements.some((el) => page.hasClass(el, 'katex')), `${id} has no formula`).toBe(false);
    }
  });

  it('serves the old-style id at papers/hep-th_9901001/ with the real id in its tags', () => {
    const page = dist.page(routes.paper(OLD_STYLE_ID));
    expect(routes.paper(OLD_STYLE_ID)).toBe(`papers/${idToSlug(OLD_STYLE_ID)}/`);
    expect(page.meta('citation_arxiv_id')).toEqual([OLD_STYLE_ID]);
    expect(anchorHrefs(page)).toContain(arxivAbsUrl(OLD_STYLE_ID));
  });

  it('has a 404 page that leads back home', () => {
    const page = dist.page('404.html');
    expect(page.all('h1')).toHaveLength(1);
    expect(anchorHrefs(page)).toContain(dist.href(routes.home()));
  });
});

describe('the fixture archive built under BASE_PATH=/', () => {
  let dist: Dist;
  beforeAll(async () => {
    const build = await buildSite({ contentDir: FIXTURE_ARCHIVE, base: '/', site: SITE });
    dist = new Dist(build.outDir, '/');
  }, BUILD_TIMEOUT);

  structuralChecks(() => dist);

  it('has no leftover /paperboy/ or double slashes in its links', () => {
    const problems: string[] = [];
    for (const file of dist.htmlFiles) {
      const page = dist.page(dist.routeOf(file));
      for (const { value } of urlAttributes(page)) {
        if (/^\/\//.test(value) || (value.startsWith(SITE) && value.slice(SITE.length).startsWith('//'))) problems.push(`${file}: ${value}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('an empty archive (a fresh fork)', () => {
  let dist: Dist;
  beforeAll(async () => {
    const build = await buildSite({ contentDir: makeTempDir('paperboy-empty-archive-'), base: '/paperboy/', site: SITE });
    dist = new Dist(build.outDir, '/paperboy/');
  }, BUILD_TIMEOUT);

  it('builds and says that nothing has been archived yet', () => {
    const home = dist.page(routes.home());
    expect(home.all('h1')).toHaveLength(1);
    expect(home.text()).toMatch(/nothing[^.]*archived yet|no papers[^.]*archived yet/i);
    expect(dist.has(routes.archive())).toBe(true);
    expect(dist.has('404.html')).toBe(true);
  });

  it('has no broken links', () => {
    expect(brokenLinks(dist)).toEqual([]);
  });
});
