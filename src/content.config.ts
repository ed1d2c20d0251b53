import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { PaperSchema, DayRecordSchema } from './lib/schema.ts';

/** The archive to build; tests and the benchmark point it elsewhere. */
const contentDir = process.env.PAPERBOY_CONTENT_DIR || './content/papers';

/** One entry per paper; the entry id is the arXiv id from the front matter (the default slug drops its dots). */
const papers = defineCollection({
  loader: glob({
    base: contentDir,
    pattern: '**/*.md',
    generateId: ({ entry, data }) => (typeof data.id === 'string' ? data.id : entry),
  }),
  schema: PaperSchema,
});

/** One entry per fetched list day (see DayRecordSchema), so "no list" differs from "never fetched". */
const days = defineCollection({
  loader: glob({
    base: contentDir,
    pattern: '**/day.json',
    generateId: ({ data, entry }) => (typeof data.day === 'string' ? data.day : entry),
  }),
  schema: DayRecordSchema,
});

export const collections = { papers, days };
