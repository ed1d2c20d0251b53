import { defineCollection } from 'astro:content';
import { PaperSchema, DayRecordSchema } from './lib/schema.ts';
import { contentDirSetting, dayRecordsLoader, paperFilesLoader } from './lib/paper-loader.ts';

/** The archive to build; tests and the benchmark point it elsewhere (the search index reads the same one). */
const contentDir = contentDirSetting();

/**
 * One entry per paper; the entry id is the arXiv id from the front matter, the body the abstract markdown.
 * Not the glob loader: it would render 50,000 markdown bodies the site never uses (see paper-loader.ts).
 */
const papers = defineCollection({
  loader: paperFilesLoader({ base: contentDir }),
  schema: PaperSchema,
});

/** One entry per fetched list day (see DayRecordSchema), so "no list" differs from "never fetched". */
const days = defineCollection({
  loader: dayRecordsLoader({ base: contentDir }),
  schema: DayRecordSchema,
});

export const collections = { papers, days };
