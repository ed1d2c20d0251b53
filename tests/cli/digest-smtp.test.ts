/**
 * `npm run digest` end to end against a real SMTP server on loopback: what
 * arrives, what is recorded, and the one-line errors a misconfigured fork sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureArchive, readDayJson, runDigest, startDroppingSmtpServer, startSmtpServer, type TestSmtpServer } from '../helpers/digest.ts';
import { leaves, parseMime } from '../helpers/mime.ts';

const SITE = 'https://someone.github.io';
const BASE = '/paperboy/';
const USER = 'digest-bot';
const PASSWORD = 's3cret-Pa55word';

const tempDirs: string[] = [];
function archive(): string {
  const dir = copyFixtureArchive();
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function smtpEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SITE_URL: SITE,
    BASE_PATH: BASE,
    GITHUB_REPOSITORY: 'someone/paperboy',
    PAPERBOY_SMTP_HOST: '127.0.0.1',
    PAPERBOY_SMTP_PORT: String(port),
    PAPERBOY_SMTP_SECURE: 'none',
    PAPERBOY_SMTP_USER: USER,
    PAPERBOY_SMTP_PASSWORD: PASSWORD,
    PAPERBOY_MAIL_FROM: 'Paperboy <paperboy@example.org>',
    PAPERBOY_MAIL_TO: 'reader@example.org, papers-list@lists.example.org',
    PAPERBOY_SMTP_ATTEMPTS: '3',
    PAPERBOY_SMTP_RETRY_DELAY_MS: '10',
    ...extra,
  };
}

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !/retrying in/.test(l));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(stderr).not.toContain(PASSWORD);
}

describe('npm run digest against a loopback SMTP server', () => {
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer({ auth: { user: USER, password: PASSWORD } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('mails the latest complete day once, as HTML and plain text with the headers a client expects', async () => {
    const dir = archive();
    const run = await runDigest(['--content-dir', dir], smtpEnv(server.port));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/sent 2024-01-03 \(11 papers\)/);
    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.user).toBe(USER);
    expect(mail.from).toBe('paperboy@example.org');
    expect(mail.to).toEqual(['reader@example.org', 'papers-list@lists.example.org']);

    const message = parseMime(mail.raw);
    const h = message.headers;
    expect(message.contentType).toBe('multipart/alternative');
    expect(h.get('subject')).toBe('[Paperboy] Daily Papers of Wednesday 3 January 2024: 11 papers');
    expect(h.get('message-id')).toMatch(/^<digest-2024-01-03\.[0-9a-f]{16}@paperboy>$/);
    expect(Number.isNaN(Date.parse(h.get('date') ?? ''))).toBe(false);
    expect(h.get('list-id')).toBe('Paperboy daily digest <digest.paperboy.someone.github.io>');
    expect(h.get('list-unsubscribe')).toBe('<https://github.com/someone/paperboy#unsubscribing-from-the-digest>');
    expect(h.get('from')).toBe('Paperboy <paperboy@example.org>');

    const parts = leaves(message);
    expect(parts.map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
    const [text, html] = [parts[0]!.body, parts[1]!.body];

    // Same content in both parts: every paper, most upvoted first, linked under the base path.
    const titles = [...text.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]);
    expect(titles).toHaveLength(11);
    expect(titles[0]).toBe('Agentless: Demystifying LLM-based Software Engineering Agents');
    expect(text).toContain(`Paper: ${SITE}/paperboy/papers/2407.01489/`);
    expect(text).toContain('arXiv: https://arxiv.org/abs/2407.01489');
    expect(text).toContain('PDF: https://arxiv.org/pdf/2407.01489');
    expect(text).toContain('GitHub: https://github.com/OpenAutoCoder/Agentless');
    expect(text).toContain(`This day on the site: ${SITE}/paperboy/2024/01/03/`);
    expect(text).toContain(`${SITE}/paperboy/feeds/`);
    expect(html).toContain(`<a href="${SITE}/paperboy/papers/2407.01489/"`);
    expect(html).toContain(`href="${SITE}/paperboy/2024/01/03/"`);
    expect(html).toContain(`href="${SITE}/paperboy/feeds/"`);
    expect(html.indexOf('Agentless')).toBeLessThan(html.indexOf('GPT-4V(ision)'));
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https:\/\//);

    // The hostile paper: escaped in HTML, no javascript: link, no script, no event handler.
    expect(html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;Quotes&quot;');
    expect(html).toContain('&lt;i&gt;Eve&lt;/i&gt; &amp; &quot;Mallory&quot;');
    // Only these elements, no event-handler attributes, no remote CSS or images: the data stays text.
    const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['a', 'body', 'div', 'h1', 'head', 'html', 'meta', 'span', 'table', 'td', 'title', 'tr']);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(text).toContain('<script>alert("t")</script> & "Quotes"');
    expect(text).not.toMatch(/^ +GitHub: javascript:/m);
    expect(text).toContain('A <b>bold</b> claim & more'); // markdown escapes resolved, not shown as \<b>

    // Recorded, and a second run sends nothing.
    const record = readDayJson(dir, '2024-01-03');
    expect(typeof record.digestSentAt).toBe('string');
    expect(Date.parse(record.digestSentAt as string)).toBeGreaterThan(Date.now() - 120_000);
    expect(record.updatedAt).toBe('2024-01-04T06:00:00.000Z');
    expect(fs.readdirSync(path.join(dir, '2024/01/03')).filter((f) => f.includes('tmp'))).toEqual([]);

    const again = await runDigest(['--content-dir', dir], smtpEnv(server.port));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already sent at .*nothing to send/);
    expect(server.received).toHaveLength(1);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBe(record.digestSentAt);

    const forced = await runDigest(['--content-dir', dir, '--force'], smtpEnv(server.port));
    expect(forced.code, forced.stderr).toBe(0);
    expect(server.received).toHaveLength(2);
    expect(parseMime(server.received[1]!.raw).headers.get('message-id')).toBe(h.get('message-id'));
  });

  it('refuses a wrong password with one clear line and records nothing', async () => {
    const dir = archive();
    const before = server.received.length;
    const run = await runDigest(['--content-dir', dir], smtpEnv(server.port, { PAPERBOY_SMTP_PASSWORD: 'wrong-Passw0rd' }));
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, /^digest: authentication refused by 127\.0\.0\.1:\d+ for user "digest-bot".*535/);
    expect(run.stderr).not.toContain('wrong-Passw0rd');
    expect(server.logins.at(-1)).toEqual({ user: USER, ok: false });
    expect(server.received).toHaveLength(before);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();
  });

  it('reads the server and login from PAPERBOY_SMTP_URL and never prints its password', async () => {
    const dir = archive();
    const before = server.received.length;
    const url = `smtp://${USER}:${encodeURIComponent('wrong/p@ss')}@127.0.0.1:${server.port}`;
    const env = smtpEnv(server.port, { PAPERBOY_SMTP_URL: url });
    for (const name of ['PAPERBOY_SMTP_HOST', 'PAPERBOY_SMTP_PORT', 'PAPERBOY_SMTP_USER', 'PAPERBOY_SMTP_PASSWORD']) delete env[name];
    const run = await runDigest(['--content-dir', dir], env);
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, /authentication refused/);
    expect(run.stderr + run.stdout).not.toMatch(/wrong\/p@ss|wrong%2Fp%40ss/);

    const good = `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}`;
    const ok = await runDigest(['--content-dir', dir, '--date', '2024-01-02'], { ...env, PAPERBOY_SMTP_URL: good });
    expect(ok.code, ok.stderr).toBe(0);
    expect(server.received).toHaveLength(before + 1);
    expect(parseMime(server.received.at(-1)!.raw).headers.get('subject')).toBe(
      '[Paperboy] Daily Papers of Tuesday 2 January 2024: 17 papers',
    );
    expect(ok.stdout + ok.stderr).not.toContain(PASSWORD);
  });

  it('names the recipient the server rejects', async () => {
    const strict = await startSmtpServer({ rejectRecipients: ['nobody@example.org'] });
    try {
      const dir = archive();
      const env = smtpEnv(strict.port, { PAPERBOY_MAIL_TO: 'nobody@example.org' });
      delete env.PAPERBOY_SMTP_USER;
      delete env.PAPERBOY_SMTP_PASSWORD;
      const run = await runDigest(['--content-dir', dir], env);
      expect(run.code).toBe(1);
      expectOneLineError(run.stderr, /^digest: recipient rejected by 127\.0\.0\.1:\d+: nobody@example\.org \(550.*no such user/);
      expect(strict.received).toHaveLength(0);
      expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();
    } finally {
      await strict.close();
    }
  });

  it('sends to the others when one recipient is rejected, records it, and still fails the run', async () => {
    const strict = await startSmtpServer({ rejectRecipients: ['nobody@example.org'] });
    try {
      const dir = archive();
      const env = smtpEnv(strict.port, { PAPERBOY_MAIL_TO: 'reader@example.org, nobody@example.org' });
      delete env.PAPERBOY_SMTP_USER;
      delete env.PAPERBOY_SMTP_PASSWORD;
      const run = await runDigest(['--content-dir', dir], env);
      expect(run.code).toBe(1);
      expectOneLineError(run.stderr, /recipient rejected .*nobody@example\.org.*delivered to reader@example\.org/);
      expect(strict.received.map((m) => m.to)).toEqual([['reader@example.org']]);
      // Never twice: reader@ got it, so a rerun must not mail them again.
      expect(readDayJson(dir, '2024-01-03').digestSentAt).not.toBeNull();
    } finally {
      await strict.close();
    }
  });

  it('gives up on an unreachable server after bounded retries with one clear line', async () => {
    const { freePort } = await import('../helpers/preview.ts');
    const port = await freePort(); // nothing listens there
    const dir = archive();
    const run = await runDigest(['--content-dir', dir], smtpEnv(port));
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, new RegExp(`^digest: SMTP server 127\\.0\\.0\\.1:${port} unreachable after 3 attempts \\(ECONNREFUSED`));
    expect(run.stderr.match(/retrying in/g)).toHaveLength(2);
    expect(run.stderr).toMatch(/attempt 1 failed .*retrying in 0\.0 s[\s\S]*attempt 2 failed/);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();
  });

  it('a TLS mode the server does not speak gets one clear line, without retries', async () => {
    const dir = archive();
    const run = await runDigest(['--content-dir', dir], smtpEnv(server.port, { PAPERBOY_SMTP_SECURE: 'tls' }));
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, /^digest: TLS with 127\.0\.0\.1:\d+ failed \(wrong version number\): check PAPERBOY_SMTP_SECURE/);
    expect(run.stderr).not.toContain('retrying');
  });

  it('in GitHub Actions the error is an annotation on the run', async () => {
    const run = await runDigest(['--content-dir', archive()], { ...smtpEnv(server.port), PAPERBOY_MAIL_TO: '', GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('::error title=Email digest::missing settings: PAPERBOY_MAIL_TO\n');
  });

  it('names every missing variable and sends nothing', async () => {
    const dir = archive();
    const run = await runDigest(['--content-dir', dir], { BASE_PATH: BASE });
    expect(run.code).toBe(1);
    expectOneLineError(
      run.stderr,
      /^digest: missing settings: PAPERBOY_SMTP_URL \(or PAPERBOY_SMTP_HOST\), PAPERBOY_MAIL_FROM, PAPERBOY_MAIL_TO, SITE_URL/,
    );
    const partial = await runDigest(['--content-dir', dir], { ...smtpEnv(1), PAPERBOY_SMTP_PASSWORD: '' });
    expect(partial.code).toBe(1);
    expectOneLineError(partial.stderr, /^digest: PAPERBOY_SMTP_PASSWORD is missing \(a user is set\)$/);
  });

  it('skips a day still filling up and mails the previous complete list day', async () => {
    const dir = archive();
    const file = path.join(dir, '2024/01/03/day.json');
    const record = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...record, complete: false }, null, 2));
    const before = server.received.length;
    const run = await runDigest(['--content-dir', dir], smtpEnv(server.port));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2024-01-03 still filling up: the digest is about 2024-01-02');
    expect(server.received).toHaveLength(before + 1);
    expect(parseMime(server.received.at(-1)!.raw).headers.get('message-id')).toMatch(/^<digest-2024-01-02\./);
    expect(readDayJson(dir, '2024-01-02').digestSentAt).not.toBeNull();
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();

    const explicit = await runDigest(['--content-dir', dir, '--date', '2024-01-03'], smtpEnv(server.port));
    expect(explicit.code).toBe(0);
    expect(explicit.stdout).toMatch(/2024-01-03 is still filling up/);
    expect(server.received).toHaveLength(before + 1);
  });

  it('sends nothing for a day without papers', async () => {
    const dir = archive();
    const before = server.received.length;
    const run = await runDigest(['--content-dir', dir, '--date', '2023-12-31'], smtpEnv(server.port));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2023-12-31 has no papers');
    expect(server.received).toHaveLength(before);
  });

  it('--dry-run prints what would be sent and changes nothing', async () => {
    const dir = archive();
    const before = server.received.length;
    const loginsBefore = server.logins.length;
    const dayJson = fs.readFileSync(path.join(dir, '2024/01/03/day.json'), 'utf8');
    const run = await runDigest(['--content-dir', dir, '--dry-run'], smtpEnv(server.port));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('dry run for 2024-01-03: 11 papers');
    expect(run.stdout).toContain('subject:     [Paperboy] Daily Papers of Wednesday 3 January 2024: 11 papers');
    expect(run.stdout).toContain('to:          reader@example.org, papers-list@lists.example.org');
    expect(run.stdout).toMatch(/server: +127\.0\.0\.1:\d+ \(none\) as "digest-bot"/);
    expect(run.stdout).toContain('nothing sent, nothing written');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(server.received).toHaveLength(before);
    expect(server.logins).toHaveLength(loginsBefore); // not even a connection
    expect(fs.readFileSync(path.join(dir, '2024/01/03/day.json'), 'utf8')).toBe(dayJson);
  });

  it('--preview writes the .eml and its HTML next to it, and sends nothing', async () => {
    const dir = archive();
    const before = server.received.length;
    const eml = path.join(dir, 'out', 'digest.eml');
    const run = await runDigest(['--content-dir', dir, '--preview', eml], { SITE_URL: SITE, BASE_PATH: BASE });
    expect(run.code, run.stderr).toBe(0);
    const message = parseMime(fs.readFileSync(eml, 'utf8'));
    const html = fs.readFileSync(path.join(dir, 'out', 'digest.html'), 'utf8');
    expect(leaves(message).map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
    expect(leaves(message)[1]!.body).toBe(html);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(server.received).toHaveLength(before);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();
  });
});

describe('at most once: claim (record, commit, push), then send', () => {
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer({ auth: { user: USER, password: PASSWORD } });
  });
  afterAll(async () => {
    await server.close();
  });
  const claimFile = (dir: string) => path.join(dir, '..', `${path.basename(dir)}-claim.json`);

  it('--claim records digestSentAt and sends nothing; --send-claimed then sends it once; the next claim finds nothing', async () => {
    const dir = archive();
    const file = claimFile(dir);
    const before = server.received.length;
    const claimed = await runDigest(['--content-dir', dir, '--claim', file], smtpEnv(server.port));
    expect(claimed.code, claimed.stderr).toBe(0);
    expect(claimed.stdout).toMatch(/claimed 2024-01-03 \(11 papers\): digestSentAt \S+ written, nothing sent yet/);
    expect(server.received).toHaveLength(before);
    expect(server.logins).toHaveLength(0); // the claim does not even connect
    const claim = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(claim.day).toBe('2024-01-03');
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBe(claim.claimedAt);

    const sent = await runDigest(['--content-dir', dir, '--send-claimed', file], smtpEnv(server.port));
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/sent 2024-01-03 \(11 papers\) to reader@example\.org, papers-list@lists\.example\.org; recorded as digestSentAt/);
    expect(server.received).toHaveLength(before + 1);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBe(claim.claimedAt);

    const again = await runDigest(['--content-dir', dir, '--claim', `${file}.2`], smtpEnv(server.port));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already sent at .*nothing to send/);
    expect(fs.existsSync(`${file}.2`)).toBe(false);
  });

  it('a broken mail setup claims nothing (the claim checks the settings first)', async () => {
    const dir = archive();
    const file = claimFile(dir);
    const run = await runDigest(['--content-dir', dir, '--claim', file], { ...smtpEnv(server.port), PAPERBOY_MAIL_TO: '' });
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, /^digest: missing settings: PAPERBOY_MAIL_TO$/);
    expect(fs.existsSync(file)).toBe(false);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();
  });

  it('sends only the claim the record holds (a record changed since, or a claim for another time, sends nothing)', async () => {
    const dir = archive();
    const file = claimFile(dir);
    const before = server.received.length;
    fs.writeFileSync(file, JSON.stringify({ day: '2024-01-03', claimedAt: '2026-01-01T00:00:00.000Z' }));
    const run = await runDigest(['--content-dir', dir, '--send-claimed', file], smtpEnv(server.port));
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, /^digest: 2024-01-03's day\.json does not hold this claim \(digestSentAt null, claimed 2026-01-01T00:00:00\.000Z\): not sending$/);
    expect(server.received).toHaveLength(before);
    fs.writeFileSync(file, '{"day": "../../etc"}');
    const bad = await runDigest(['--content-dir', dir, '--send-claimed', file], smtpEnv(server.port));
    expect(bad.code).toBe(1);
    expectOneLineError(bad.stderr, /is not a digest claim/);
  });

  it('a server that certainly took it for nobody (unreachable): the claim is released, so a later run sends it', async () => {
    const { freePort } = await import('../helpers/preview.ts');
    const port = await freePort();
    const dir = archive();
    const file = claimFile(dir);
    expect((await runDigest(['--content-dir', dir, '--claim', file], smtpEnv(port))).code).toBe(0);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).not.toBeNull();
    const run = await runDigest(['--content-dir', dir, '--send-claimed', file], smtpEnv(port));
    expect(run.code).toBe(1);
    expectOneLineError(run.stderr, /unreachable after 3 attempts .*nothing was delivered, so the claim on 2024-01-03 is released \(digestSentAt cleared\)/);
    expect(readDayJson(dir, '2024-01-03').digestSentAt).toBeNull();
  });

  it('a connection that breaks off after the message was handed over: no retry, and the claim stays (never twice)', async () => {
    const dropping = await startDroppingSmtpServer();
    try {
      const dir = archive();
      const file = claimFile(dir);
      const env = smtpEnv(dropping.port);
      delete env.PAPERBOY_SMTP_USER;
      delete env.PAPERBOY_SMTP_PASSWORD;
      expect((await runDigest(['--content-dir', dir, '--claim', file], env)).code).toBe(0);
      const claimedAt = readDayJson(dir, '2024-01-03').digestSentAt;
      const run = await runDigest(['--content-dir', dir, '--send-claimed', file], env);
      expect(run.code).toBe(1);
      expectOneLineError(
        run.stderr,
        /the connection to 127\.0\.0\.1:\d+ broke off .*may or may not have been delivered; 2024-01-03 stays recorded as sent .*npm run digest -- --date 2024-01-03 --force/,
      );
      expect(run.stderr).not.toContain('retrying');
      expect(dropping.messagesTaken).toBe(1);
      expect(readDayJson(dir, '2024-01-03').digestSentAt).toBe(claimedAt);

      // Plain `npm run digest` does not resend such a message either.
      const plainDir = archive();
      const plain = await runDigest(['--content-dir', plainDir], env);
      expect(plain.code).toBe(1);
      expect(plain.stderr).not.toContain('retrying');
      expect(dropping.messagesTaken).toBe(2);
    } finally {
      await dropping.close();
    }
  });

  it('rejects --send-claimed with --date, --force or another mode', async () => {
    for (const args of [['--send-claimed', 'x.json', '--date', '2024-01-03'], ['--send-claimed', 'x.json', '--force'], ['--claim', 'x.json', '--dry-run']]) {
      const run = await runDigest(args, smtpEnv(server.port));
      expect(run.code, args.join(' ')).toBe(2);
    }
  });
});
