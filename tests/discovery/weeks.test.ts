import { describe, expect, it } from 'vitest';
import { buildArchive } from '../../src/site/archive.ts';
import { addDays } from '../../src/archive/dates.ts';
import {
  buildWeeks,
  finalFrom,
  formatWeekRange,
  isoWeekOf,
  isWeekFinal,
  isWeekKey,
  referenceTime,
  weekMonday,
  weekSunday,
} from '../../src/discovery/weeks.ts';
import { makePaper } from '../helpers/make-paper.ts';

describe('isoWeekOf', () => {
  it('assigns days across year boundaries to the ISO week-numbering year', () => {
    expect(isoWeekOf('2024-12-30').key).toBe('2025-W01');
    expect(isoWeekOf('2025-01-05').key).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03').key).toBe('2020-W53');
    expect(isoWeekOf('2020-12-31').key).toBe('2020-W53');
    expect(isoWeekOf('2023-01-01').key).toBe('2022-W52');
    expect(isoWeekOf('2023-12-31').key).toBe('2023-W52');
    expect(isoWeekOf('2024-01-01').key).toBe('2024-W01');
    expect(isoWeekOf('2026-12-31').key).toBe('2026-W53');
  });

  it('agrees with a day-by-day walk: Mondays start a new week, weeks have 7 days', () => {
    let day = '2019-12-30'; // Monday of 2020-W01
    let expected = { year: 2020, week: 1 };
    for (let i = 0; i < 7 * 320; i++) {
      if (i > 0 && i % 7 === 0) {
        const next = isoWeekOf(day);
        expect(next.week === expected.week + 1 || (next.week === 1 && next.year === expected.year + 1), day).toBe(true);
        expected = { year: next.year, week: next.week };
      }
      expect(isoWeekOf(day), day).toMatchObject(expected);
      day = addDays(day, 1);
    }
  });
});

describe('week keys', () => {
  it('maps a key to its Monday and Sunday', () => {
    expect(weekMonday('2025-W01')).toBe('2024-12-30');
    expect(weekSunday('2025-W01')).toBe('2025-01-05');
    expect(weekMonday('2020-W53')).toBe('2020-12-28');
    expect(weekSunday('2020-W53')).toBe('2021-01-03');
  });

  it('accepts only weeks that exist', () => {
    expect(isWeekKey('2020-W53')).toBe(true);
    expect(isWeekKey('2021-W53')).toBe(false);
    expect(isWeekKey('2024-W00')).toBe(false);
    expect(isWeekKey('2024-W1')).toBe(false);
    expect(isWeekKey('../2024-W01')).toBe(false);
  });

  it('formats the date range', () => {
    expect(formatWeekRange('2024-W01')).toBe('1–7 January 2024');
    expect(formatWeekRange('2024-W05')).toBe('29 January – 4 February 2024');
    expect(formatWeekRange('2025-W01')).toBe('30 December 2024 – 5 January 2025');
  });
});

describe('finality', () => {
  it('is final once the Sunday is 14 days old (UTC), not a day earlier', () => {
    expect(finalFrom('2024-W01')).toBe('2024-01-21');
    expect(isWeekFinal('2024-W01', new Date('2024-01-20T23:59:59Z'))).toBe(false);
    expect(isWeekFinal('2024-W01', new Date('2024-01-21T00:00:00Z'))).toBe(true);
    expect(isWeekFinal('2025-W01', new Date('2025-01-18T12:00:00Z'))).toBe(false);
    expect(isWeekFinal('2025-W01', new Date('2025-01-19T00:00:00Z'))).toBe(true);
  });

  it('takes the reference time from PAPERBOY_BUILD_TIME, else the clock; rejects garbage', () => {
    const clock = () => new Date('2030-01-01T00:00:00Z');
    expect(referenceTime({}, clock).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(referenceTime({ PAPERBOY_BUILD_TIME: '2024-01-21' }, clock).toISOString()).toBe('2024-01-21T00:00:00.000Z');
    expect(referenceTime({ PAPERBOY_BUILD_TIME: '2024-01-21T10:00:00+02:00' }, clock).toISOString()).toBe('2024-01-21T08:00:00.000Z');
    expect(() => referenceTime({ PAPERBOY_BUILD_TIME: 'yesterday' }, clock)).toThrow(/PAPERBOY_BUILD_TIME/);
  });
});

describe('buildWeeks', () => {
  const archive = buildArchive([
    makePaper('2312.00001', '2023-12-29', 3),
    makePaper('2312.00002', '2023-12-31', 40),
    makePaper('2401.00001', '2024-01-01', 7),
    makePaper('2401.00002', '2024-01-03', 7),
    makePaper('2401.00003', '2024-01-07', 50),
    makePaper('2401.00004', '2024-01-08', 1),
  ]);

  it('groups list days into ISO weeks, newest first, top papers by upvotes (ties by id)', () => {
    const weeks = buildWeeks(archive, 2, new Date('2024-01-22T00:00:00Z'));
    expect(weeks.map((w) => w.key)).toEqual(['2024-W02', '2024-W01', '2023-W52']);
    const w1 = weeks[1]!;
    expect(w1.paperCount).toBe(3);
    expect(w1.top.map((p) => p.id)).toEqual(['2401.00003', '2401.00001']);
    expect(w1.days.map((d) => d.day)).toEqual(['2024-01-01', '2024-01-03', '2024-01-07']);
    expect(weeks[2]!.top.map((p) => p.id)).toEqual(['2312.00002', '2312.00001']);
  });

  it('marks weeks final relative to the reference time', () => {
    const weeks = buildWeeks(archive, 5, new Date('2024-01-21T08:00:00Z'));
    expect(weeks.map((w) => [w.key, w.final])).toEqual([
      ['2024-W02', false],
      ['2024-W01', true],
      ['2023-W52', true],
    ]);
    expect(weeks[0]!.finalFrom).toBe('2024-01-28');
  });
});
