import { describe, expect, it } from 'vitest';
import { absoluteUrl, normalizeBase, routes, withBase } from '../../src/site/urls.ts';

describe('URLs under a base path', () => {
  it('normalises base paths', () => {
    expect(normalizeBase(undefined)).toBe('/');
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('paperboy')).toBe('/paperboy/');
    expect(normalizeBase('/paperboy')).toBe('/paperboy/');
    expect(normalizeBase('//a/b//')).toBe('/a/b/');
  });

  it('joins routes onto the base path', () => {
    expect(withBase('/paperboy/', routes.home())).toBe('/paperboy/');
    expect(withBase('/paperboy/', routes.day('2024-01-03'))).toBe('/paperboy/2024/01/03/');
    expect(withBase('/paperboy', routes.month('2024', '01'))).toBe('/paperboy/2024/01/');
    expect(withBase('/', routes.paper('2401.00001'))).toBe('/papers/2401.00001/');
    expect(withBase('/paperboy/', '/favicon.svg')).toBe('/paperboy/favicon.svg');
  });

  it('keeps the base path in absolute URLs', () => {
    expect(absoluteUrl('https://user.github.io', '/paperboy/', routes.archive())).toBe(
      'https://user.github.io/paperboy/archive/',
    );
    expect(absoluteUrl('https://user.github.io/ignored/', '/paperboy/', 'sitemap.xml')).toBe(
      'https://user.github.io/paperboy/sitemap.xml',
    );
  });

  it('never turns the slash of an old-style id into a path separator', () => {
    expect(routes.paper('hep-th/9901001')).toBe('papers/hep-th_9901001/');
    expect(() => routes.paper('../etc/passwd')).toThrow();
  });
});
