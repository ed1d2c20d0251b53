/**
 * The on-disk form of a paper: YAML front matter (gray-matter) + the abstract
 * as markdown. Every string is double-quoted so ids such as `2401.10000` stay
 * strings for any YAML reader, and keys keep the schema's order so that the
 * same paper always serialises to the same bytes.
 *
 * Front matter is data, never code. gray-matter 4.0.3 picks a parser from the
 * marker after the opening `---` (`---js`, `---javascript` run the block with
 * eval) and merges the engines it is given with its defaults, so passing a
 * YAML engine alone does not remove the JavaScript one. Every reader of the
 * archive (the fetch, the build's loaders, the search index, the digest, the
 * scripts) goes through parsePaperFile, which refuses any marker but YAML
 * before gray-matter sees the text, and hands gray-matter an engine table in
 * which JavaScript refuses too, in case the two ever disagree on the marker.
 */
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { ContentFileError, oneLine } from './errors.ts';
import { PaperSchema, DayRecordSchema, type Paper, type DayRecord } from './schema.ts';

const PAPER_FILE = 'paper file';
const DAY_RECORD = 'day record';

function refusedEngine(language: string) {
  const refuse = (): never => {
    throw new Error(`front matter in ${language} is never evaluated`);
  };
  return { parse: refuse, stringify: refuse };
}

const yamlEngine = {
  parse: (text: string) => yaml.load(text, { schema: yaml.JSON_SCHEMA }) as object,
  stringify: (data: object) =>
    yaml.dump(data, { forceQuotes: true, quotingType: '"', lineWidth: -1, noRefs: true, schema: yaml.JSON_SCHEMA }),
};
// Passing options also keeps gray-matter from caching every parsed file in memory.
const matterOptions = {
  language: 'yaml',
  engines: { yaml: yamlEngine, javascript: refusedEngine('JavaScript'), js: refusedEngine('JavaScript') },
};

/** The languages a front matter block may be marked with: none (`---`) or `---yaml`. */
const YAML_MARKERS = new Set(['', 'yaml']);

/**
 * The language marker of the text's front matter as gray-matter 4.0.3 reads it (the rest of the opening
 * `---` line, trimmed; '' for a plain `---`), or undefined when the text has no front matter. The text must
 * not start with a byte order mark (gray-matter strips one before it looks).
 */
export function frontMatterLanguage(text: string): string | undefined {
  if (!text.startsWith('---') || text[3] === '-') return undefined;
  const end = text.search(/\r?\n/);
  return (end === -1 ? text.slice(3) : text.slice(3, end)).trim();
}

/** A YAML error as one line with its line number in the file (the block gray-matter hands over starts with the rest of line 1). */
function yamlReason(error: yaml.YAMLException): string {
  const line = error.mark ? ` at line ${error.mark.line + 1}` : '';
  return `YAML error${line}: ${oneLine(error.reason || error.message)}`;
}

function orderedPaper(paper: Paper): Paper {
  const ordered = {} as Record<string, unknown>;
  // Optional fields (withdrawnAt) are left out when absent: files without them keep their bytes.
  for (const key of Object.keys(PaperSchema.shape)) {
    if (paper[key as keyof Paper] !== undefined) ordered[key] = paper[key as keyof Paper];
  }
  return ordered as Paper;
}

export function serializePaper(paper: Paper, abstractMarkdown: string): string {
  const body = abstractMarkdown.trim();
  // A file object, not a string: given a string, matter.stringify first parses it as a file of its own, so an
  // abstract (text from the API) starting with `---js` would run and one starting with `---` would be cut.
  return matter.stringify({ content: body ? `${body}\n` : '' }, orderedPaper(paper), matterOptions);
}

export interface PaperFile {
  paper: Paper;
  abstract: string;
}

/**
 * Parse and validate a paper file. Throws a ContentFileError whose message is one line:
 * `<file>: not a valid paper file: <reason>` when `file` (the path to show) is given, else the reason alone.
 * Nothing in the file is ever evaluated: front matter marked as anything but YAML is refused unread.
 */
export function parsePaperFile(text: string, file?: string): PaperFile {
  // gray-matter strips a byte order mark before it reads the marker: look at the same text it does.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const language = frontMatterLanguage(source);
  if (language !== undefined && !YAML_MARKERS.has(language.toLowerCase())) {
    throw new ContentFileError(
      PAPER_FILE,
      `its front matter is marked "${oneLine(language).slice(0, 40)}", and only YAML front matter (a plain "---" line) is read; nothing in it was run`,
      file,
    );
  }
  let parsed: { data: unknown; content: string };
  try {
    parsed = matter(source, matterOptions);
  } catch (error) {
    throw new ContentFileError(PAPER_FILE, error instanceof yaml.YAMLException ? yamlReason(error) : oneLine(error), file);
  }
  const result = PaperSchema.safeParse(parsed.data);
  if (!result.success) throw new ContentFileError(PAPER_FILE, oneLine(result.error), file);
  return { paper: result.data, abstract: parsed.content.trim() };
}

export function serializeDayRecord(record: DayRecord): string {
  const ordered = {} as Record<string, unknown>;
  for (const key of Object.keys(DayRecordSchema.shape)) ordered[key] = record[key as keyof DayRecord];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * Parse and validate a day.json. Throws a ContentFileError whose message is one line:
 * `<file>: not a valid day record: <reason>` when `file` is given, else the reason alone.
 */
export function parseDayRecord(text: string, file?: string): DayRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ContentFileError(DAY_RECORD, `not JSON: ${oneLine(error)}`, file);
  }
  const result = DayRecordSchema.safeParse(data);
  if (!result.success) throw new ContentFileError(DAY_RECORD, oneLine(result.error), file);
  return result.data;
}
