import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { sitemapChunks, sitemapXml } from '../../src/site/sitemap.ts';
import { makePaper, makeRecord } from '../helpers/make-paper.ts';

const archive = buildArchive(
  [makePaper('2401.00001', '2024-01-02'), makePaper('2401.00002', '2024-01-03'), makePaper('hep-th/9901001', '2024-01-03')],
  [makeRecord('2024-01-02', 1), makeRecord('2024-01-06', 0)],
);

describe('sitemap', () => {
  it('lists every page as an absolute URL under the base path', () => {
    const xml = sitemapXml(archive, 'https://user.github.io', '/paperboy/');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      'https://user.github.io/paperboy/',
      'https://user.github.io/paperboy/archive/',
      'https://user.github.io/paperboy/feeds/',
      'https://user.github.io/paperboy/2024/',
      'https://user.github.io/paperboy/2024/01/',
      'https://user.github.io/paperboy/2024/01/03/',
      'https://user.github.io/paperboy/2024/01/02/',
      'https://user.github.io/paperboy/papers/2401.00002/',
      'https://user.github.io/paperboy/papers/hep-th_9901001/',
      'https://user.github.io/paperboy/papers/2401.00001/',
    ]);
    expect(xml).toContain('<lastmod>2024-01-04</lastmod>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset')).toBe(true);
  });

  it('becomes an index of parts above the per-file URL limit', () => {
    expect(sitemapChunks(archive, undefined, 4).map((c) => c.length)).toEqual([4, 4, 2]);
    const index = sitemapXml(archive, 'https://user.github.io', '/', undefined, 4);
    expect(index).toContain('<sitemapindex');
    expect([...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual([
      'https://user.github.io/sitemap-1.xml',
      'https://user.github.io/sitemap-2.xml',
      'https://user.github.io/sitemap-3.xml',
    ]);
  });

  it('lists the discovery pages too: search, every topic, organization and week, papers with code', () => {
    const discovery = {
      topics: { topics: [{ slug: 'diffusion-model' }] },
      orgs: { orgs: [{ slug: 'bytedance-seed' }] },
      weeks: [{ key: '2024-W01' }],
    };
    const xml = sitemapXml(archive, 'https://user.github.io', '/paperboy/', discovery);
    for (const path of ['search/', 'topics/', 'topics/diffusion-model/', 'orgs/', 'orgs/bytedance-seed/', 'weeks/', 'weeks/2024-W01/', 'code/']) {
      expect(xml).toContain(`<loc>https://user.github.io/paperboy/${path}</loc>`);
    }
  });
});
