/** The content commit message and the deploy guard decision (pure modules). */
import { describe, expect, it } from 'vitest';
import { decideDeploy, parseManifest, readOnlineAnswer, type Manifest, type OnlineAnswer, type OnlineSite } from '../../src/archive/archive-guard.ts';
import { commitMessage, groupByDay, parseNameStatusZ, type DayState } from '../../src/archive/content-commit.ts';

const z = (...fields: string[]) => fields.join('\0') + '\0';

describe('parseNameStatusZ + groupByDay', () => {
  it('groups new, updated and removed papers and day records by list day, newest first', () => {
    const changes = parseNameStatusZ(
      z(
        'A', '2024/01/02/2401.00001.md',
        'A', '2024/01/02/day.json',
        'M', '2024/01/03/2401.00002.md',
        'M', '2024/01/03/day.json',
        'D', '2024/01/03/2401.00003.md',
        'A', '2024/01/03/hep-th_9901001.md',
        'A', 'README.txt',
      ),
    );
    const { days, other } = groupByDay(changes);
    expect(days.map((d) => d.day)).toEqual(['2024-01-03', '2024-01-02']);
    expect(days[0]).toEqual({
      day: '2024-01-03',
      added: ['hep-th/9901001'],
      updated: ['2401.00002'],
      removed: ['2401.00003'],
      recordChanged: true,
    });
    expect(days[1]).toMatchObject({ added: ['2401.00001'], recordChanged: true });
    expect(other).toEqual(['README.txt']);
  });

  it('keeps paths with spaces or newlines intact (NUL separated) and never mistakes them for papers', () => {
    const { days, other } = groupByDay(parseNameStatusZ(z('A', '2024/01/02/evil\nname.md', 'A', '2024/13/02/day.json')));
    expect(days).toEqual([]);
    expect(other).toEqual(['2024/01/02/evil\nname.md', '2024/13/02/day.json']);
  });
});

