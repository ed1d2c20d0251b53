/**
 * `npm run digest -- [options]`: mail the digest of one list day (see HELP and
 * README "Email digest"). The logic lives in src/lib/digest/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { siteConfig } from '../src/config.ts';
import { parseCommandLine, reportUsageError, UsageError } from './cli.ts';
import { isDay } from '../src/lib/dates.ts';
import type { DayRecord } from '../src/lib/schema.ts';
import { markDigestSent, readDayPapers, scanDays } from '../src/lib/digest/archive.ts';
import { buildDigest, type DigestMessage } from '../src/lib/digest/compose.ts';
import {
  DigestConfigError,
  mailSettingsFromEnv,
  parseAddresses,
  retrySettingsFromEnv,
  secretsFromEnv,
  siteSettingsFromEnv,
  unsubscribeUrlFromEnv,
  type MailSettings,
} from '../src/lib/digest/config.ts';
import { chooseDigestDay, selectDigestPapers } from '../src/lib/digest/select.ts';
import { buildRawMessage, DigestSendError, previewHtmlPath, redact, sendDigest } from '../src/lib/digest/send.ts';
import { absoluteUrl, routes } from '../src/lib/urls.ts';

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
  --content-dir DIR   archive directory (default content/papers, or
                      PAPERBOY_CONTENT_DIR)
  -h, --help          show this help

After a successful send the day's day.json records digestSentAt, so a rerun
sends nothing. Days without papers send nothing.

Exit codes: 0 sent or nothing to send, 1 failed (one line says why), 2 bad usage.`;

interface Options {
  date: string | undefined;
  dryRun: boolean;
  preview: string | undefined;
  force: boolean;
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
      'content-dir': { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (v.date !== undefined && !isDay(v.date)) throw new UsageError(`--date needs a date as YYYY-MM-DD, got "${v.date}"`);
  if (v.preview !== undefined && !v.preview.trim()) throw new UsageError('--preview needs a file name');
  return {
    date: v.date,
    dryRun: v['dry-run'] ?? false,
    preview: v.preview,
    force: v.force ?? false,
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
