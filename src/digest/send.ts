/**
 * The digest as a MIME message (nodemailer), sent over SMTP with bounded
 * retries, and every failure turned into one clear line that never holds a
 * secret (the password or the credentials of PAPERBOY_SMTP_URL).
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type { DigestMessage } from './compose.ts';
import { secretsFromEnv, type MailSettings, type RetrySettings } from './config.ts';

/** The nodemailer message: multipart/alternative with the plain-text and the HTML part. */
export function mailOptions(message: DigestMessage, from: string, to: readonly string[], date: Date): SendMailOptions {
  return {
    from,
    to: [...to],
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    date,
    headers: message.headers,
    textEncoding: 'quoted-printable',
  };
}

/** The raw message (.eml) exactly as it would be sent, for `--preview`. */
export async function buildRawMessage(
  message: DigestMessage,
  from: string,
  to: readonly string[],
  date: Date,
): Promise<Buffer> {
  return new MailComposer(mailOptions(message, from, to, date)).compile().build();
}

/** Where `--preview FILE` puts the HTML part: `digest.eml` -> `digest.html`, other names get `.html` appended. */
export function previewHtmlPath(file: string): string {
  return file.toLowerCase().endsWith('.eml') ? `${file.slice(0, -4)}.html` : `${file}.html`;
}

export class DigestSendError extends Error {
  /** Recipients that did get the message (a partial rejection still counts as sent). */
  readonly delivered: string[];
  /**
   * True when the server certainly took the message for nobody (it refused, or
   * the failure came before the message was handed over): sending again cannot
   * mail anyone twice. False when it may have arrived (the connection broke
   * off mid-transaction) or did arrive for some.
   */
  readonly undelivered: boolean;
  constructor(message: string, delivered: string[] = [], undelivered = false) {
    super(message);
    this.name = 'DigestSendError';
    this.delivered = delivered;
    this.undelivered = undelivered && delivered.length === 0;
  }
}

export interface SendResult {
  accepted: string[];
  attempts: number;
}

export interface SendOptions {
  /** Waits between attempts (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each retry (the CLI prints one line). */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Per-attempt connection and greeting timeout (default 15 s). */
  connectTimeoutMs?: number;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

/** Replace every secret (and its URL-encoded form) in `text` with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Certificate and handshake problems: retrying does not help, the settings must change. */
function isTlsFailure(error: NodemailerError): boolean {
  if (error.code === 'ETLS' || error.code === 'EREQUIRETLS') return true;
  return error.responseCode === undefined && /certificate|self[- ]signed|wrong version number|SSL routines|handshake/i.test(
    `${error.originalCode ?? ''} ${error.message}`,
  );
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EDNS']);
/** nodemailer's timeouts before a mail transaction starts (connecting, the greeting, the TLS upgrade). */
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/**
 * Whether the server certainly did not take the message: it answered with a
 * refusal (4xx/5xx), or the failure happened before any mail transaction
 * (no connection, login, TLS, envelope). A connection that breaks off or goes
 * silent later may have delivered the message already, so that is never
 * "certain", even though it might have broken off before: that costs one
 * retry in such cases, where the opposite could mail everyone twice.
 */
export function certainlyUndelivered(error: NodemailerError): boolean {
  if (typeof error.responseCode === 'number' && error.responseCode >= 400) return true;
  if (['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'EREQUIRETLS', 'ETLS'].includes(error.code ?? '')) return true;
  if (isTlsFailure(error)) return true;
  if (NEVER_CONNECTED.has(error.code ?? '') || NEVER_CONNECTED.has(error.originalCode ?? '')) return true;
  return error.code === 'ETIMEDOUT' && SETUP_TIMEOUTS.has(error.timeoutType ?? '');
}

function isConnectionFailure(error: NodemailerError): boolean {
  if (isTlsFailure(error)) return false;
  if (error.responseCode !== undefined) return error.responseCode >= 400 && error.responseCode < 500 && error.code !== 'EAUTH';
  return CONNECTION_CODES.has(error.code ?? '') || CONNECTION_CODES.has(error.originalCode ?? '');
}

function describeConnectionFailure(error: NodemailerError): string {
  if (error.responseCode !== undefined) return oneLine(error.response) || `reply ${error.responseCode}`;
  const code = error.originalCode && error.originalCode !== error.code ? error.originalCode : error.code;
  return [code, error.timeoutType].filter(Boolean).join(' ') || oneLine(error.message);
}

export async function sendDigest(
  message: DigestMessage,
  settings: MailSettings,
  retry: RetrySettings,
  options: SendOptions = {},
): Promise<SendResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const server = `${settings.host}:${settings.port}`;
  const secrets = [settings.password, ...secretsFromEnv(process.env)];
  const timeout = options.connectTimeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'tls',
    requireTLS: settings.tls === 'starttls',
    ignoreTLS: settings.tls === 'none',
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const mail = mailOptions(message, settings.from, settings.to, new Date());
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const info = await transport.sendMail(mail);
        const accepted = (info.accepted ?? []).map(String);
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length) {
          const reasons = (info.rejectedErrors ?? []).map((e) => oneLine(e.response)).filter(Boolean);
          throw new DigestSendError(
            redact(
              `recipient rejected by ${server}: ${rejected.join(', ')}${reasons.length ? ` (${reasons.join('; ')})` : ''}; ` +
                `delivered to ${accepted.join(', ') || 'nobody'}`,
              secrets,
            ),
            accepted,
          );
        }
        return { accepted, attempts: attempt };
      } catch (caught) {
        if (caught instanceof DigestSendError) throw caught;
        const error = caught as NodemailerError;
        // Retry only what cannot have reached anyone: a retry after a connection that broke off mid-transaction could mail everyone twice.
        if (isConnectionFailure(error) && certainlyUndelivered(error) && attempt < retry.attempts) {
          const delay = retry.baseDelayMs * 2 ** (attempt - 1);
          options.onRetry?.(attempt, delay, redact(describeConnectionFailure(error), secrets));
          await sleep(delay);
          continue;
        }
        throw new DigestSendError(redact(explain(error, settings, server, attempt), secrets), [], certainlyUndelivered(error));
      }
    }
  } finally {
    transport.close();
  }
}

