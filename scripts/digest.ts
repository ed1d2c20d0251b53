/**
 * `npm run digest -- [options]`: mail the digest of one list day (see HELP and
 * README "Email digest"). The logic lives in src/digest/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { siteConfig } from '../src/config.ts';
import { parseCommandLine, reportUsageError, UsageError } from './cli.ts';
import { isDay } from '../src/archive/dates.ts';
import type { DayRecord } from '../src/archive/schema.ts';
import { markDigestSent, readDayPapers, readRecordFile, releaseClaim, scanDays } from '../src/digest/archive.ts';
import { parseClaim, serializeClaim } from '../src/digest/claim.ts';
import { buildDigest, type DigestMessage } from '../src/digest/compose.ts';
import {
  DigestConfigError,
  mailSettingsFromEnv,
  parseAddresses,
  retrySettingsFromEnv,
  secretsFromEnv,
  siteSettingsFromEnv,
  unsubscribeUrlFromEnv,
  type MailSettings,
} from '../src/digest/config.ts';
import { chooseDigestDay, selectDigestPapers } from '../src/digest/select.ts';
import { buildRawMessage, DigestSendError, previewHtmlPath, redact, sendDigest } from '../src/digest/send.ts';
import { absoluteUrl, routes } from '../src/site/urls.ts';

const HELP = `Usage: npm run digest -- [options]

Mail the digest of one Hugging Face Daily Papers list day: the day's papers,
most upvoted first, as an HTML + plain-text email, over the SMTP server set
in the environment (README "Email digest" lists every variable).

  --date YYYY-MM-DD   the list day (default: the latest complete list day
                      with papers; a day still filling up is skipped)
  --dry-run           print what would be sent; send nothing, write nothing
  --preview FILE      write the message to FILE (.eml) and its HTML part next
                      to it (FILE with .html); sends nothing, writes no record
  --force             send even if this day's digest was already sent, or
                      the --date day is still filling up
  --claim FILE        send nothing: choose the day as a send would, check the
                      mail settings, record digestSentAt in its day.json (the
                      claim) and write the claimed day to FILE
  --send-claimed FILE send the day claimed in FILE (after the claim was
                      committed and pushed); if the server certainly took it
                      for nobody, clear the claim again so a later run retries
  --content-dir DIR   archive directory (default content/papers, or
                      PAPERBOY_CONTENT_DIR)
  -h, --help          show this help

After a successful send the day's day.json records digestSentAt, so a rerun
sends nothing. Days without papers send nothing. The scheduled workflow uses
--claim, pushes the record, then --send-claimed: a digest is mailed at most
once even when a push fails (README "Email digest").

Exit codes: 0 sent or nothing to send, 1 failed (one line says why), 2 bad usage.`;

interface Options {
  date: string | undefined;
  dryRun: boolean;
  preview: string | undefined;
  force: boolean;
  claim: string | undefined;
  sendClaimed: string | undefined;
  contentDir: string;
}

/** The options, or an exit code when the command stops here (help shown, or a bad option reported). */
function parseOptions(argv: string[]): Options | number {
  const parsed = parseCommandLine('digest', HELP, {
    args: argv,
    options: {
      date: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      preview: { type: 'string' },
      force: { type: 'boolean', default: false },
      claim: { type: 'string' },
      'send-claimed': { type: 'string' },
      'content-dir': { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (v.date !== undefined && !isDay(v.date)) throw new UsageError(`--date needs a date as YYYY-MM-DD, got "${v.date}"`);
  for (const name of ['preview', 'claim', 'send-claimed'] as const) {
    if (v[name] !== undefined && !v[name].trim()) throw new UsageError(`--${name} needs a file name`);
  }
  const modes = (['dry-run', 'preview', 'claim', 'send-claimed'] as const).filter((name) => v[name] !== undefined && v[name] !== false);
  if (v.claim !== undefined || v['send-claimed'] !== undefined) {
    if (modes.length > 1) throw new UsageError(`--${modes[0]} and --${modes[1]} cannot be combined`);
    if (v['send-claimed'] !== undefined && (v.date !== undefined || v.force)) {
      throw new UsageError('--send-claimed takes the day from its file: no --date or --force');
    }
  }
  return {
    date: v.date,
    dryRun: v['dry-run'] ?? false,
    preview: v.preview,
    force: v.force ?? false,
    claim: v.claim,
    sendClaimed: v['send-claimed'],
    contentDir: v['content-dir'] ?? (process.env.PAPERBOY_CONTENT_DIR || 'content/papers'),
  };
}

const kb = (text: string) => `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;

/** From and To for a preview or dry run: the configured ones when valid, placeholders otherwise. */
function previewAddresses(env: NodeJS.ProcessEnv): { from: string; to: string[]; configured: boolean } {
  try {
    const from = env.PAPERBOY_MAIL_FROM?.trim();
    const to = env.PAPERBOY_MAIL_TO?.trim();
    if (from && to) return { from, to: parseAddresses(to, 'PAPERBOY_MAIL_TO'), configured: true };
  } catch {
    // fall through to placeholders; the dry run reports the configuration problem
  }
  return { from: `${siteConfig.title} <digest@paperboy.invalid>`, to: ['you@example.invalid'], configured: false };
}

function describeServer(mail: MailSettings): string {
  return `${mail.host}:${mail.port} (${mail.tls})${mail.user ? ` as "${mail.user}"` : ' without login'}`;
}

async function run(opts: Options): Promise<number> {
  if (opts.sendClaimed !== undefined) return sendClaimed(opts.sendClaimed, opts.contentDir);
  const env = process.env;
  const sending = !opts.dryRun && opts.preview === undefined;
  // Sending checks the configuration first, so a broken setup shows on every run, not only on new days.
  const mail = sending ? mailSettingsFromEnv(env) : undefined;
  const retry = sending ? retrySettingsFromEnv(env) : undefined;
  const { site, base } = siteSettingsFromEnv(env);
  const unsubscribeUrl = unsubscribeUrlFromEnv(env, absoluteUrl(site, base, routes.home()));

  const choice = chooseDigestDay(scanDays(opts.contentDir), {
    date: opts.date,
    force: opts.force,
    ignoreSent: opts.preview !== undefined,
  });
  if (choice.kind === 'error') throw new DigestConfigError(choice.reason);
  if (choice.kind === 'nothing') {
    console.log(`digest: ${choice.reason}`);
    return 0;
  }
  if (choice.note) console.log(`digest: ${choice.note}`);

  const selected = selectDigestPapers(choice.day, readDayPapers(opts.contentDir, choice.day), siteConfig.feedFilter);
  if (selected.kind === 'nothing') {
    console.log(`digest: ${selected.reason}`);
    return 0;
  }
  const message = buildDigest(choice.day, selected.papers, {
    site,
    base,
    siteTitle: siteConfig.title,
    unsubscribeUrl,
    listed: selected.listed,
  });

  if (!sending) {
    const addresses = previewAddresses(env);
    if (opts.preview !== undefined) {
      const raw = await buildRawMessage(message, addresses.from, addresses.to, new Date());
      const htmlFile = previewHtmlPath(opts.preview);
      fs.mkdirSync(path.dirname(path.resolve(opts.preview)), { recursive: true });
      fs.writeFileSync(opts.preview, raw);
      fs.writeFileSync(htmlFile, message.html);
      console.log(`digest: preview of ${choice.day} (${message.paperCount} papers) written to ${opts.preview} and ${htmlFile}`);
      if (choice.record?.digestSentAt) console.log(`digest: (this day's digest was already sent at ${choice.record.digestSentAt})`);
    }
    if (opts.dryRun) printDryRun(message, env, addresses);
    return 0;
  }

  if (opts.claim !== undefined) {
    // The settings were checked above and the message was built: a claim is only made for a digest that can go out.
    const claimedAt = new Date().toISOString();
    markDigestSent(opts.contentDir, choice.day, claimedAt);
    fs.mkdirSync(path.dirname(path.resolve(opts.claim)), { recursive: true });
    fs.writeFileSync(opts.claim, serializeClaim({ day: choice.day, claimedAt }));
    console.log(
      `digest: claimed ${choice.day} (${message.paperCount} papers): digestSentAt ${claimedAt} written, nothing sent yet; ` +
        `commit and push it, then send with --send-claimed ${opts.claim}`,
    );
    return 0;
  }

  const result = await sendDigest(message, mail!, retry!, {
    onRetry: (attempt, delayMs, reason) =>
      console.error(`digest: attempt ${attempt} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`),
  }).catch((error: unknown) => {
    // Some recipients got it: record the send so a rerun does not mail them twice, then report the failure.
    if (error instanceof DigestSendError && error.delivered.length) recordSent(opts.contentDir, choice.day);
    throw error;
  });
  const record = recordSent(opts.contentDir, choice.day);
  console.log(
    `digest: sent ${choice.day} (${message.paperCount} papers) to ${result.accepted.join(', ')}; ` +
      `recorded digestSentAt ${record.digestSentAt}`,
  );
  return 0;
}

/**
 * Send the day claimed in `file`. The record must still hold exactly this
 * claim (it was pushed as such). On a failure that certainly reached nobody
 * the claim is cleared so that a later run tries again; on any other failure
 * it stays, so nobody gets the digest twice, and the line says so.
 */
async function sendClaimed(file: string, contentDir: string): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new DigestConfigError(`no digest claim at ${file}`);
  }
  const claim = parseClaim(text, file);
  const { day, claimedAt } = claim;
  const recorded = readRecordFile(contentDir, day).digestSentAt;
  if (recorded !== claimedAt) {
    throw new DigestConfigError(
      `${day}'s day.json does not hold this claim (digestSentAt ${recorded ?? 'null'}, claimed ${claimedAt}): not sending`,
    );
  }
  const release = (why: string): Error => {
    const released = releaseClaim(contentDir, day, claimedAt);
    return new Error(
      released
        ? `${why}; nothing was delivered, so the claim on ${day} is released (digestSentAt cleared): commit and push it, and a later run sends it`
        : `${why}; nothing was delivered, but ${day}'s record changed meanwhile: left as it is`,
    );
  };
  const env = process.env;
  let message: DigestMessage;
  let mail: MailSettings;
  let retry: ReturnType<typeof retrySettingsFromEnv>;
  try {
    mail = mailSettingsFromEnv(env);
    retry = retrySettingsFromEnv(env);
    const { site, base } = siteSettingsFromEnv(env);
    const unsubscribeUrl = unsubscribeUrlFromEnv(env, absoluteUrl(site, base, routes.home()));
    message = buildDigest(day, readDayPapers(contentDir, day), { site, base, siteTitle: siteConfig.title, unsubscribeUrl });
  } catch (error) {
    throw release((error as Error).message);
  }
  let result: Awaited<ReturnType<typeof sendDigest>>;
  try {
    result = await sendDigest(message, mail, retry, {
      onRetry: (attempt, delayMs, reason) =>
        console.error(`digest: attempt ${attempt} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`),
    });
  } catch (error) {
    const why = (error as Error).message;
    if (error instanceof DigestSendError && error.undelivered) throw release(why);
    if (error instanceof DigestSendError && error.delivered.length) {
      throw new Error(`${why}; ${day} stays recorded as sent (digestSentAt ${claimedAt}) so nobody gets it twice`);
    }
    throw new Error(
      `${why}; ${day} stays recorded as sent (digestSentAt ${claimedAt}) so nobody gets it twice: ` +
        `if it did not arrive, send it again by hand with npm run digest -- --date ${day} --force`,
    );
  }
  console.log(
    `digest: sent ${day} (${message.paperCount} papers) to ${result.accepted.join(', ')}; ` +
      `recorded as digestSentAt ${claimedAt}, committed before sending`,
  );
  return 0;
}

