/** The digest's pure parts: which day, the settings from the environment, the message itself. */
import { describe, expect, it } from 'vitest';
import { readDayPapers, scanDays } from '../../src/digest/archive.ts';
import { buildDigest, digestListId, digestMessageId, formatDay, shortenAuthors } from '../../src/digest/compose.ts';
import {
  DigestConfigError,
  mailSettingsFromEnv,
  retrySettingsFromEnv,
  secretsFromEnv,
  siteSettingsFromEnv,
  unsubscribeUrlFromEnv,
} from '../../src/digest/config.ts';
import { chooseDigestDay, type DayState } from '../../src/digest/select.ts';
import { certainlyUndelivered, previewHtmlPath, redact } from '../../src/digest/send.ts';
import type { DayRecord } from '../../src/archive/schema.ts';
import { FIXTURE_ARCHIVE } from '../helpers/digest.ts';

function state(day: string, paperFiles: number, record: Partial<DayRecord> | null = {}): DayState {
  return {
    day,
    paperFiles,
    record:
      record === null
        ? undefined
        : {
            day,
            count: paperFiles,
            papers: [],
            source: 'api',
            complete: true,
            firstFetchedAt: `${day}T06:00:00.000Z`,
            updatedAt: `${day}T06:00:00.000Z`,
            digestSentAt: null,
            ...record,
          },
  };
}

describe('chooseDigestDay', () => {
  const week = [state('2024-01-05', 12), state('2024-01-06', 0), state('2024-01-07', 0), state('2024-01-08', 9, { complete: false })];

  it('takes the latest complete list day with papers, past weekends and a day still filling up', () => {
    const choice = chooseDigestDay(week);
    expect(choice).toMatchObject({ kind: 'digest', day: '2024-01-05' });
    expect(choice.kind === 'digest' && choice.note).toBe('2024-01-08 still filling up: the digest is about 2024-01-05');
  });

  it('sends nothing twice unless forced; a preview ignores the earlier send', () => {
    const sent = [state('2024-01-05', 12, { digestSentAt: '2024-01-06T06:10:00.000Z' })];
    expect(chooseDigestDay(sent)).toMatchObject({ kind: 'nothing', day: '2024-01-05' });
    expect(chooseDigestDay(sent, { force: true })).toMatchObject({ kind: 'digest', day: '2024-01-05' });
    expect(chooseDigestDay(sent, { ignoreSent: true })).toMatchObject({ kind: 'digest', day: '2024-01-05' });
  });

  it('does not fall back to an older unsent day when the latest was sent', () => {
    const days = [state('2024-01-04', 5), state('2024-01-05', 12, { digestSentAt: '2024-01-06T06:10:00.000Z' })];
    expect(chooseDigestDay(days)).toMatchObject({ kind: 'nothing', day: '2024-01-05' });
  });

  it('with --date: empty days send nothing, unknown days are an error, a filling day waits unless forced', () => {
    expect(chooseDigestDay(week, { date: '2024-01-06' })).toMatchObject({ kind: 'nothing', day: '2024-01-06' });
    expect(chooseDigestDay(week, { date: '2024-01-01' })).toMatchObject({ kind: 'error' });
    expect(chooseDigestDay(week, { date: '2024-01-08' })).toMatchObject({ kind: 'nothing', day: '2024-01-08' });
    expect(chooseDigestDay(week, { date: '2024-01-08', force: true })).toMatchObject({ kind: 'digest', day: '2024-01-08' });
    expect(chooseDigestDay(week, { date: '2024-01-05' })).toMatchObject({ kind: 'digest', day: '2024-01-05' });
  });

  it('a day with papers but no record yet counts as still filling up', () => {
    expect(chooseDigestDay([state('2024-01-05', 3, null)])).toMatchObject({ kind: 'nothing' });
  });

  it('reads the fixture archive: 2024-01-03 is the latest complete day, weekend records count as empty', () => {
    const days = scanDays(FIXTURE_ARCHIVE);
    expect(days.map((d) => [d.day, d.paperFiles])).toEqual([
      ['2023-12-29', 19],
      ['2023-12-30', 0],
      ['2023-12-31', 0],
      ['2024-01-02', 17],
      ['2024-01-03', 11],
    ]);
    expect(chooseDigestDay(days)).toMatchObject({ kind: 'digest', day: '2024-01-03' });
  });
});

