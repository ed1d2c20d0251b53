/**
 * Math for feeds, so that a formula reads once in every reader. KaTeX's
 * MathML carries the TeX source as an <annotation>: a reader that shows HTML
 * as text (newsboat, or a web reader whose sanitiser drops MathML tags but
 * keeps their text) prints the formula's characters and then its source,
 * "α≫1\alpha \gg 1". So a formula goes into a feed in one of two forms:
 *
 * - MathML without the annotation (the TeX source in `alttext`), when its
 *   characters in order read as the formula: `\alpha \gg 1` shows α≫1
 *   typeset where MathML renders and "α≫1" as text;
 * - otherwise a text form: Unicode and a little HTML (`<sup>`, `<sub>`,
 *   `<var>`), e.g. `x^2` as "x²", `G_{\text{stack}}` as "G<sub>stack</sub>",
 *   `\frac{a+b}{2}` as "(a+b)/2", where MathML as text would have read "x2",
 *   "Gstack" and "a+b2". Browsers show it as ordinary typeset text and
 *   newsboat as "G[stack]" (its rendering of <sub>).
 *
 * A formula the text form does not cover (matrices, boxes...) stays MathML.
 * Font variants (`\mathbb{R}`) become Unicode math letters (ℝ), as MathML
 * Core prefers, so they survive as text too. Pure and deterministic.
 */

interface MathElement {
  name: string;
  attributes: Record<string, string>;
  children: MathNode[];
}
type MathNode = MathElement | string;

// ------------------------------------------------------------------ parsing

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_m, hex?: string, dec?: string, name?: string) =>
    hex !== undefined ? String.fromCodePoint(parseInt(hex, 16)) : dec !== undefined ? String.fromCodePoint(parseInt(dec, 10)) : ENTITIES[name!]!,
  );
}

const TAG = /<(\/?)([a-zA-Z][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
const ATTRIBUTE = /([\w:.-]+)="([^"]*)"/g;

/** The <math> element of KaTeX's MathML output (well-formed XML it escapes itself); undefined if there is none. */
export function parseMathml(markup: string): MathElement | undefined {
  const root: MathElement = { name: '#root', attributes: {}, children: [] };
  const stack = [root];
  let last = 0;
  for (const match of markup.matchAll(TAG)) {
    const top = stack.at(-1)!;
    if (match.index > last) top.children.push(decode(markup.slice(last, match.index)));
    last = match.index + match[0].length;
    const [, closing, name, attributeText, selfClosing] = match;
    if (closing) {
      if (top.name !== name || stack.length === 1) return undefined;
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText!.matchAll(ATTRIBUTE)) attributes[key!] = decode(value!);
    const element: MathElement = { name: name!, attributes, children: [] };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) return undefined;
  const find = (node: MathElement): MathElement | undefined =>
    node.name === 'math' ? node : node.children.filter((c): c is MathElement => typeof c !== 'string').map(find).find(Boolean);
  return find(root);
}

// ---------------------------------------------------------- font variants

/** Offsets into Unicode's Mathematical Alphanumeric Symbols (capital A, small a, digit 0), by mathvariant. */
const VARIANTS: Record<string, [number, number, number | undefined]> = {
  bold: [0x1d400, 0x1d41a, 0x1d7ce],
  italic: [0x1d434, 0x1d44e, undefined],
  'bold-italic': [0x1d468, 0x1d482, undefined],
  script: [0x1d49c, 0x1d4b6, undefined],
  'bold-script': [0x1d4d0, 0x1d4ea, undefined],
  fraktur: [0x1d504, 0x1d51e, undefined],
  'double-struck': [0x1d538, 0x1d552, 0x1d7d8],
  'bold-fraktur': [0x1d56c, 0x1d586, undefined],
  'sans-serif': [0x1d5a0, 0x1d5ba, 0x1d7e2],
  'bold-sans-serif': [0x1d5d4, 0x1d5ee, 0x1d7ec],
  'sans-serif-italic': [0x1d608, 0x1d622, undefined],
  'sans-serif-bold-italic': [0x1d63c, 0x1d656, undefined],
  monospace: [0x1d670, 0x1d68a, 0x1d7f6],
};

/** Letters the block leaves out because they were encoded earlier (Letterlike Symbols). */
const VARIANT_HOLES: Record<string, string> = {
  'italic h': 'ℎ',
  'script B': 'ℬ', 'script E': 'ℰ', 'script F': 'ℱ', 'script H': 'ℋ', 'script I': 'ℐ', 'script L': 'ℒ', 'script M': 'ℳ', 'script R': 'ℛ',
  'script e': 'ℯ', 'script g': 'ℊ', 'script o': 'ℴ',
  'fraktur C': 'ℭ', 'fraktur H': 'ℌ', 'fraktur I': 'ℑ', 'fraktur R': 'ℜ', 'fraktur Z': 'ℨ',
  'double-struck C': 'ℂ', 'double-struck H': 'ℍ', 'double-struck N': 'ℕ', 'double-struck P': 'ℙ', 'double-struck Q': 'ℚ',
  'double-struck R': 'ℝ', 'double-struck Z': 'ℤ',
};

