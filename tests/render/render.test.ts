import { describe, expect, it } from 'vitest';
import { abstractToMarkdown } from '../../src/ingest/normalize.ts';
import {
  abstractExcerpt,
  abstractPlainText,
  parseAbstract,
  renderAbstractHtml,
  renderMath,
  renderTexInline,
  shortenText,
  textHasMath,
} from '../../src/render/render.ts';
import { splitTex } from '../../src/render/tex.ts';
import { collapseWhitespace, escapeHtml } from '../../src/render/text.ts';

/** What the reader should see for raw arXiv text: its segments, math as `$source$`. */
function expectedVisibleText(raw: string): string {
  return splitTex(collapseWhitespace(raw))
    .map((s) => (s.kind === 'text' ? s.value : `$${s.value.trim()}$`))
    .join('');
}

const HOSTILE_ABSTRACTS = [
  'A <b>bold</b> claim & more: ]]> emoji 🧪, RTL \u202eשלום\u202c, <script>alert("x")</script>',
  '*star* _under_ [x](javascript:alert(1)) <img src=x onerror=alert(1)> `code` ~~strike~~',
  '# not a heading\n  1. not a list\n  - nor this\n  > nor a quote',
  'Entities stay text: &amp; &lt; &#123; &#x41; &copy; & ; \\& \\\\ \\* \\alpha \\',
  'Prices $5 and $10 stay text; a lone $ too; math $\\alpha + \\beta$ and $x^2$ here.',
  'Nested dollars $a\\$b$ and odd $x$5 and $$y$$ and <$x$> and \\$escaped\\$.',
  '+ plus === *** ___ <https://example.org> http://example.org/a_b_c',
  'quotes "double" \'single\' and a\u00a0nbsp',
];

describe('renderAbstractHtml', () => {
  it('renders plain text as one escaped paragraph', () => {
    expect(renderAbstractHtml('We study <b> & "quotes".', 'katex')).toBe(
      '<p>We study &lt;b&gt; &amp; &quot;quotes&quot;.</p>',
    );
  });

  it('resolves markdown backslash escapes written by remark', () => {
    expect(renderAbstractHtml('A \\<b>bold\\</b> \\*claim\\* costs \\$5', 'katex')).toBe(
      '<p>A &lt;b&gt;bold&lt;/b&gt; *claim* costs $5</p>',
    );
  });

  it('is empty for an empty body', () => {
    expect(renderAbstractHtml('  \n', 'katex')).toBe('');
  });

  it.each(HOSTILE_ABSTRACTS)('round-trips abstractToMarkdown in text mode: %s', (raw) => {
    const markdown = abstractToMarkdown(raw);
    expect(renderAbstractHtml(markdown, 'text')).toBe(`<p>${escapeHtml(expectedVisibleText(raw))}</p>`);
    expect(abstractPlainText(markdown)).toBe(expectedVisibleText(raw));
  });

  it('never lets markup through in any mode', () => {
    for (const raw of HOSTILE_ABSTRACTS) {
      for (const mode of ['katex', 'feed', 'text'] as const) {
        const html = renderAbstractHtml(abstractToMarkdown(raw), mode);
        expect(html).not.toMatch(/<(script|img|b|a)[\s>]/i);
        expect(html).not.toContain('javascript:alert(1)"');
      }
    }
  });

  it('typesets math with KaTeX HTML on the site and in the feed form (read once) in feeds', () => {
    const markdown = abstractToMarkdown('Energy $E = mc^2$ matters.');
    const site = renderAbstractHtml(markdown, 'katex');
    expect(site).toMatch(/^<p>Energy <span class="katex">/);
    expect(site).toContain('katex-html');
    expect(site).toMatch(/<\/span> matters\.<\/p>$/);
    const feed = renderAbstractHtml(markdown, 'feed');
    expect(feed).toBe('<p>Energy <var>E</var>=<var>m</var><var>c</var>² matters.</p>');
    expect(renderAbstractHtml(abstractToMarkdown('Ratio $\\alpha \\gg 1$.'), 'feed')).toMatch(/^<p>Ratio <math [^>]*><mrow><mi>α<\/mi>/);
    expect(renderAbstractHtml(markdown, 'text')).toBe('<p>Energy $E = mc^2$ matters.</p>');
  });

  it('shows a formula KaTeX rejects as its escaped source instead of failing', () => {
    const html = renderAbstractHtml(abstractToMarkdown('broken $\\frac{1<x}$ end'), 'katex');
    expect(html).toBe('<p>broken <code class="tex">$\\frac{1&lt;x}$</code> end</p>');
  });

  it('does not run KaTeX commands that could emit links', () => {
    const html = renderAbstractHtml(abstractToMarkdown('see $\\href{javascript:alert(1)}{x}$'), 'katex');
    expect(html).not.toContain('href="javascript');
  });
});