/** OpenSSL messages hold build paths and error numbers; keep the words a person can act on. */
function tlsReason(error: NodemailerError): string {
  const message = oneLine(error.message);
  const known =
    /wrong version number|self[- ]signed certificate[\w ]*|certificate has expired|unable to verify the first certificate|unable to get local issuer certificate|Hostname\/IP does not match certificate's altnames|Error upgrading connection with STARTTLS[^:]*(?:: .*)?/i.exec(
      message,
    );
  if (known) return known[0];
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

function explain(error: NodemailerError, settings: MailSettings, server: string, attempts: number): string {
  const reply = oneLine(error.response);
  const because = reply ? ` (${reply})` : '';
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') {
    return `authentication refused by ${server} for user "${settings.user ?? ''}"${because}: check PAPERBOY_SMTP_USER and PAPERBOY_SMTP_PASSWORD`;
  }
  if (error.code === 'EENVELOPE' && error.command === 'RCPT TO') {
    const rejected = error.rejected?.length ? error.rejected.join(', ') : settings.to.join(', ');
    const reasons = (error.rejectedErrors ?? []).map((e) => oneLine(e.response)).filter(Boolean);
    return `recipient rejected by ${server}: ${rejected}${reasons.length ? ` (${reasons.join('; ')})` : because}`;
  }
  if (error.code === 'EENVELOPE' && error.command === 'MAIL FROM') {
    return `sender ${settings.from} rejected by ${server}${because}: check PAPERBOY_MAIL_FROM`;
  }
  if (isTlsFailure(error)) {
    return `TLS with ${server} failed (${tlsReason(error)}): check PAPERBOY_SMTP_SECURE (tls, starttls or none) and the port`;
  }
  if (!certainlyUndelivered(error) && (CONNECTION_CODES.has(error.code ?? '') || CONNECTION_CODES.has(error.originalCode ?? ''))) {
    return `the connection to ${server} broke off (${describeConnectionFailure(error)}): the message may or may not have been delivered`;
  }
  if (isConnectionFailure(error)) {
    return `SMTP server ${server} unreachable after ${attempts} attempt${attempts === 1 ? '' : 's'} (${describeConnectionFailure(error)})`;
  }
  return `sending failed via ${server}: ${oneLine(error.message)}${because && !error.message.includes(reply) ? because : ''}`;
}
