import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { formatDay, formatMonth, formatUtcTime, monthGrid, monthNeighbours } from '../../src/site/calendar.ts';
import { makePaper, makeRecord } from '../helpers/make-paper.ts';

const archive = buildArchive(
  [
    makePaper('2401.00001', '2024-01-02'),
    makePaper('2401.00002', '2024-01-02'),
    makePaper('2401.00003', '2024-01-03'),
    makePaper('2312.00001', '2023-12-29'),
    makePaper('2403.00001', '2024-03-01'),
  ],
  [makeRecord('2024-01-06', 0), makeRecord('2024-01-07', 2)],
);

describe('monthGrid', () => {
  const grid = monthGrid(archive, '2024', '01');

  it('lays the month out in Monday-to-Sunday weeks', () => {
    // 1 January 2024 is a Monday; 31 January a Wednesday.
    expect(grid.weeks).toHaveLength(5);
    expect(grid.weeks[0]![0]!.day).toBe('2024-01-01');
    expect(grid.weeks[4]!.map((c) => c?.date ?? null)).toEqual([29, 30, 31, null, null, null, null]);
    expect(grid.weeks.flat().filter(Boolean)).toHaveLength(31);
  });

  it('pads a month that starts late in the week', () => {
    // 1 September 2024 is a Sunday.
    const sept = monthGrid(archive, '2024', '09');
    expect(sept.weeks[0]!.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(sept.weeks[0]![6]!.day).toBe('2024-09-01');
  });

  it('tells days with papers, days without a list and days never fetched apart', () => {
    const byDay = new Map(grid.weeks.flat().filter((c) => c !== null).map((c) => [c.day, c]));
    expect(byDay.get('2024-01-02')).toMatchObject({ status: 'papers', paperCount: 2 });
    expect(byDay.get('2024-01-06')).toMatchObject({ status: 'no-list', paperCount: 0 });
    expect(byDay.get('2024-01-07')).toMatchObject({ status: 'no-new-papers', paperCount: 0 });
    expect(byDay.get('2024-01-08')).toMatchObject({ status: 'not-fetched', paperCount: 0 });
  });

  it('handles leap years', () => {
    expect(monthGrid(archive, '2024', '02').weeks.flat().filter(Boolean)).toHaveLength(29);
    expect(monthGrid(archive, '2023', '02').weeks.flat().filter(Boolean)).toHaveLength(28);
  });

  it('rejects a month that does not exist', () => {
    expect(() => monthGrid(archive, '2024', '13')).toThrow();
  });
});

describe('monthNeighbours', () => {
  it('links to the closest months with papers, skipping empty months', () => {
    expect(monthNeighbours(archive, '2024-01')).toEqual({ previous: '2023-12', next: '2024-03' });
    expect(monthNeighbours(archive, '2023-12')).toEqual({ previous: undefined, next: '2024-01' });
    expect(monthNeighbours(archive, '2024-02')).toEqual({ previous: '2024-01', next: '2024-03' });
  });
});

describe('formatting', () => {
  it('writes days, months and times in words, in UTC', () => {
    expect(formatDay('2024-01-03')).toBe('Wednesday, 3 January 2024');
    expect(formatDay('2023-12-31', false)).toBe('31 December 2023');
    expect(formatMonth('2024-02')).toBe('February 2024');
    expect(formatUtcTime('2024-01-04T06:05:00.000Z')).toBe('2024-01-04 06:05 UTC');
    expect(formatUtcTime('nonsense')).toBe('');
  });
});
