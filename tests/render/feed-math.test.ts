/**
 * Math in feeds reads once everywhere (src/render/feed-math.ts through
 * render.ts's 'feed' mode): never the TeX annotation next to the rendered
 * formula, MathML only where its characters read right as text, a text form
 * (Unicode, <sup>/<sub>/<var>) where they would not.
 */
import { describe, expect, it } from 'vitest';
import { parseMathml } from '../../src/render/feed-math.ts';
import { renderAbstractHtml, renderMath, renderTexInline } from '../../src/render/render.ts';

/** What a reader that shows HTML as text prints: tags dropped, entities decoded. */
function asText(html: string): string {
  return html
    .replace(/<sup>(.*?)<\/sup>/g, '^$1')
    .replace(/<sub>(.*?)<\/sub>/g, '[$1]')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const feed = (tex: string) => renderMath(tex, false, 'feed');

describe('math in feeds', () => {
  it('never carries the TeX source as an annotation', () => {
    for (const tex of ['\\alpha \\gg 1', 'x^2', '\\frac{a}{b}', '\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}', '\\mathbb{R}']) {
      expect(feed(tex)).not.toContain('<annotation');
      expect(feed(tex)).not.toContain('<semantics');
    }
  });

  it('stays MathML, with the source in alttext, where its characters read as the formula', () => {
    const html = feed('\\alpha \\gg 1');
    expect(html).toBe('<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="\\alpha \\gg 1"><mrow><mi>α</mi><mo>≫</mo><mn>1</mn></mrow></math>');
    expect(asText(html)).toBe('α≫1');
    expect(feed('x < y')).toContain('alttext="x &lt; y"');
    expect(asText(feed('x < y'))).toBe('x<y');
  });

  it('writes a text form where MathML as text would misread (scripts, fractions, roots, names)', () => {
    const cases: [string, string][] = [
      ['x^2', 'x²'],
      ['^3', '³'],
      ['\\nabla^2', '∇²'],
      ['L_2', 'L₂'],
      ['x_{i+1}', 'xᵢ₊₁'],
      ['e^{-x}', 'e⁻ˣ'],
      ['\\mathbb{R}^n', 'ℝⁿ'],
      ['\\mathcal{ZS}^2', '𝒵𝒮²'],
      ['A^*', 'A^∗'],
      ['H_{\\infty}', 'H[∞]'],
      ['G_{\\text{stack}}', 'G[stack]'],
      ['\\frac{a+b}{2}', '(a+b)/2'],
      ['\\sqrt{x+1}', '√(x+1)'],
      ['\\sqrt[3]{x}', '∛x'],
      ['\\hat{x}', 'x̂'],
      ['O(n \\log n)', 'O(n log n)'],
      ['\\operatorname{softmax}(x)', 'softmax(x)'],
    ];
    for (const [tex, text] of cases) {
      const html = feed(tex);
      expect(html, tex).not.toContain('<math');
      expect(asText(html), tex).toBe(text);
    }
    expect(feed('x^2')).toBe('<var>x</var>²');
    expect(feed('H_{\\infty}')).toBe('<var>H</var><sub>∞</sub>');
  });

  it('writes font variants as Unicode letters, so MathML Core and text agree', () => {
    expect(feed('\\mathbb{R}')).toContain('<mi>ℝ</mi>');
    expect(feed('\\mathbb{R}')).not.toContain('mathvariant');
    expect(asText(feed('\\mathbf{x}'))).toBe('𝐱');
  });

  it('keeps MathML for what has no one-line reading (a matrix)', () => {
    const html = feed('\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}');
    expect(html).toMatch(/^<math [^>]*alttext="\\begin\{pmatrix\}a&amp;b\\\\c&amp;d\\end\{pmatrix\}">/);
    expect(html).toContain('<mtable');
  });

  it('reads once in a whole abstract and title, escaped, a broken formula as its source', () => {
    const abstract = renderAbstractHtml('Loss $\\alpha \\gg 1$ beats $x^2$, see $\\frac{1$ and \\<b>', 'feed');
    expect(asText(abstract)).toBe('Loss α≫1 beats x², see $\\frac{1$ and <b>');
    expect(abstract).not.toContain('<b>');
    expect(asText(renderTexInline('M$^3$IT under $H_{\\infty}$ control', 'feed'))).toBe('M³IT under H[∞] control');
  });

  it('cannot be made to emit markup or links from the formula', () => {
    for (const tex of ['\\href{javascript:alert(1)}{x}', '\\text{<script>alert(1)</script>}^2', '\\text{"a" & b}_2']) {
      const html = feed(tex);
      expect(html, tex).not.toMatch(/<(script|a)[\s>]|\shref=/i);
    }
    expect(asText(feed('\\text{<script>}^2'))).toBe('<script>²');
  });

  it('parses only well-formed MathML', () => {
    expect(parseMathml('<math><mi>x</mi></math>')?.children).toHaveLength(1);
    expect(parseMathml('<math><mi>x</mo></math>')).toBeUndefined();
    expect(parseMathml('<math><mi>x</math>')).toBeUndefined();
  });
});