describe('settings from the environment', () => {
  const complete = {
    SITE_URL: 'https://someone.github.io',
    PAPERBOY_SMTP_HOST: 'smtp.example.org',
    PAPERBOY_MAIL_FROM: 'Paperboy <paperboy@example.org>',
    PAPERBOY_MAIL_TO: 'a@example.org',
  };

  it('names every missing variable, treating empty values (absent secrets) as missing', () => {
    expect(() => mailSettingsFromEnv({ PAPERBOY_SMTP_URL: '', PAPERBOY_MAIL_TO: ' ' })).toThrow(
      'missing settings: PAPERBOY_SMTP_URL (or PAPERBOY_SMTP_HOST), PAPERBOY_MAIL_FROM, PAPERBOY_MAIL_TO, SITE_URL',
    );
  });

  it('host settings: STARTTLS on 587 by default, implicit TLS on 465, plain only when asked', () => {
    expect(mailSettingsFromEnv(complete)).toMatchObject({ host: 'smtp.example.org', port: 587, tls: 'starttls', user: undefined });
    expect(mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_PORT: '465' })).toMatchObject({ port: 465, tls: 'tls' });
    expect(mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_SECURE: 'TLS' })).toMatchObject({ port: 465, tls: 'tls' });
    expect(mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_SECURE: 'none' })).toMatchObject({ port: 25, tls: 'none' });
    expect(() => mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_SECURE: 'ssl' })).toThrow(/tls, starttls, none \(got "ssl"\)/);
    expect(() => mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_PORT: '99999' })).toThrow(/PAPERBOY_SMTP_PORT/);
  });

  it('a URL gives host, port, mode and login (percent-decoded); errors never echo it', () => {
    const env = { ...complete, PAPERBOY_SMTP_URL: 'smtps://bot%40example.org:p%2Fss%3Aw@mail.example.org' };
    expect(mailSettingsFromEnv(env)).toMatchObject({
      host: 'mail.example.org',
      port: 465,
      tls: 'tls',
      user: 'bot@example.org',
      password: 'p/ss:w',
    });
    expect(mailSettingsFromEnv({ ...env, PAPERBOY_SMTP_URL: 'smtp://u:p@mail.example.org:2525' })).toMatchObject({
      port: 2525,
      tls: 'starttls',
    });
    for (const bad of ['not a url hunter2', 'https://u:hunter2@mail.example.org']) {
      let message = '';
      try {
        mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_URL: bad });
      } catch (error) {
        expect(error).toBeInstanceOf(DigestConfigError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/^PAPERBOY_SMTP_URL /);
      expect(message).not.toContain('hunter2');
    }
  });

  it('recipients: several addresses, display names with commas, bad lists refused', () => {
    expect(mailSettingsFromEnv({ ...complete, PAPERBOY_MAIL_TO: '"Doe, Jane" <jane@example.org>, list@lists.example.org' }).to).toEqual([
      'jane@example.org',
      'list@lists.example.org',
    ]);
    expect(() => mailSettingsFromEnv({ ...complete, PAPERBOY_MAIL_TO: 'jane@example.org, oops' })).toThrow(/PAPERBOY_MAIL_TO/);
    expect(() => mailSettingsFromEnv({ ...complete, PAPERBOY_MAIL_FROM: 'a@example.org, b@example.org' })).toThrow(/single address/);
  });

  it('a user needs a password and the other way round', () => {
    expect(() => mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_USER: 'bot' })).toThrow('PAPERBOY_SMTP_PASSWORD is missing');
    expect(() => mailSettingsFromEnv({ ...complete, PAPERBOY_SMTP_PASSWORD: 'x' })).toThrow('PAPERBOY_SMTP_USER is missing');
  });

  it('retries are bounded', () => {
    expect(retrySettingsFromEnv({})).toEqual({ attempts: 4, baseDelayMs: 2000 });
    expect(() => retrySettingsFromEnv({ PAPERBOY_SMTP_ATTEMPTS: '50' })).toThrow(/1 to 10/);
  });

  it('site and base path as the site build reads them', () => {
    expect(siteSettingsFromEnv({})).toEqual({ site: 'http://localhost:4321', base: '/' });
    expect(siteSettingsFromEnv({ SITE_URL: 'https://someone.github.io/', BASE_PATH: 'paperboy' })).toEqual({
      site: 'https://someone.github.io',
      base: '/paperboy/',
    });
  });

  it('List-Unsubscribe points at the README section of this repository, or an explicit URL', () => {
    const home = 'https://someone.github.io/paperboy/';
    expect(unsubscribeUrlFromEnv({ GITHUB_REPOSITORY: 'someone/paperboy' }, home)).toBe(
      'https://github.com/someone/paperboy#unsubscribing-from-the-digest',
    );
    expect(unsubscribeUrlFromEnv({ PAPERBOY_DIGEST_UNSUBSCRIBE_URL: 'mailto:list-leave@example.org' }, home)).toBe(
      'mailto:list-leave@example.org',
    );
    expect(unsubscribeUrlFromEnv({}, home)).toBe(home);
    expect(() => unsubscribeUrlFromEnv({ PAPERBOY_DIGEST_UNSUBSCRIBE_URL: 'javascript:alert(1)' }, home)).toThrow();
  });
});

