/**
 * Digest settings from environment variables (README "Email digest"). Pure:
 * takes an env object. Empty values count as unset, because a GitHub secret
 * that does not exist expands to ''. Errors name the variables, never values
 * that could be secret.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { normalizeBase } from '../site/urls.ts';

export type TlsMode = 'tls' | 'starttls' | 'none';
export const TLS_MODES: readonly TlsMode[] = ['tls', 'starttls', 'none'];

export interface MailSettings {
  host: string;
  port: number;
  tls: TlsMode;
  user: string | undefined;
  password: string | undefined;
  from: string;
  /** One or more recipients (a person or a mailing-list address). */
  to: string[];
}

export interface RetrySettings {
  /** Connection attempts before "unreachable" (>= 1). */
  attempts: number;
  /** Wait before the second attempt; doubles each time. */
  baseDelayMs: number;
}

export class DigestConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestConfigError';
  }
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

const DEFAULT_PORT: Record<TlsMode, number> = { tls: 465, starttls: 587, none: 25 };

function parseTlsMode(raw: string): TlsMode {
  const mode = raw.toLowerCase();
  if ((TLS_MODES as readonly string[]).includes(mode)) return mode as TlsMode;
  throw new DigestConfigError(`PAPERBOY_SMTP_SECURE must be one of ${TLS_MODES.join(', ')} (got "${raw}")`);
}

function parsePort(raw: string, name: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new DigestConfigError(`${name} must be a port number 1-65535`);
  return port;
}

/** Mail addresses from a comma-separated list (`Name <a@b.org>, c@d.org`); throws naming the variable. */
export function parseAddresses(raw: string, name: string): string[] {
  const parsed = addressparser(raw, { flatten: true });
  const addresses = parsed.map((a) => ('address' in a ? (a.address ?? '') : '')).map((s) => s.trim());
  if (addresses.length === 0 || addresses.some((s) => !/^[^\s@<>]+@[^\s@<>]+$/.test(s))) {
    throw new DigestConfigError(`${name} must be one or more mail addresses separated by commas`);
  }
  return addresses;
}

/** The SMTP server and the message's From and To. Throws DigestConfigError naming every missing variable. */
export function mailSettingsFromEnv(env: Env): MailSettings {
  const url = value(env, 'PAPERBOY_SMTP_URL');
  const missing: string[] = [];
  if (!url && !value(env, 'PAPERBOY_SMTP_HOST')) missing.push('PAPERBOY_SMTP_URL (or PAPERBOY_SMTP_HOST)');
  if (!value(env, 'PAPERBOY_MAIL_FROM')) missing.push('PAPERBOY_MAIL_FROM');
  if (!value(env, 'PAPERBOY_MAIL_TO')) missing.push('PAPERBOY_MAIL_TO');
  if (!value(env, 'SITE_URL')) missing.push('SITE_URL (the links in the mail point there)');
  if (missing.length) throw new DigestConfigError(`missing settings: ${missing.join(', ')}`);

  let host: string;
  let port: number | undefined;
  let tls: TlsMode | undefined;
  let user = value(env, 'PAPERBOY_SMTP_USER');
  let password = value(env, 'PAPERBOY_SMTP_PASSWORD');
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // The URL may hold a password: never echo it.
      throw new DigestConfigError('PAPERBOY_SMTP_URL is not a URL (expected smtp://user:password@host:port or smtps://...)');
    }
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
      throw new DigestConfigError('PAPERBOY_SMTP_URL must start with smtp:// or smtps://');
    }
    if (!parsed.hostname) throw new DigestConfigError('PAPERBOY_SMTP_URL has no host');
    host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (parsed.port) port = Number(parsed.port);
    tls = parsed.protocol === 'smtps:' ? 'tls' : 'starttls';
    if (parsed.username) user = safeDecode(parsed.username);
    if (parsed.password) password = safeDecode(parsed.password);
  } else {
    host = value(env, 'PAPERBOY_SMTP_HOST')!;
  }
  const rawPort = value(env, 'PAPERBOY_SMTP_PORT');
  if (rawPort) port = parsePort(rawPort, 'PAPERBOY_SMTP_PORT');
  const rawTls = value(env, 'PAPERBOY_SMTP_SECURE');
  if (rawTls) tls = parseTlsMode(rawTls);
  tls ??= port === 465 ? 'tls' : 'starttls';
  port ??= DEFAULT_PORT[tls];
  if (user && !password) throw new DigestConfigError('PAPERBOY_SMTP_PASSWORD is missing (a user is set)');
  if (password && !user) throw new DigestConfigError('PAPERBOY_SMTP_USER is missing (a password is set)');

  const from = parseAddresses(value(env, 'PAPERBOY_MAIL_FROM')!, 'PAPERBOY_MAIL_FROM');
  if (from.length !== 1) throw new DigestConfigError('PAPERBOY_MAIL_FROM must be a single address');
  return {
    host,
    port,
    tls,
    user,
    password,
    from: value(env, 'PAPERBOY_MAIL_FROM')!,
    to: parseAddresses(value(env, 'PAPERBOY_MAIL_TO')!, 'PAPERBOY_MAIL_TO'),
  };
}

