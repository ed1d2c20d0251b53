/**
 * Just enough DOM over built HTML for the build tests: a real parser
 * (ultrahtml, which astro itself depends on) plus entity decoding, so the tests
 * see what a browser sees (`&amp;` in an href is `&`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ELEMENT_NODE, TEXT_NODE, parse, type ElementNode } from 'ultrahtml';

type AnyNode = { type: number; value?: string; children?: AnyNode[]; parent?: AnyNode };

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

export class HtmlPage {
  readonly elements: ElementNode[] = [];
  readonly source: string;

  constructor(source: string) {
    this.source = source;
    const visit = (node: AnyNode) => {
      if (node.type === ELEMENT_NODE) this.elements.push(node as unknown as ElementNode);
      for (const child of node.children ?? []) visit(child);
    };
    visit(parse(source) as AnyNode);
  }

  /** Elements by tag name, in document order. */
  all(name: string): ElementNode[] {
    return this.elements.filter((el) => el.name.toLowerCase() === name);
  }

  attr(el: ElementNode, name: string): string | undefined {
    const raw = el.attributes[name];
    return raw === undefined ? undefined : decodeEntities(String(raw));
  }

  /** `<meta name|property=key content>` values. */
  meta(key: string): string[] {
    return this.all('meta')
      .filter((el) => this.attr(el, 'name') === key || this.attr(el, 'property') === key)
      .map((el) => this.attr(el, 'content') ?? '');
  }

  linkRel(rel: string): ElementNode[] {
    return this.all('link').filter((el) => (this.attr(el, 'rel') ?? '').split(/\s+/).includes(rel));
  }

  /** Visible text of an element (or the body), entities decoded, scripts and styles left out. */
  text(el?: ElementNode): string {
    const root = (el ?? this.all('body')[0]) as AnyNode | undefined;
    if (!root) return '';
    let out = '';
    const visit = (node: AnyNode) => {
      if (node.type === TEXT_NODE) out += decodeEntities(node.value ?? '');
      if (node.type === ELEMENT_NODE && ['script', 'style', 'template'].includes((node as unknown as ElementNode).name)) return;
      if (node.type === ELEMENT_NODE && (node as unknown as ElementNode).name === 'br') out += ' ';
      for (const child of node.children ?? []) visit(child);
    };
    visit(root);
    return out.replace(/\s+/g, ' ').trim();
  }

  /** Nearest ancestor (or self) whose tag is one of `names`. */
  closest(el: ElementNode, names: string[]): ElementNode | undefined {
    let node: AnyNode | undefined = el as unknown as AnyNode;
    while (node) {
      if (node.type === ELEMENT_NODE && names.includes((node as unknown as ElementNode).name)) return node as unknown as ElementNode;
      node = node.parent;
    }
    return undefined;
  }

  /** Whether `ancestor` contains `el`. */
  contains(ancestor: ElementNode, el: ElementNode): boolean {
    let node: AnyNode | undefined = el as unknown as AnyNode;
    while (node) {
      if (node === (ancestor as unknown as AnyNode)) return true;
      node = node.parent;
    }
    return false;
  }

  hasClass(el: ElementNode, name: string): boolean {
    return (this.attr(el, 'class') ?? '').split(/\s+/).includes(name);
  }

  ids(): Set<string> {
    const ids = new Set<string>();
    for (const el of this.elements) {
      const id = this.attr(el, 'id');
      if (id) ids.add(id);
      const name = el.name === 'a' ? this.attr(el, 'name') : undefined;
      if (name) ids.add(name);
    }
    return ids;
  }
}

export function readPage(path: string): HtmlPage {
  return new HtmlPage(readFileSync(path, 'utf8'));
}

/** Every file below `dir`, as paths relative to it with `/` separators. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every URL-carrying attribute of a page: [element, attribute name, decoded value]. */
export function urlAttributes(page: HtmlPage): Array<{ el: ElementNode; name: string; value: string }> {
  const out: Array<{ el: ElementNode; name: string; value: string }> = [];
  for (const el of page.elements) {
    for (const name of ['href', 'src', 'action', 'formaction', 'poster', 'data', 'xlink:href', 'cite']) {
      const value = page.attr(el, name);
      if (value !== undefined) out.push({ el, name, value: value.trim() });
    }
    for (const name of ['srcset', 'imagesrcset']) {
      const value = page.attr(el, name);
      if (value === undefined) continue;
      for (const candidate of value.split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) out.push({ el, name, value: url });
      }
    }
  }
  return out;
}