function styled(text: string, variant: string): string {
  const offsets = VARIANTS[variant];
  if (!offsets) return text;
  return [...text]
    .map((ch) => {
      const hole = VARIANT_HOLES[`${variant} ${ch}`];
      if (hole) return hole;
      const code = ch.codePointAt(0)!;
      if (code >= 0x41 && code <= 0x5a) return String.fromCodePoint(offsets[0] + code - 0x41);
      if (code >= 0x61 && code <= 0x7a) return String.fromCodePoint(offsets[1] + code - 0x61);
      if (code >= 0x30 && code <= 0x39 && offsets[2] !== undefined) return String.fromCodePoint(offsets[2] + code - 0x30);
      return ch;
    })
    .join('');
}

/** Font variants written as Unicode letters (`<mi mathvariant="double-struck">R</mi>` -> `<mi>ℝ</mi>`). */
function applyVariants(node: MathElement): MathElement {
  const variant = node.attributes.mathvariant;
  const attributes = { ...node.attributes };
  let children = node.children.map((c) => (typeof c === 'string' ? c : applyVariants(c)));
  if (variant && VARIANTS[variant]) {
    delete attributes.mathvariant;
    children = children.map((c) => (typeof c === 'string' ? styled(c, variant) : c));
  }
  return { name: node.name, attributes, children };
}

// ---------------------------------------------------------------- reading

const elements = (node: MathElement) => node.children.filter((c): c is MathElement => typeof c !== 'string');

/** The presentation tree of <math>: its <semantics>' first child, the annotations dropped. */
function presentation(math: MathElement): MathNode[] {
  const kids = elements(math);
  if (kids.length === 1 && kids[0]!.name === 'semantics') return elements(kids[0]!).slice(0, 1);
  return math.children;
}

/** What a reader that ignores MathML tags shows: the characters in document order. */
function textContent(nodes: readonly MathNode[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : textContent(n.children))).join('');
}

const SUPERSCRIPTS: Record<string, string> = {
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ',
  r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ', T: 'ᵀ',
};
const SUBSCRIPTS: Record<string, string> = {
  0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
  a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ',
};
/** A single Latin or Greek letter: a variable, set in italics (<var>) as TeX does. */
const VARIABLE = /^[A-Za-z\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03d6\u03f1\u03f5]$/;
const PRIMES = /^[′″‴⁗]+$/;
/** Combining marks for accents (`\hat`, `\tilde`, `\bar`, `\dot`, `\ddot`, `\vec`), placed after each character. */
const ACCENTS: Record<string, string> = {
  '^': '\u0302', 'ˆ': '\u0302', '~': '\u0303', '˜': '\u0303', '¯': '\u0304', '‾': '\u0305', '˙': '\u0307', '¨': '\u0308', '→': '\u20d7', '⃗': '\u20d7',
};

/**
 * A piece of the text form: its HTML, its plain text, whether it is a single
 * symbol (needs no parentheses), a word (log, softmax, a \text run: kept apart
 * from a letter before it) or a function application (a space between a
 * function name and its argument, none before a bracket).
 */
