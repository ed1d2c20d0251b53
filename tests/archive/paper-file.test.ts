/**
 * The paper file and day record formats as every reader meets them: front
 * matter is data (a file that asks for another language is refused and
 * nothing in it runs), a broken file is named in one line, and what the
 * fetch writes reads back exactly, abstracts that look like front matter
 * included.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentFileError } from '../../src/archive/errors.ts';
import { parseDayRecord, parsePaperFile, serializeDayRecord, serializePaper } from '../../src/archive/paper-file.ts';
import { FIXTURE_ARCHIVE } from '../helpers/build-site.ts';
import { makePaper, makeRecord } from '../helpers/make-paper.ts';

const scratch = mkdtempSync(join(tmpdir(), 'paperboy-paper-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let markers = 0;

/** A path that exists only if code from a content file ran, and JavaScript that would create it. */
function marker(): { file: string; code: string } {
  const file = join(scratch, `ran-${markers++}`);
  return { file, code: `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(file)}, 'ran')` };
}

const paper = makePaper('2401.00134', '2024-01-02', 13);
const FILE = 'content/papers/2024/01/02/2401.00134.md';

function caught(run: () => unknown): ContentFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ContentFileError);
    return error as ContentFileError;
  }
  throw new Error('expected the file to be refused');
}

describe('front matter is data, never code', () => {
  const yamlBlock = serializePaper(paper, 'An abstract.').split('---\n')[1]!;

  it.each([
    ['js', (code: string) => `---js\n{ id: (${code}, '2401.00134'), title: 'T' }\n---\nAbstract.\n`],
    ['javascript', (code: string) => `---javascript\n(${code}, { id: '2401.00134' })\n---\n`],
    ['JS', (code: string) => `---JS\n(${code}, {})\n---\n`],
    ['js', (code: string) => `--- js \r\n(${code}, {})\r\n---\r\n`],
    ['js', (code: string) => `\uFEFF---js\n(${code}, {})\n---\n`],
    ['coffee', (code: string) => `---coffee\nx = ${code}\n---\n`],
    ['json', () => `---json\n{ "id": "2401.00134" }\n---\n`],
    ['toml', () => `---toml\nid = "2401.00134"\n---\n`],
    ['yml', () => `---yml\n${yamlBlock}---\n`],
  ])('refuses front matter marked "%s" without running it, naming the file in one line', (language, fileText) => {
    const { file, code } = marker();
    const error = caught(() => parsePaperFile(fileText(code), FILE));
    expect(existsSync(file)).toBe(false);
    expect(error.message).toBe(
      `${FILE}: not a valid paper file: its front matter is marked "${language}", and only YAML front matter (a plain "---" line) is read; nothing in it was run`,
    );
    expect(error.file).toBe(FILE);
  });

  it('reads plain and `---yaml` front matter', () => {
    const text = serializePaper(paper, 'An abstract.');
    expect(parsePaperFile(text).paper).toEqual(paper);
    expect(parsePaperFile(text.replace(/^---\n/, '---yaml\n')).paper).toEqual(paper);
    expect(parsePaperFile(`\uFEFF${text}`).paper).toEqual(paper);
  });

  it('writes an abstract that starts like front matter as text, without running it', () => {
    const { file, code } = marker();
    const abstract = `---js\n(${code}, {})\n---\nThe real abstract.`;
    const text = serializePaper(paper, abstract);
    expect(existsSync(file)).toBe(false);
    expect(parsePaperFile(text)).toEqual({ paper, abstract });
    expect(existsSync(file)).toBe(false);
    // A rule at the start of an abstract is not mistaken for front matter either.
    const ruled = '---\ntitle: not a key\n---\nThe rest.';
    expect(parsePaperFile(serializePaper(paper, ruled))).toEqual({ paper, abstract: ruled });
  });
});

describe('a broken file is named in one line', () => {
  it.each([
    ['a field of the wrong type', serializePaper(paper, 'A.').replace(/^upvotes: 13$/m, 'upvotes: "many"'), /^upvotes: Invalid input: expected number, received string$/],
    ['an unquoted id read as a number', serializePaper(paper, 'A.').replace(/^id: .*$/m, 'id: 2401.10000'), /^id: Invalid input: expected string, received number$/],
    ['broken YAML', '---\nid: "2401.00134"\ntitle: "T"\n  bad: indent\n---\nA.\n', /^YAML error at line 4: bad indentation of a mapping entry$/],
    ['a duplicated key', '---\nid: "2401.00134"\nid: "2401.00135"\n---\n', /^YAML error at line 3: duplicated mapping key$/],
    ['no front matter at all', 'Just an abstract.\n', /^\(file\)|^id: /],
  ])('%s', (_what, text, reason) => {
    const error = caught(() => parsePaperFile(text, FILE));
    expect(error.message.startsWith(`${FILE}: not a valid paper file: `)).toBe(true);
    expect(error.message).not.toMatch(/\n/);
    expect(error.reason).toMatch(reason);
    // Without a file name the message is the reason alone, for callers that name the file themselves.
    expect(caught(() => parsePaperFile(text)).message).toBe(error.reason);
  });

  it('names a broken day.json and says why', () => {
    const file = 'content/papers/2024/01/02/day.json';
    const good = serializeDayRecord(makeRecord('2024-01-02', 3));
    expect(parseDayRecord(good, file)).toEqual(makeRecord('2024-01-02', 3));
    const truncated = caught(() => parseDayRecord(good.slice(0, 40), file));
    expect(truncated.message).toMatch(new RegExp(`^${file}: not a valid day record: not JSON: [^\\n]+$`));
    const negative = caught(() => parseDayRecord(good.replace('"count": 3', '"count": -1'), file));
    expect(negative.message).toBe(`${file}: not a valid day record: count: Too small: expected number to be >=0`);
  });
});

describe('withdrawn papers', () => {
  it('stores withdrawnAt as a quoted ISO string and reads it back', () => {
    const withdrawn = { ...paper, withdrawnAt: '2024-03-05T10:00:00.000Z' };
    const text = serializePaper(withdrawn, 'A.');
    expect(text).toMatch(/^withdrawnAt: "2024-03-05T10:00:00\.000Z"$/m);
    expect(parsePaperFile(text).paper).toEqual(withdrawn);
    expect(caught(() => parsePaperFile(text.replace('2024-03-05T10:00:00.000Z', 'last week'), FILE)).reason).toBe(
      'withdrawnAt: not an ISO date-time',
    );
  });

  it('leaves files of papers that are not withdrawn byte for byte as they were', () => {
    expect(serializePaper(paper, 'A.')).not.toContain('withdrawnAt');
    const files = readdirSync(FIXTURE_ARCHIVE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const text = readFileSync(join(FIXTURE_ARCHIVE, file), 'utf8');
      const parsed = parsePaperFile(text, file);
      expect(serializePaper(parsed.paper, parsed.abstract), file).toBe(text);
    }
  });
});
