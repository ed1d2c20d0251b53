/**
 * The month's best (src/discovery/months.ts): the most upvoted papers of each month,
 * and finality by the weeks' rule (final once the month's last day is 14 days
 * old at the build's reference time).
 */
import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { buildMonthBests, isMonthFinal, monthFinalFrom, monthLastDay } from '../../src/discovery/months.ts';
import { FINAL_AFTER_DAYS } from '../../src/discovery/weeks.ts';
import { makePaper } from '../helpers/make-paper.ts';

const at = (day: string) => new Date(`${day}T12:00:00Z`);

describe('months', () => {
  it('know their last day, leap years and December included', () => {
    expect(monthLastDay('2024-02')).toBe('2024-02-29');
    expect(monthLastDay('2023-02')).toBe('2023-02-28');
    expect(monthLastDay('2023-12')).toBe('2023-12-31');
    expect(monthLastDay('2024-04')).toBe('2024-04-30');
    expect(() => monthLastDay('2024-13')).toThrow(/not a month/);
    expect(() => monthLastDay('../x')).toThrow(/not a month/);
  });

  it('are final from the 14th day after their last day, like weeks', () => {
    expect(FINAL_AFTER_DAYS).toBe(14);
    expect(monthFinalFrom('2024-01')).toBe('2024-02-14');
    expect(monthFinalFrom('2023-12')).toBe('2024-01-14');
    expect(isMonthFinal('2024-01', at('2024-02-13'))).toBe(false);
    expect(isMonthFinal('2024-01', new Date('2024-02-14T00:00:00Z'))).toBe(true);
    expect(isMonthFinal('2024-01', at('2024-03-01'))).toBe(true);
  });

  it('rank each month by upvotes (ties: id), newest month first, at most topN', () => {
    const archive = buildArchive([
      makePaper('2401.00003', '2024-01-31', 7),
      makePaper('2401.00001', '2024-01-02', 7),
      makePaper('2401.00002', '2024-01-15', 90),
      makePaper('2401.00004', '2024-01-03', 1),
      makePaper('2312.00001', '2023-12-29', 500),
      makePaper('2402.00001', '2024-02-01', 3),
    ]);
    const months = buildMonthBests(archive, 3, at('2024-02-14'));
    expect(months.map((m) => m.key)).toEqual(['2024-02', '2024-01', '2023-12']);
    const january = months[1]!;
    expect(january.top.map((p) => p.id)).toEqual(['2401.00002', '2401.00001', '2401.00003']);
    expect(january.paperCount).toBe(4);
    expect(months.map((m) => [m.key, m.final, m.finalFrom])).toEqual([
      ['2024-02', false, '2024-03-14'],
      ['2024-01', true, '2024-02-14'],
      ['2023-12', true, '2024-01-14'],
    ]);
    // The archive's own day lists keep their order.
    expect(archive.byDay.get('2024-01-02')!.papers.map((p) => p.id)).toEqual(['2401.00001']);
  });
});
