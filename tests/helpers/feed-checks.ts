/**
 * Atom checks shared by the discovery tests, the same ones tests/feeds applies
 * to the main feeds: well-formed under a strict XML parser, no XML-invalid
 * characters, the browser's CSS stylesheet under the base path, and the RFC 4287
 * required elements as a maintained feed parser (feedsmith) reads them.
 */
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed } from 'feedsmith';
import { expect } from 'vitest';

export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Parse and validate an Atom document served at `selfUrl`; returns the parsed feed. */
export function checkAtom(xml: string, selfUrl: string, base: string) {
  const wellFormed = XMLValidator.validate(xml);
  expect(wellFormed, `${selfUrl} is not well-formed: ${JSON.stringify(wellFormed)}`).toBe(true);
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  expect(xml).toContain(`<?xml-stylesheet type="text/css" href="${base}feed.css"?>`);
  const feed = parseAtomFeed(xml);
  expect(feed.id).toBe(selfUrl);
  expect(feed.title).toBeTruthy();
  expect(feed.updated).toMatch(RFC3339);
  expect(feed.authors?.length).toBeGreaterThan(0);
  expect(feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: selfUrl }));
  const ids = new Set<string>();
  for (const entry of feed.entries ?? []) {
    expect(entry.id).toBeTruthy();
    expect(ids.has(entry.id!), `duplicate id ${entry.id}`).toBe(false);
    ids.add(entry.id!);
    expect(entry.title?.value).toBeTruthy();
    expect(entry.updated).toMatch(RFC3339);
    expect(entry.published).toMatch(RFC3339);
    expect(Date.parse(entry.updated!)).toBeGreaterThanOrEqual(Date.parse(entry.published!));
    const alternate = entry.links?.find((l) => l.rel === 'alternate')?.href;
    expect(alternate, `${entry.id} has no alternate link`).toMatch(/^https?:\/\//);
  }
  return feed;
}
