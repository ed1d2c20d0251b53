/** Minimal valid papers and day records for unit tests of the archive modules. */
import type { DayRecord, Paper } from '../../src/archive/schema.ts';

export function makePaper(id: string, listDay: string, upvotes = 0): Paper {
  return {
    id,
    title: `Paper ${id}`,
    authors: ['A B'],
    published: '2024-01-01T00:00:00.000Z',
    listDay,
    upvotes,
    comments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    keywords: [],
    aiSummary: null,
    organization: null,
    submittedBy: null,
    thumbnail: null,
    fetchedAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
}

export function makeRecord(day: string, count: number): DayRecord {
  return {
    day,
    count,
    papers: [],
    source: 'import',
    complete: true,
    firstFetchedAt: '2024-01-04T06:00:00.000Z',
    updatedAt: '2024-01-04T06:00:00.000Z',
    digestSentAt: null,
  };
}
