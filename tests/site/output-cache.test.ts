/**
 * The incremental build's decisions and its cache (src/site/output-cache.ts and its integration), without
 * Astro: what a route renders, what is linked from the cache, what is written, what is removed.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bibFile } from '../../src/integrations/bib-files.ts';
import { codeVersion, finishRun, listEntries } from '../../src/integrations/output-cache.ts';
import { EarlyLinks } from '../../src/integrations/output-cache-links.ts';
import { addSiteFiles, closeRun, entryName, openRun, outputFile, renderChanged, takeSiteFiles } from '../../src/site/output-cache.ts';
import { makeTempDir, removeBuilds } from '../helpers/build-site.ts';

const paper = { id: '2401.00001', title: 'A paper', authors: ['Ada Lovelace'], published: '2024-01-01T00:00:00.000Z' };
const page = (slug: string, cacheKey: string) => ({ params: { slug }, cacheKey });

afterEach(() => closeRun());
afterAll(() => removeBuilds());

/** One build: Astro "renders" the paths renderChanged returns (writes `html`), then the run is finished. */
function build(version: string, entries: string, paths: ReturnType<typeof page>[], files = [bibFile(paper)]) {
  const site = makeTempDir('paperboy-oc-site-');
  const run = openRun(version, listEntries(entries));
  const render = renderChanged('paper pages', paths, (p) => `papers/${p.params.slug}/`);
  addSiteFiles('paper pages', files);
  for (const p of render) {
    mkdirSync(join(site, 'papers', p.params.slug), { recursive: true });
    writeFileSync(join(site, 'papers', p.params.slug, 'index.html'), `<p>${p.params.slug} ${p.cacheKey}</p>`);
  }
  closeRun();
  return { site, rendered: render.map((p) => p.params.slug), result: finishRun(run, site, entries, ['paper pages']) };
}

describe('renderChanged', () => {
  it('renders every path outside a build (astro dev)', () => {
    const paths = [page('a', '1'), page('b', '2')];
    expect(renderChanged('paper pages', paths, (p) => `papers/${p.params.slug}/`)).toEqual(paths);
  });

  it('leaves out the paths whose entry for this code version, file and key exists', () => {
    const version = 'v1';
    openRun(version, new Set([entryName(version, 'papers/a/index.html', '1')]));
    const render = renderChanged('paper pages', [page('a', '1'), page('b', '2'), page('c', '3')], (p) => `papers/${p.params.slug}/`);
    expect(render.map((p) => p.params.slug)).toEqual(['b', 'c']);
    expect(entryName('v2', 'papers/a/index.html', '1')).not.toBe(entryName(version, 'papers/a/index.html', '1'));
    expect(entryName(version, 'papers/a/index.html', '2')).not.toBe(entryName(version, 'papers/a/index.html', '1'));
  });
});

describe('outputFile', () => {
  it('maps route paths to the files Astro writes, and refuses paths that leave the site', () => {
    expect(outputFile('papers/2401.00001/')).toBe('papers/2401.00001/index.html');
    expect(outputFile('topics/x/atom.xml')).toBe('topics/x/atom.xml');
    expect(outputFile('')).toBe('index.html');
    for (const bad of ['../x/', '/etc/passwd', 'papers/../../x', './x']) expect(() => outputFile(bad)).toThrow(/not a site-relative path/);
  });
});

describe('site files', () => {
  it('are what the route handed over last (getStaticPaths may run again)', () => {
    const run = openRun('v1', new Set());
    addSiteFiles('paper pages', [bibFile(paper), bibFile({ ...paper, id: 'hep-th/9901001' })]);
    addSiteFiles('paper pages', [bibFile(paper)]);
    const files = takeSiteFiles(run, 'paper pages');
    expect(files.map((f) => f.path)).toEqual(['papers/2401.00001.bib']);
    expect(files[0]!.text()).toMatch(/^@misc\{lovelace2024paper,[\s\S]*eprint += \{2401\.00001\},[\s\S]*\}\n$/);
  });

  it('fail the build when the route never handed any over, instead of leaving the files out', () => {
    const run = openRun('v1', new Set());
    addSiteFiles('other route', []);
    expect(() => takeSiteFiles(run, 'paper pages')).toThrow(/paper pages did not hand over its files/);
    addSiteFiles('paper pages', []);
    expect(takeSiteFiles(run, 'paper pages')).toEqual([]);
  });

  it('are never named after an id the schema would reject', () => {
    expect(() => bibFile({ ...paper, id: '../../etc/passwd' })).toThrow(/not an arXiv id/);
  });

  it('are keyed by exactly what the entry holds: upvotes do not change a .bib file, a title does', () => {
    expect(bibFile({ ...paper, upvotes: 5 } as typeof paper).key).toBe(bibFile(paper).key);
    expect(bibFile({ ...paper, title: 'Another title' }).key).not.toBe(bibFile(paper).key);
  });
});