describe('parseAbstract', () => {
  it('splits math spans with remark-math rules', () => {
    expect(parseAbstract('a $x$ b $$ y$z $$ c \\$d$')).toEqual([
      { kind: 'text', value: 'a ' },
      { kind: 'math', value: 'x', display: false },
      { kind: 'text', value: ' b ' },
      { kind: 'math', value: 'y$z', display: false },
      { kind: 'text', value: ' c $d$' },
    ]);
  });
});

describe('renderTexInline (titles)', () => {
  it('escapes text and typesets math inline', () => {
    const html = renderTexInline('<script>"x" & $x^2$', 'katex');
    expect(html.startsWith('&lt;script&gt;&quot;x&quot; &amp; <span class="katex">')).toBe(true);
    expect(renderTexInline('<i>plain</i>', 'katex')).toBe('&lt;i&gt;plain&lt;/i&gt;');
  });

  it('typesets display math in a title inline (it sits in a heading)', () => {
    expect(renderTexInline('$$x$$', 'katex')).not.toContain('katex-display');
  });

  it('keeps prices as text and shows broken TeX as source', () => {
    expect(renderTexInline('From $5 to $10', 'katex')).toBe('From $5 to $10');
    expect(renderTexInline('bad $\\frac{1$ end', 'katex')).toBe('bad <code class="tex">$\\frac{1$</code> end');
    expect(renderTexInline('t $x$', 'text')).toBe('t $x$');
  });
});

describe('renderMath', () => {
  it('returns the same HTML for the same formula (cached) and never throws', () => {
    expect(renderMath('\\alpha', false, 'katex')).toBe(renderMath('\\alpha', false, 'katex'));
    expect(() => renderMath('\\undefinedmacro{', false, 'feed')).not.toThrow();
  });
});

describe('shortenText', () => {
  it('keeps short text and cuts long text at a word with an ellipsis', () => {
    expect(shortenText('  short   text ', 50)).toBe('short text');
    const cut = shortenText('alpha beta gamma delta epsilon', 20);
    expect(cut).toBe('alpha beta gamma…');
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('never splits an emoji', () => {
    expect(shortenText('🤖🤖🤖🤖🤖🤖', 6)).toBe('🤖🤖…');
    expect(shortenText('🤖🤖🤖🤖🤖🤖', 5)).toBe('🤖🤖…');
  });
});

describe('abstractExcerpt (day pages)', () => {
  it('is the abstract as text, cut at a word; math in it still typesets, a formula cut in two stays text', () => {
    const markdown = abstractToMarkdown('We study $\\alpha$-stable <noise> & show $O(n \\log n)$ bounds for every case.');
    const short = abstractExcerpt(markdown, 41);
    expect(short).toBe('We study $\\alpha$-stable <noise> & show…');
    expect(textHasMath(short)).toBe(true);
    expect(renderTexInline(short, 'katex')).toContain('class="katex"');
    expect(renderTexInline(short, 'katex')).toContain('&lt;noise&gt; &amp; show…');
    const cutFormula = abstractExcerpt(markdown, 52);
    expect(cutFormula).toBe('We study $\\alpha$-stable <noise> & show $O(n \\log…');
    expect(renderTexInline(cutFormula, 'katex')).toContain('$O(n \\log…');
    expect(abstractExcerpt(markdown, 1000)).toBe('We study $\\alpha$-stable <noise> & show $O(n \\log n)$ bounds for every case.');
    expect(textHasMath('Prices of $5 and $10')).toBe(false);
  });
});