function recordSent(contentDir: string, day: string): DayRecord {
  try {
    return markDigestSent(contentDir, day, new Date().toISOString());
  } catch (error) {
    throw new Error(
      `the digest of ${day} was sent, but recording digestSentAt in its day.json failed (a rerun would send it again): ${(error as Error).message}`,
    );
  }
}

function printDryRun(message: DigestMessage, env: NodeJS.ProcessEnv, addresses: { from: string; to: string[]; configured: boolean }): void {
  let server: string;
  try {
    server = describeServer(mailSettingsFromEnv(env));
  } catch (error) {
    server = `not configured: ${(error as Error).message}`;
  }
  const lines = [
    `digest: dry run for ${message.day}: ${message.paperCount} papers`,
    `  subject:     ${message.subject}`,
    `  from:        ${addresses.configured ? addresses.from : '(PAPERBOY_MAIL_FROM not set)'}`,
    `  to:          ${addresses.configured ? addresses.to.join(', ') : '(PAPERBOY_MAIL_TO not set)'}`,
    `  server:      ${server}`,
    `  message-id:  ${message.messageId}`,
    ...Object.entries(message.headers).map(([name, value]) => `  ${`${name.toLowerCase()}:`.padEnd(12)} ${value}`),
    `  day page:    ${message.dayUrl}`,
    `  parts:       text/plain ${kb(message.text)}, text/html ${kb(message.html)}`,
    'digest: dry run: nothing sent, nothing written',
  ];
  console.log(redact(lines.join('\n'), secretsFromEnv(env)));
}

/** One line on stderr; in GitHub Actions also an error annotation on the run. */
function reportError(message: string): void {
  const line = redact(message, secretsFromEnv(process.env));
  if (process.env.GITHUB_ACTIONS === 'true') {
    const escaped = line.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    console.error(`::error title=Email digest::${escaped}`);
  } else {
    console.error(`digest: ${line}`);
  }
}

async function main(): Promise<void> {
  let opts: Options | number;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    reportUsageError('digest', error);
    process.exitCode = 2;
    return;
  }
  if (typeof opts === 'number') {
    process.exitCode = opts;
    return;
  }
  try {
    process.exitCode = await run(opts);
  } catch (error) {
    // Expected failures carry a clear message; anything else still gets one line, never a stack trace.
    reportError((error as Error).message.split('\n')[0] ?? String(error));
    process.exitCode = 1;
  }
}

await main();
