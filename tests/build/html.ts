/**
 * Just enough DOM over built HTML for the build tests, from a spec-compliant
 * parser (parse5, the one jsdom uses), so the tests see what a browser sees:
 * entities decoded, `<` inside a quoted attribute is text, raw text in scripts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';

type P5Node = DefaultTreeAdapterMap['node'];

export interface TextNode {
  type: 'text';
  value: string;
  parent: ElementNode | undefined;
}

export interface ElementNode {
  type: 'element';
  name: string;
  /** Attribute values as the browser sees them (entities decoded). */
  attributes: Record<string, string>;
  children: Array<ElementNode | TextNode>;
  parent: ElementNode | undefined;
}

function convert(node: P5Node, parent: ElementNode | undefined, out: ElementNode[]): ElementNode | TextNode | undefined {
  if (node.nodeName === '#text') return { type: 'text', value: (node as { value: string }).value, parent };
  if (!('tagName' in node)) return undefined;
  const el: ElementNode = {
    type: 'element',
    name: node.tagName,
    attributes: Object.fromEntries(node.attrs.map((attr) => [attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name, attr.value])),
    children: [],
    parent,
  };
  out.push(el);
  const childNodes = node.tagName === 'template' ? (node as unknown as { content: { childNodes: P5Node[] } }).content.childNodes : node.childNodes;
  for (const child of childNodes) {
    const converted = convert(child, el, out);
    if (converted) el.children.push(converted);
  }
  return el;
}

const SKIPPED = new Set(['script', 'style', 'template', 'head']);
// Elements that do not break a line of text; everything else is read with a space around it.
const INLINE = new Set(
  'a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u var wbr math semantics mrow mi mo mn msup msub mfrac msqrt annotation'.split(' '),
);

export class HtmlPage {
  readonly elements: ElementNode[] = [];
  readonly source: string;

  constructor(source: string) {
    this.source = source;
    for (const child of parse(source).childNodes) convert(child, undefined, this.elements);
  }

  /** Elements by tag name, in document order. */
  all(name: string): ElementNode[] {
    return this.elements.filter((el) => el.name.toLowerCase() === name);
  }

  attr(el: ElementNode, name: string): string | undefined {
    return el.attributes[name];
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

  /** Visible text of an element (or the body), scripts and styles left out, block boundaries as spaces. */
  text(el?: ElementNode): string {
    const root = el ?? this.all('body')[0];
    if (!root) return '';
    let out = '';
    const visit = (node: ElementNode | TextNode) => {
      if (node.type === 'text') {
        out += node.value;
        return;
      }
      if (SKIPPED.has(node.name)) return;
      const block = !INLINE.has(node.name);
      if (block) out += ' ';
      for (const child of node.children) visit(child);
      if (block) out += ' ';
    };
    visit(root);
    return out.replace(/\s+/g, ' ').trim();
  }

  /** Nearest ancestor (or self) whose tag is one of `names`. */
  closest(el: ElementNode, names: string[]): ElementNode | undefined {
    for (let node: ElementNode | undefined = el; node; node = node.parent) if (names.includes(node.name)) return node;
    return undefined;
  }

  /** Whether `ancestor` contains `el` (or is it). */
  contains(ancestor: ElementNode, el: ElementNode): boolean {
    for (let node: ElementNode | undefined = el; node; node = node.parent) if (node === ancestor) return true;
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