/** Every value that must never be printed: the password, the server URL and the password inside it. */
export function secretsFromEnv(env: Env): string[] {
  const secrets = [value(env, 'PAPERBOY_SMTP_PASSWORD'), value(env, 'PAPERBOY_SMTP_URL')];
  const url = value(env, 'PAPERBOY_SMTP_URL');
  if (url) {
    try {
      const parsed = new URL(url);
      secrets.push(parsed.password, safeDecode(parsed.password));
    } catch {
      // not a URL: the whole value is already listed
    }
  }
  return secrets.filter((s): s is string => !!s);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function retrySettingsFromEnv(env: Env): RetrySettings {
  const attemptsRaw = value(env, 'PAPERBOY_SMTP_ATTEMPTS');
  const delayRaw = value(env, 'PAPERBOY_SMTP_RETRY_DELAY_MS');
  const attempts = attemptsRaw === undefined ? 4 : Number(attemptsRaw);
  const baseDelayMs = delayRaw === undefined ? 2000 : Number(delayRaw);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) {
    throw new DigestConfigError('PAPERBOY_SMTP_ATTEMPTS must be a whole number from 1 to 10');
  }
  if (!Number.isInteger(baseDelayMs) || baseDelayMs < 0 || baseDelayMs > 60_000) {
    throw new DigestConfigError('PAPERBOY_SMTP_RETRY_DELAY_MS must be a whole number of milliseconds up to 60000');
  }
  return { attempts, baseDelayMs };
}

export interface SiteSettings {
  site: string;
  base: string;
}

/** SITE_URL and BASE_PATH, as the site build reads them (astro.config.mjs). */
export function siteSettingsFromEnv(env: Env): SiteSettings {
  const site = value(env, 'SITE_URL') ?? 'http://localhost:4321';
  let parsed: URL;
  try {
    parsed = new URL(site);
  } catch {
    throw new DigestConfigError(`SITE_URL is not a URL: "${site}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DigestConfigError('SITE_URL must start with http:// or https://');
  }
  return { site: parsed.origin, base: normalizeBase(value(env, 'BASE_PATH')) };
}

/**
 * Where List-Unsubscribe points: PAPERBOY_DIGEST_UNSUBSCRIBE_URL (http(s) or
 * mailto, e.g. a mailing list's own page), else the README section of this
 * repository (GITHUB_REPOSITORY is set in GitHub Actions), else the site's home.
 */
export function unsubscribeUrlFromEnv(env: Env, homeUrl: string): string {
  const explicit = value(env, 'PAPERBOY_DIGEST_UNSUBSCRIBE_URL');
  if (explicit) {
    if (!/^(https?:\/\/|mailto:)[^\s<>]+$/i.test(explicit)) {
      throw new DigestConfigError('PAPERBOY_DIGEST_UNSUBSCRIBE_URL must be an http(s):// or mailto: URL');
    }
    return explicit;
  }
  const repository = value(env, 'GITHUB_REPOSITORY');
  if (repository && /^[\w.-]+\/[\w.-]+$/.test(repository)) {
    const server = value(env, 'GITHUB_SERVER_URL') ?? 'https://github.com';
    return `${server.replace(/\/+$/, '')}/${repository}#${README_UNSUBSCRIBE_ANCHOR}`;
  }
  return homeUrl;
}

/** The README heading "Unsubscribing from the digest", as GitHub anchors it. */
export const README_UNSUBSCRIBE_ANCHOR = 'unsubscribing-from-the-digest';