describe('commitMessage', () => {
  const states = new Map<string, DayState>([
    ['2026-11-27', { listed: 12, complete: false, digestSent: false }],
    ['2026-11-26', { listed: 30, complete: true, digestSent: false, before: { complete: false, digestSent: false } }],
    ['2026-11-22', { listed: 0, complete: true, digestSent: false }],
  ]);

  it('names each day with its counts in the subject when there are up to three', () => {
    const changes = groupByDay(
      parseNameStatusZ(
        z(
          ...Array.from({ length: 12 }, (_, i) => ['A', `2026/11/27/2611.${String(10000 + i)}.md`]).flat(),
          'A', '2026/11/27/day.json',
          'M', '2026/11/26/2611.00001.md',
          'M', '2026/11/26/day.json',
          'A', '2026/11/22/day.json',
        ),
      ),
    );
    const message = commitMessage(changes, states);
    const [subject, blank, ...body] = message.trimEnd().split('\n');
    expect(subject).toBe('Daily Papers 2026-11-27: 12 new; 2026-11-26: 1 updated; 2026-11-22: no list');
    expect(blank).toBe('');
    expect(body).toEqual([
      '2026-11-27  12 listed, 12 new (list still filling)',
      '2026-11-26  30 listed, 1 updated (complete)',
      '2026-11-22  no list',
    ]);
  });

  it('says what changed when only the day record did: the list became complete, the digest went out', () => {
    const changes = groupByDay(parseNameStatusZ(z('M', '2026/11/26/day.json')));
    expect(commitMessage(changes, states).split('\n')[0]).toBe('Daily Papers 2026-11-26: list complete');
    const sent = new Map<string, DayState>([['2026-11-26', { listed: 30, complete: true, digestSent: true, before: { complete: true, digestSent: false } }]]);
    expect(commitMessage(changes, sent)).toBe('Daily Papers 2026-11-26: digest sent\n\n2026-11-26  30 listed, digest sent (complete)\n');
    const same = new Map<string, DayState>([['2026-11-26', { listed: 30, complete: true, digestSent: true, before: { complete: true, digestSent: true } }]]);
    expect(commitMessage(changes, same).split('\n')[0]).toBe('Daily Papers 2026-11-26: day record updated');
    const released = new Map<string, DayState>([['2026-11-26', { listed: 30, complete: true, digestSent: false, before: { complete: true, digestSent: true } }]]);
    expect(commitMessage(changes, released).split('\n')[0]).toBe('Daily Papers 2026-11-26: digest not sent, claim released');
  });

  it('summarises a backfill as a range with totals', () => {
    const fields: string[] = [];
    for (let d = 1; d <= 9; d++) fields.push('A', `2024/02/0${d}/2402.0000${d}.md`, 'A', `2024/02/0${d}/day.json`);
    const message = commitMessage(groupByDay(parseNameStatusZ(z(...fields))), new Map());
    expect(message.split('\n')[0]).toBe('Daily Papers 2024-02-01 to 2024-02-09 (9 days): 9 new');
    expect(message.split('\n').filter((l) => /^2024-02-0\d {2}1 new$/.test(l))).toHaveLength(9);
  });

  it('lists the days that failed, on one line each, whatever the error text holds', () => {
    const changes = groupByDay(parseNameStatusZ(z('A', '2026/11/27/2611.10000.md')));
    const message = commitMessage(changes, states, {
      failed: 1,
      days: [
        { day: '2026-11-27', status: 'ok', listed: 12 },
        { day: '2026-11-26', status: 'failed', error: 'HTTP 503\nSecond line\u0007 ' + 'x'.repeat(300) },
        { day: '../../etc', status: 'failed', error: 'not a day' },
      ],
    });
    const lines = message.split('\n');
    const at = lines.indexOf('Not fetched (1; the next run tries again):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^2026-11-26 {2}HTTP 503 Second line x+…$/);
    expect(lines[at + 1]!.length).toBeLessThan(200);
    expect(message).not.toContain('../../etc');
  });
});

describe('decideDeploy', () => {
  const manifest = (papers: number): Manifest => ({ generator: 'paperboy', papers, days: 3, latestDay: '2024-01-03', builtAt: '2026-11-27T00:00:00.000Z' });
  const online = (papers: number): OnlineSite => ({ state: 'manifest', manifest: manifest(papers) });

  it('deploys when nothing is online yet, or when the count grew or stayed', () => {
    expect(decideDeploy(manifest(10), { state: 'none' }, false).deploy).toBe(true);
    expect(decideDeploy(manifest(10), online(10), false).deploy).toBe(true);
    expect(decideDeploy(manifest(11), online(10), false)).toMatchObject({ deploy: true, message: expect.stringContaining('1 more') });
  });

  it('refuses a build with fewer papers than online unless explicitly allowed', () => {
    const refused = decideDeploy(manifest(9), online(10), false);
    expect(refused.deploy).toBe(false);
    expect(refused.message).toContain('1 fewer than the 10 online');
    expect(refused.message).toContain('allow_fewer_papers');
    expect(decideDeploy(manifest(0), online(10), true).deploy).toBe(true);
  });

  it('reads only real manifests', () => {
    expect(parseManifest(JSON.stringify(manifest(5)))).toEqual(manifest(5));
    expect(parseManifest('<html>404</html>')).toBeUndefined();
    expect(parseManifest(JSON.stringify({ ...manifest(5), generator: 'other' }))).toBeUndefined();
    expect(parseManifest(JSON.stringify({ ...manifest(5), papers: -1 }))).toBeUndefined();
  });
});

describe('the guard fails closed: only a 404 means "no site yet"', () => {
  const response = (status: number, body: string, contentType = 'text/html; charset=utf-8'): OnlineAnswer => ({ kind: 'response', status, contentType, body });
  const real = JSON.stringify({ generator: 'paperboy', papers: 5, days: 5, latestDay: '2024-01-03', builtAt: '2026-01-01T00:00:00Z' });
  const build: Manifest = { generator: 'paperboy', papers: 500, days: 400, latestDay: '2026-11-27', builtAt: '2026-11-27T00:00:00.000Z' };

  it('a 404 is "no site yet"; a 200 manifest is read', () => {
    expect(readOnlineAnswer(response(404, '<h1>404</h1>'))).toEqual({ state: 'none' });
    expect(readOnlineAnswer(response(200, real, 'application/json'))).toMatchObject({ state: 'manifest', manifest: { papers: 5 } });
  });

  it.each([
    ['an HTML page with 200 (a parked domain, a catch-all)', response(200, '<!doctype html><title>Parked</title>'), 'HTTP 200 with an HTML page, not a Paperboy manifest', false],
    ['an empty 200', response(200, '', ''), 'HTTP 200 with an empty body, not a Paperboy manifest', false],
    ['other JSON with 200 (a proxy, an API)', response(200, '{"ok":true}', 'application/json'), 'HTTP 200 with JSON that is not a Paperboy manifest', false],
    ['a body too large to be a manifest', { kind: 'response', status: 200, contentType: 'application/json', body: '', truncated: true } as OnlineAnswer, 'HTTP 200 with a body larger than 64 KB', false],
    ['a 500', response(500, 'oops'), 'HTTP 500', true],
    ['a 403', response(403, 'no'), 'HTTP 403', false],
    ['a 410', response(410, 'gone'), 'HTTP 410', false],
    ['a timeout', { kind: 'timeout', seconds: 20 } as OnlineAnswer, 'no answer within 20 s', true],
    ['no connection', { kind: 'network', reason: 'ECONNREFUSED' } as OnlineAnswer, 'unreachable: ECONNREFUSED', true],
  ])('%s refuses the deploy with one line saying why and what to do', (_name, answer, why, transient) => {
    const site = readOnlineAnswer(answer);
    expect(site).toEqual({ state: 'unknown', why: expect.stringContaining(why), transient });
    const decision = decideDeploy(build, site, false, 'https://example.org/paperboy-archive.json');
    expect(decision.deploy).toBe(false);
    expect(decision.message.split('\n')).toHaveLength(1);
    expect(decision.message).toContain(`cannot read https://example.org/paperboy-archive.json (${why}`);
    expect(decision.message).toContain('not deploying');
    expect(decision.message).toContain(transient ? 'Run the workflow again later' : 'does not serve this site yet');
    expect(decision.message).toContain('"allow_fewer_papers"');
    // The one way past it is the explicit allowance.
    expect(decideDeploy(build, site, true)).toMatchObject({ deploy: true, message: expect.stringContaining('explicitly allowed') });
  });
});