describe('buildDigest', () => {
  const settings = {
    site: 'https://someone.github.io',
    base: '/paperboy/',
    siteTitle: 'Paperboy',
    unsubscribeUrl: 'https://github.com/someone/paperboy#unsubscribing-from-the-digest',
  };
  const papers = readDayPapers(FIXTURE_ARCHIVE, '2024-01-03');

  it('names the day and the count in the subject; one paper is singular', () => {
    expect(buildDigest('2024-01-03', papers, settings).subject).toBe('[Paperboy] Daily Papers of Wednesday 3 January 2024: 11 papers');
    expect(buildDigest('2024-01-03', papers.slice(0, 1), settings).subject).toMatch(/: 1 paper$/);
    expect(() => buildDigest('2024-01-03', [], settings)).toThrow(/never built/);
  });

  it('ids and list ids are stable per day and differ between sites', () => {
    expect(digestMessageId('2024-01-03', settings.site, '/paperboy/')).toBe(digestMessageId('2024-01-03', `${settings.site}/`, 'paperboy'));
    expect(digestMessageId('2024-01-03', settings.site, '/paperboy/')).not.toBe(digestMessageId('2024-01-04', settings.site, '/paperboy/'));
    expect(digestMessageId('2024-01-03', settings.site, '/paperboy/')).not.toBe(digestMessageId('2024-01-03', settings.site, '/other/'));
    expect(digestListId('http://localhost:4321', '/')).toBe('digest.localhost');
    expect(digestListId('https://Someone.github.io', '/My_Repo/')).toBe('digest.my-repo.someone.github.io');
  });

  it('the text part resolves markdown escapes and keeps TeX between dollars', () => {
    const { text } = buildDigest('2024-01-03', papers, settings);
    expect(text).toContain('A <b>bold</b> claim & more');
    expect(text).not.toContain('\\<b>');
    expect(text).toContain('$\\alpha + \\beta$');
  });

  it('authors are shortened, days are spelled in UTC', () => {
    expect(shortenAuthors(['A', 'B', 'C', 'D', 'E'], 3)).toBe('A, B, C and 2 more');
    expect(shortenAuthors(['A', 'B'], 3)).toBe('A, B');
    expect(formatDay('2023-12-31')).toBe('Sunday 31 December 2023');
  });

  it('a very long day lists its top papers and links the rest, staying under Gmail\'s ~100 KB clipping', () => {
    const many = Array.from({ length: 100 }, (_, i) => {
      const source = papers[i % papers.length]!;
      return { ...source, paper: { ...source.paper, id: `2401.${String(10000 + i)}`, upvotes: 1000 - i } };
    });
    const digest = buildDigest('2024-01-03', many, settings);
    expect(digest.subject).toMatch(/: 100 papers$/);
    expect(digest.paperCount).toBe(100);
    expect([...digest.text.matchAll(/^\d+\. /gm)]).toHaveLength(50);
    expect(digest.text).toContain('… and 50 more papers on the site: https://someone.github.io/paperboy/2024/01/03/');
    expect(digest.html).toContain('100 papers, most upvoted first; the top 50 here.');
    expect(digest.html).toMatch(/… and <a href="https:\/\/someone\.github\.io\/paperboy\/2024\/01\/03\/"[^>]*>50 more papers on the site<\/a>/);
    expect(Buffer.byteLength(digest.html)).toBeLessThan(90_000);
    expect(buildDigest('2024-01-03', many.slice(0, 50), settings).text).not.toContain('more papers on the site');
  });

  it('only http(s) links from the data', () => {
    const hostile = papers.find((p) => p.paper.id === '2401.99999')!;
    const { html, text } = buildDigest('2024-01-03', [hostile], settings);
    expect(html).not.toContain('href="javascript:');
    expect(text).not.toMatch(/GitHub: /);
    expect(html).toContain('href="https://example.org/?a=1&amp;b=%3C2%3E"');
  });
});