describe('a build after a build', () => {
  it('links what did not change from the cache, renders and stores what did, removes stale entries', () => {
    const entries = makeTempDir('paperboy-oc-entries-');
    const first = build('v1', entries, [page('a', '1'), page('b', '2')]);
    expect(first.rendered).toEqual(['a', 'b']);
    expect(first.result).toMatchObject({ routes: [{ route: 'paper pages', rendered: 2, kept: 0 }], files: { written: 1, kept: 0 }, pruned: 0 });

    // b changes, c is new, the .bib file is the same.
    const second = build('v1', entries, [page('a', '1'), page('b', '3'), page('c', '4')]);
    expect(second.rendered).toEqual(['b', 'c']);
    expect(second.result).toMatchObject({ routes: [{ rendered: 2, kept: 1 }], files: { written: 0, kept: 1 }, pruned: 1 });
    expect(readFileSync(join(second.site, 'papers/a/index.html'), 'utf8')).toBe('<p>a 1</p>');
    expect(readFileSync(join(second.site, 'papers/b/index.html'), 'utf8')).toBe('<p>b 3</p>');
    expect(readFileSync(join(second.site, 'papers/2401.00001.bib'), 'utf8')).toBe(bibFile(paper).text());
    // Linked, not copied: the kept page is its cache entry.
    const name = entryName('v1', 'papers/a/index.html', '1');
    const entry = join(entries, name.slice(0, 2), name.slice(2));
    expect(statSync(join(second.site, 'papers/a/index.html')).ino).toBe(statSync(entry).ino);
    // The first build's site is untouched by the second (b's old page is still b 2 there).
    expect(readFileSync(join(first.site, 'papers/b/index.html'), 'utf8')).toBe('<p>b 2</p>');
    expect(listEntries(entries).size).toBe(4); // a, b (new key), c, the .bib file

    // Another code version: everything renders again, the old entries go.
    const third = build('v2', entries, [page('a', '1'), page('b', '3'), page('c', '4')]);
    expect(third.rendered).toEqual(['a', 'b', 'c']);
    expect(third.result).toMatchObject({ files: { written: 1, kept: 0 }, pruned: 4 });
  });

  it('does not store a rendered page Astro did not write where expected, and says which', () => {
    const entries = makeTempDir('paperboy-oc-entries-');
    const site = makeTempDir('paperboy-oc-site-');
    const run = openRun('v1', new Set());
    renderChanged('paper pages', [page('a', '1')], (p) => `papers/${p.params.slug}/`);
    addSiteFiles('paper pages', []);
    closeRun();
    const result = finishRun(run, site, entries, ['paper pages']);
    expect(result.missing).toEqual(['papers/a/index.html']);
    expect(listEntries(entries).size).toBe(0);
  });
});

describe('codeVersion', () => {
  it('changes with a source file, a setting or the config, and only then', () => {
    const root = makeTempDir('paperboy-oc-root-');
    const write = (rel: string, text: string) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    write('src/pages/index.astro', '<p>home</p>');
    write('astro.config.mjs', 'export default {}');
    write('content/papers/2024/01/01/x.md', 'data, not code');
    const base = codeVersion(root, { repositoryUrl: undefined });
    expect(codeVersion(root, { repositoryUrl: undefined })).toBe(base);
    write('content/papers/2024/01/01/y.md', 'more data');
    expect(codeVersion(root, { repositoryUrl: undefined })).toBe(base);
    expect(codeVersion(root, { repositoryUrl: 'https://github.com/o/r' })).not.toBe(base);
    write('src/pages/index.astro', '<p>home!</p>');
    const edited = codeVersion(root, { repositoryUrl: undefined });
    expect(edited).not.toBe(base);
    write('public/feed.xsl', '<xsl/>');
    expect(codeVersion(root, { repositoryUrl: undefined })).not.toBe(edited);
    expect(existsSync(join(root, 'package-lock.json'))).toBe(false); // a missing file is no error
  });
});

describe('the link worker (EarlyLinks)', () => {
  it('links what it is sent into new directories while the caller goes on, and says when it is done', async () => {
    const dir = makeTempDir('paperboy-early-links-');
    const from = join(dir, 'entry');
    writeFileSync(from, 'page');
    const links = new EarlyLinks();
    links.place([[from, join(dir, 'site/papers/a/index.html')]]);
    links.place([[from, join(dir, 'site/papers/b/index.html')], [from, join(dir, 'site/topics/x/index.html')]]);
    expect(await links.finish()).toBe(0);
    for (const page of ['papers/a/index.html', 'papers/b/index.html', 'topics/x/index.html']) {
      expect(readFileSync(join(dir, 'site', page), 'utf8')).toBe('page');
      expect(statSync(join(dir, 'site', page)).ino).toBe(statSync(from).ino);
    }
  });

  it('fails the build with the first error, naming the file', async () => {
    const dir = makeTempDir('paperboy-early-links-');
    const links = new EarlyLinks();
    links.place([[join(dir, 'no-such-entry'), join(dir, 'site/papers/a/index.html')]]);
    await expect(links.finish()).rejects.toThrow(/placing cached pages failed: ENOENT.*no-such-entry/);
  });
});
