/**
 * The on-disk form of a paper: YAML front matter (gray-matter) + the abstract
 * as markdown. Every string is double-quoted so ids such as `2401.10000` stay
 * strings for any YAML reader, and keys keep the schema's order so that the
 * same paper always serialises to the same bytes.
 */
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { PaperSchema, DayRecordSchema, type Paper, type DayRecord } from './schema.ts';

const yamlEngine = {
  parse: (text: string) => yaml.load(text, { schema: yaml.JSON_SCHEMA }) as object,
  stringify: (data: object) =>
    yaml.dump(data, { forceQuotes: true, quotingType: '"', lineWidth: -1, noRefs: true, schema: yaml.JSON_SCHEMA }),
};
// Passing options also keeps gray-matter from caching every parsed file in memory.
const matterOptions = { engines: { yaml: yamlEngine } };

function orderedPaper(paper: Paper): Paper {
  const ordered = {} as Record<string, unknown>;
  for (const key of Object.keys(PaperSchema.shape)) ordered[key] = paper[key as keyof Paper];
  return ordered as Paper;
}

export function serializePaper(paper: Paper, abstractMarkdown: string): string {
  const body = abstractMarkdown.trim();
  return matter.stringify(body ? `${body}\n` : '', orderedPaper(paper), matterOptions);
}

export interface PaperFile {
  paper: Paper;
  abstract: string;
}

/** Parse and validate a paper file; throws with the schema's reason when it is not one. */
export function parsePaperFile(text: string): PaperFile {
  const { data, content } = matter(text, matterOptions);
  return { paper: PaperSchema.parse(data), abstract: content.trim() };
}

export function serializeDayRecord(record: DayRecord): string {
  const ordered = {} as Record<string, unknown>;
  for (const key of Object.keys(DayRecordSchema.shape)) ordered[key] = record[key as keyof DayRecord];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function parseDayRecord(text: string): DayRecord {
  return DayRecordSchema.parse(JSON.parse(text));
}