describe('certainlyUndelivered: what may be retried, or released after a claim', () => {
  const err = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields) as Parameters<typeof certainlyUndelivered>[0];
  it.each([
    ['connection refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, true],
    ['unknown host', { code: 'EDNS' }, true],
    ['no greeting in time', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, true],
    ['login refused', { code: 'EAUTH', responseCode: 535 }, true],
    ['every recipient refused', { code: 'EENVELOPE', command: 'RCPT TO' }, true],
    ['the message refused after DATA', { code: 'EMESSAGE', responseCode: 451, command: 'DATA' }, true],
    ['the server closing with 421', { code: 'ECONNECTION', responseCode: 421 }, true],
    ['a connection that broke off', { code: 'ECONNECTION', command: 'CONN' }, false],
    ['a reset', { code: 'ESOCKET', originalCode: 'ECONNRESET' }, false],
    ['silence mid-transaction', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }, false],
    ['anything unknown', { code: 'EWHATEVER' }, false],
  ])('%s: %s', (_name, fields, expected) => {
    expect(certainlyUndelivered(err(fields))).toBe(expected);
  });
});

describe('helpers', () => {
  it('redact hides secrets and their URL-encoded form', () => {
    expect(redact('login p/ss failed for smtp://u:p%2Fss@h', ['p/ss'])).toBe('login *** failed for smtp://u:***@h');
  });
  it('the secrets include the password inside PAPERBOY_SMTP_URL, decoded', () => {
    const secrets = secretsFromEnv({ PAPERBOY_SMTP_URL: 'smtp://u:p%2Fss@h', PAPERBOY_SMTP_PASSWORD: '' });
    expect(redact('password p/ss was refused', secrets)).toBe('password *** was refused');
    expect(redact('url smtp://u:p%2Fss@h', secrets)).toBe('url ***');
  });
  it('the preview HTML sits next to the .eml', () => {
    expect(previewHtmlPath('out/digest.eml')).toBe('out/digest.html');
    expect(previewHtmlPath('out/digest')).toBe('out/digest.html');
  });
});
