import { describe, expect, it } from 'vitest';
import { buildArchive, neighbours } from '../../src/site/archive.ts';
import { makePaper, makeRecord } from '../helpers/make-paper.ts';

const papers = [
  makePaper('2312.00001', '2023-12-29', 3),
  makePaper('2312.00002', '2023-12-29', 9),
  makePaper('2401.00001', '2024-01-02', 1),
  makePaper('2401.00003', '2024-01-03', 5),
  makePaper('2401.00002', '2024-01-03', 5),
  makePaper('2402.00001', '2024-02-01', 0),
];
const archive = buildArchive(papers, [makeRecord('2023-12-30', 0), makeRecord('2023-12-31', 0)]);

describe('buildArchive', () => {
  it('lists days newest first with papers by upvotes, ties by id', () => {
    expect(archive.days.map((d) => d.day)).toEqual(['2024-02-01', '2024-01-03', '2024-01-02', '2023-12-29']);
    expect(archive.byDay.get('2024-01-03')!.papers.map((p) => p.id)).toEqual(['2401.00002', '2401.00003']);
    expect(archive.byDay.get('2023-12-29')!.papers.map((p) => p.upvotes)).toEqual([9, 3]);
    expect(archive.latest?.day).toBe('2024-02-01');
    expect(archive.paperCount).toBe(6);
  });

  it('groups months and years with counts', () => {
    expect(archive.years.map((y) => [y.year, y.paperCount])).toEqual([
      ['2024', 4],
      ['2023', 2],
    ]);
    expect(archive.years[0]!.months.map((m) => [m.key, m.paperCount])).toEqual([
      ['2024-01', 3],
      ['2024-02', 1],
    ]);
    expect(archive.months.get('2024-01')!.days.map((d) => d.day)).toEqual(['2024-01-02', '2024-01-03']);
  });

  it('keeps day records of days without papers', () => {
    expect(archive.records.get('2023-12-30')?.count).toBe(0);
    expect(archive.byDay.has('2023-12-30')).toBe(false);
  });

  it('is empty for an empty archive', () => {
    const empty = buildArchive([], []);
    expect(empty.days).toEqual([]);
    expect(empty.latest).toBeUndefined();
    expect(empty.years).toEqual([]);
  });
});

describe('neighbours', () => {
  it('skips days without a list', () => {
    expect(neighbours(archive, '2024-01-02')).toEqual({ previous: '2023-12-29', next: '2024-01-03' });
    expect(neighbours(archive, '2023-12-29')).toEqual({ previous: undefined, next: '2024-01-02' });
    expect(neighbours(archive, '2024-02-01')).toEqual({ previous: '2024-01-03', next: undefined });
  });

  it('works for a day that is not in the archive', () => {
    expect(neighbours(archive, '2023-12-31')).toEqual({ previous: '2023-12-29', next: '2024-01-02' });
  });
});
