/**
 * The module graph of src/ and scripts/ has no cycles, type-only imports included: a cycle means two
 * domains know each other, and the layout stops telling a newcomer which way the data flows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importSpecifiers } from './module-graph.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['src', 'scripts'];
const EXTENSIONS = ['.ts', '.mts', '.mjs', '.js', '.astro'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (EXTENSIONS.some((ext) => entry.name.endsWith(ext))) out.push(path);
  }
  return out;
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(from), specifier);
  for (const candidate of [target, ...EXTENSIONS.map((ext) => target + ext)]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

function projectGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)))) {
    const targets = importSpecifiers(readFileSync(file, 'utf8'))
      .map((s) => resolveSpecifier(file, s))
      .filter((t): t is string => t !== undefined);
    graph.set(relative(ROOT, file), targets.map((t) => relative(ROOT, t)));
  }
  return graph;
}

describe('module graph', () => {
  it('finds the import forms the project uses, type-only and dynamic ones included', () => {
    const text = [
      "import type { A } from './a.ts';",
      "import { type B, c } from '../b.ts';",
      "export { d } from './d.ts';",
      "import './side-effect.css';",
      "const m = await import('./lazy.ts');",
      "new Worker(new URL('./worker.ts', import.meta.url));",
      "import {\n  e,\n  f,\n} from './multi-line.ts';",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.ts', '../b.ts', './d.ts', './side-effect.css', './lazy.ts', './worker.ts', './multi-line.ts']);
  });

  it('reports a cycle, type-level ones included', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('src/ and scripts/ have no import cycle', () => {
    const graph = projectGraph();
    expect(graph.size).toBeGreaterThan(50);
    expect(findCycles(graph)).toEqual([]);
  });
});

describe('test layout', () => {
  it('puts every test file in a folder of exactly one vitest project', async () => {
    const { UNIT_TEST_DIRS, INTEGRATION_TEST_DIRS } = await import('../../vitest.config.ts');
    const known = [...UNIT_TEST_DIRS, ...INTEGRATION_TEST_DIRS];
    expect(new Set(known).size).toBe(known.length);
    const stray = sourceFiles(join(ROOT, 'tests'))
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => relative(join(ROOT, 'tests'), file))
      .filter((file) => !known.includes(file.split('/')[0]!));
    expect(stray).toEqual([]);
  });
});