interface Piece {
  html: string;
  text: string;
  atom: boolean;
  word?: boolean;
  apply?: boolean;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function plain(raw: string, atom?: boolean): Piece {
  // Invisible operators (function application, invisible times...) have no place in text.
  const text = raw.replace(/[\u2061-\u2064]/g, '');
  return { html: escapeHtml(text), text, atom: atom ?? [...text].length <= 1 };
}
const word = (text: string): Piece => ({ ...plain(text), word: /^\p{L}{2,}/u.test(text) });

function join(pieces: readonly Piece[]): Piece {
  let html = '';
  let text = '';
  pieces.forEach((piece, i) => {
    if (piece.apply) {
      if (/^[(\[{|⟨]/.test(pieces[i + 1]?.text ?? '(')) return;
    } else if (piece.word && /[\p{L}\p{N}]$/u.test(text)) {
      html += ' ';
      text += ' ';
    }
    html += piece.html;
    text += piece.text;
  });
  return { html, text, atom: pieces.length === 1 && pieces[0]!.atom };
}

function grouped(piece: Piece): Piece {
  return piece.atom ? piece : { html: `(${piece.html})`, text: `(${piece.text})`, atom: true };
}

function script(piece: Piece, kind: 'sup' | 'sub'): Piece {
  if (kind === 'sup' && PRIMES.test(piece.text)) return piece;
  const table = kind === 'sup' ? SUPERSCRIPTS : SUBSCRIPTS;
  const chars = [...piece.text];
  if (chars.length > 0 && chars.every((c) => table[c] !== undefined)) return plain(chars.map((c) => table[c]).join(''), false);
  return { html: `<${kind}>${piece.html}</${kind}>`, text: `${kind === 'sup' ? '^' : '_'}(${piece.text})`, atom: false };
}

/** The text form of a list of nodes; undefined when some element has none. */
function linear(nodes: readonly MathNode[]): Piece | undefined {
  const pieces: Piece[] = [];
  for (const node of nodes) {
    const piece = typeof node === 'string' ? plain(node) : linearElement(node);
    if (!piece) return undefined;
    if (piece.text !== '' || piece.html !== '') pieces.push(piece);
  }
  return join(pieces);
}

function linearElement(node: MathElement): Piece | undefined {
  const kids = elements(node);
  const arg = (i: number) => (kids[i] ? linear([kids[i]!]) : undefined);
  switch (node.name) {
    case 'mrow':
    case 'mstyle':
    case 'mpadded':
      return linear(node.children);
    case 'mphantom':
      return plain('');
    case 'mi': {
      const text = textContent(node.children);
      // A single letter is a variable (italic in browsers); a longer name (log, softmax) is upright.
      return VARIABLE.test(text) && node.attributes.mathvariant !== 'normal'
        ? { html: `<var>${escapeHtml(text)}</var>`, text, atom: true }
        : word(text);
    }
    case 'mn':
      return plain(textContent(node.children));
    case 'mtext':
      return word(textContent(node.children));
    case 'mo': {
      const text = textContent(node.children);
      // Function application (after log, sin...) reads as a space; invisible times/separator/plus as nothing.
      if (text === '\u2061') return { html: ' ', text: ' ', atom: false, apply: true };
      return plain(text);
    }
    case 'mspace': {
      const width = /^([\d.]+)em$/.exec(node.attributes.width ?? '');
      return plain(width && Number(width[1]) >= 0.25 ? ' ' : '', false);
    }
    case 'msup':
    case 'msub': {
      const [base, sup] = [arg(0), arg(1)];
      if (!base || !sup) return undefined;
      return join([base, script(sup, node.name === 'msup' ? 'sup' : 'sub')]);
    }
    case 'msubsup':
    case 'munderover': {
      const [base, sub, sup] = [arg(0), arg(1), arg(2)];
      if (!base || !sub || !sup) return undefined;
      return join([base, script(sub, 'sub'), script(sup, 'sup')]);
    }
    case 'mover':
    case 'munder': {
      const [base, mark] = [arg(0), arg(1)];
      if (!base || !mark) return undefined;
      const accent = ACCENTS[mark.text];
      if (node.name === 'mover' && accent && (node.attributes.accent === 'true' || mark.text === '‾')) {
        if ([...base.text].length !== 1 && accent !== '\u0305') return undefined;
        return plain([...base.text].map((c) => c + accent).join(''), base.atom);
      }
      // Limits (\lim_{x \to 0}, \sum with limits): read as scripts.
      return join([base, script(mark, node.name === 'mover' ? 'sup' : 'sub')]);
    }
    case 'mfrac': {
      const [num, den] = [arg(0), arg(1)];
      // linethickness 0 is a binomial coefficient, which no slash reads as.
      if (!num || !den || node.attributes.linethickness === '0px') return undefined;
      const over = join([grouped(num), plain('/'), grouped(den)]);
      return { ...over, atom: false };
    }
    case 'msqrt': {
      const body = linear(node.children);
      return body ? join([plain('√'), grouped(body)]) : undefined;
    }
    case 'mroot': {
      const [body, index] = [arg(0), arg(1)];
      if (!body || !index) return undefined;
      const sign = index.text === '3' ? '∛' : index.text === '4' ? '∜' : undefined;
      return sign ? join([plain(sign), grouped(body)]) : join([script(index, 'sup'), plain('√'), grouped(body)]);
    }
    default:
      // mtable, menclose, mmultiscripts, merror...: no faithful one-line reading.
      return undefined;
  }
}

// ------------------------------------------------------------ serialising

const escapeXml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function serialize(node: MathNode): string {
  if (typeof node === 'string') return escapeXml(node);
  const attributes = Object.entries(node.attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  return node.children.length ? `<${node.name}${attributes}>${node.children.map(serialize).join('')}</${node.name}>` : `<${node.name}${attributes}/>`;
}

const whitespace = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The feed form of one formula, from KaTeX's MathML output for it (`katex`,
 * output 'mathml') and its TeX source; undefined if that output cannot be read.
 */
export function feedMath(katexMathml: string, tex: string, display: boolean): string | undefined {
  const math = parseMathml(katexMathml);
  if (!math) return undefined;
  const tree = presentation(math).map((n) => (typeof n === 'string' ? n : applyVariants(n)));
  const text = linear(tree);
  if (text && whitespace(text.text) !== whitespace(textContent(tree))) return text.html.trim();
  const attributes = `xmlns="http://www.w3.org/1998/Math/MathML"${display ? ' display="block"' : ''} alttext="${escapeXml(tex)}"`;
  return `<math ${attributes}>${tree.map(serialize).join('')}</math>`;
}
