/**
 * The content loaders (src/site/paper-loader.ts) with a stand-in for Astro's loader context whose store keeps
 * Astro 7.3.5's rule: `set` leaves an entry alone when its digest is unchanged. What they must do: parse only
 * new or changed files, apply their changes in one burst, and stay fast after the archive moves.
 */
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { afterAll, describe, expect, it } from 'vitest';
import { dayRecordsLoader, paperFilesLoader } from '../../src/site/paper-loader.ts';
import { FIXTURE_ARCHIVE, makeTempDir, removeBuilds } from '../helpers/build-site.ts';

afterAll(() => removeBuilds());

interface Entry {
  id: string;
  data: Record<string, unknown>;
  body?: string;
  filePath?: string;
  digest?: string;
}

/** A collection's store as Astro's loaders see it, counting what is parsed and when entries change. */
function fakeContext(root: string) {
  const entries = new Map<string, Entry>();
  const stats = { parsed: 0, sets: 0, changeTimes: [] as number[] };
  const store = {
    get: (id: string) => entries.get(id),
    set: (entry: Entry) => {
      const existing = entries.get(entry.id);
      if (existing && existing.digest === entry.digest) return false;
      entries.set(entry.id, entry);
      stats.sets++;
      stats.changeTimes.push(performance.now());
      return true;
    },
    delete: (id: string) => {
      entries.delete(id);
      stats.changeTimes.push(performance.now());
    },
    has: (id: string) => entries.has(id),
    keys: () => entries.keys(),
    entries: () => entries.entries(),
  };
  const context = {
    store,
    logger: { warn: () => {}, error: () => {}, info: () => {} },
    config: { root: pathToFileURL(`${root}/`) },
    generateDigest: (text: string) => createHash('sha256').update(text).digest('hex'),
    parseData: async ({ data }: { data: Record<string, unknown> }) => {
      stats.parsed++;
      return data;
    },
  } as unknown as LoaderContext;
  return { context, entries, stats, reset: () => Object.assign(stats, { parsed: 0, sets: 0, changeTimes: [] }) };
}

describe('paperFilesLoader', () => {
  it('parses only new or changed files, and nothing after the archive moved once', async () => {
    const root = makeTempDir('paperboy-loader-root-');
    mkdirSync(join(root, 'a'));
    cpSync(FIXTURE_ARCHIVE, join(root, 'a', 'papers'), { recursive: true });
    const fake = fakeContext(root);
    await paperFilesLoader({ base: 'a/papers' }).load(fake.context);
    const papers = fake.entries.size;
    expect(papers).toBeGreaterThan(40);
    expect(fake.stats.parsed).toBe(papers);

    fake.reset();
    await paperFilesLoader({ base: 'a/papers' }).load(fake.context);
    expect(fake.stats).toMatchObject({ parsed: 0, sets: 0 });

    // The archive moves (another checkout path): one build re-reads it and records the new paths...
    renameSync(join(root, 'a'), join(root, 'b'));
    fake.reset();
    await paperFilesLoader({ base: 'b/papers' }).load(fake.context);
    expect(fake.entries.size).toBe(papers);
    expect([...fake.entries.values()].every((e) => e.filePath?.startsWith('b/papers/'))).toBe(true);
    // ...and the next one parses nothing.
    fake.reset();
    await paperFilesLoader({ base: 'b/papers' }).load(fake.context);
    expect(fake.stats.parsed).toBe(0);
  });
});

describe('dayRecordsLoader', () => {
  it('stores each day record under its day, skips unchanged ones, drops removed ones, and changes all at once', async () => {
    const root = makeTempDir('paperboy-loader-days-');
    cpSync(FIXTURE_ARCHIVE, join(root, 'papers'), { recursive: true });
    const fake = fakeContext(root);
    await dayRecordsLoader({ base: 'papers' }).load(fake.context);
    const days = [...fake.entries.keys()];
    expect(days).toContain('2024-01-03');
    expect(fake.entries.get('2024-01-03')!.filePath).toBe('papers/2024/01/03/day.json');

    fake.reset();
    writeFileSync(join(root, 'papers/2024/01/03/day.json'), JSON.stringify({ ...fake.entries.get('2024-01-03')!.data, count: 99 }));
    rmSync(join(root, 'papers/2024/01/02/day.json'));
    await dayRecordsLoader({ base: 'papers' }).load(fake.context);
    expect(fake.stats).toMatchObject({ parsed: 1, sets: 1 });
    expect(fake.entries.get('2024-01-03')!.data.count).toBe(99);
    expect(fake.entries.has('2024-01-02')).toBe(false);
    // One burst: Astro saves the whole store 500 ms after the last change.
    expect(Math.max(...fake.stats.changeTimes) - Math.min(...fake.stats.changeTimes)).toBeLessThan(50);
  });

  it('names the file of a broken record', async () => {
    const root = makeTempDir('paperboy-loader-broken-');
    mkdirSync(join(root, 'papers/2024/01/05'), { recursive: true });
    writeFileSync(join(root, 'papers/2024/01/05/day.json'), '{ not json');
    await expect(dayRecordsLoader({ base: 'papers' }).load(fakeContext(root).context)).rejects.toThrow(/papers\/2024\/01\/05\/day\.json: not a valid day record: not JSON/);
  });
});
