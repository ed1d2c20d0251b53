import { afterEach, describe, expect, it } from 'vitest';
import { bibFile } from '../../src/lib/bib-files.ts';
import { addSiteFiles, collectSiteFiles, takeSiteFiles } from '../../src/lib/site-files.ts';

const paper = { id: '2401.00001', title: 'A paper', authors: ['Ada Lovelace'], published: '2024-01-01T00:00:00.000Z' };

afterEach(() => collectSiteFiles());

describe('site files handed over by a route', () => {
  it('are what the route handed over last (getStaticPaths may run again)', () => {
    collectSiteFiles();
    addSiteFiles('paper pages', [bibFile(paper), bibFile({ ...paper, id: 'hep-th/9901001' })]);
    addSiteFiles('paper pages', [bibFile(paper)]);
    const files = takeSiteFiles('paper pages');
    expect(files.map((f) => f.path)).toEqual(['papers/2401.00001.bib']);
    expect(files[0]!.text()).toMatch(/^@misc\{lovelace2024paper,[\s\S]*eprint += \{2401\.00001\},[\s\S]*\}\n$/);
  });

  it('fail the build when the route never handed any over, instead of leaving the files out', () => {
    collectSiteFiles();
    addSiteFiles('other route', []);
    expect(() => takeSiteFiles('paper pages')).toThrow(/paper pages did not hand over its files/);
    collectSiteFiles();
    addSiteFiles('paper pages', []);
    expect(takeSiteFiles('paper pages')).toEqual([]);
  });

  it('are never named after an id the schema would reject', () => {
    expect(() => bibFile({ ...paper, id: '../../etc/passwd' })).toThrow(/not an arXiv id/);
  });
});
