/** Import specifiers of a source file and the cycles of a module graph (for the architecture test). */

const IMPORT_FORMS = [
  // import ... from '...', export ... from '...', import type ... from '...' (possibly multi-line)
  /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // import '...' (side effect)
  /\bimport\s+['"]([^'"]+)['"]/g,
  // import('...')
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  // new URL('./x.ts', import.meta.url): worker entry points
  /\bnew URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

/** Every module specifier the text imports, in order of appearance. */
export function importSpecifiers(text: string): string[] {
  const found: { at: number; specifier: string }[] = [];
  for (const form of IMPORT_FORMS) {
    for (const match of text.matchAll(form)) found.push({ at: match.index, specifier: match[1]! });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

/** Strongly connected components with more than one module (or a module importing itself), Tarjan's algorithm. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}
