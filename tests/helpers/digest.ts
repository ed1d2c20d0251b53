/**
 * Shared pieces of the digest tests: a real SMTP server on loopback
 * (smtp-server) that keeps what it receives, a fresh copy of the fixture
 * archive, and a runner for `scripts/digest.ts` as a user runs it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_ARCHIVE = path.join(PROJECT_ROOT, 'tests/fixtures/archive');
const SCRIPT = path.join(PROJECT_ROOT, 'scripts/digest.ts');

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
  user: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** Attempts to log in (accepted or not). */
  logins: { user: string; ok: boolean }[];
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** Require this login; without it the server takes mail from anyone. */
  auth?: { user: string; password: string };
  /** Recipients the server refuses with 550. */
  rejectRecipients?: string[];
  /** Called for each message as it is accepted (e.g. to look at what was pushed by then). */
  onMessage?: (mail: ReceivedMail) => void;
}

export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const logins: { user: string; ok: boolean }[] = [];
  const server = new SMTPServer({
    secure: false,
    // Plain-text SMTP on loopback: the client runs with PAPERBOY_SMTP_SECURE=none.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.password;
      logins.push({ user: auth.username ?? '', ok });
      if (!ok) {
        const error = new Error('Invalid username or password') as Error & { responseCode: number };
        error.responseCode = 535;
        callback(error);
        return;
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (options.rejectRecipients?.includes(address.address)) {
        const error = new Error(`5.1.1 <${address.address}>: no such user here`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = session.envelope;
        const mail: ReceivedMail = {
          from: envelope.mailFrom ? envelope.mailFrom.address : undefined,
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        };
        received.push(mail);
        options.onMessage?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface DroppingSmtpServer {
  port: number;
  /** Messages it took in full (after which it hung up without answering). */
  messagesTaken: number;
  close(): Promise<void>;
}

/**
 * An SMTP server that takes the whole message and then hangs up instead of
 * answering "250 queued": the client cannot know whether the mail went out,
 * the case in which sending again could mail everyone twice.
 */
export async function startDroppingSmtpServer(): Promise<DroppingSmtpServer> {
  const state = { taken: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    socket.write('220 drop.test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          state.taken++;
          socket.destroy();
          return;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 drop.test\r\n');
        else if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') socket.write('250 OK\r\n');
        else if (verb === 'DATA') {
          inData = true;
          buffer = `\r\n${buffer}`; // a message that is empty still ends with CRLF . CRLF
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 not here\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    get messagesTaken() {
      return state.taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A fresh copy of the fixture archive in a temp dir (tests write day records). */
export function copyFixtureArchive(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-digest-'));
  fs.cpSync(FIXTURE_ARCHIVE, dir, { recursive: true });
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment without any digest setting from the developer's shell, plus `env`. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(PAPERBOY_SMTP_|PAPERBOY_MAIL_|PAPERBOY_DIGEST_|SITE_URL$|BASE_PATH$|GITHUB_)/.test(key)) continue;
    base[key] = value;
  }
  return { ...base, ...env };
}

/** Run `node scripts/digest.ts ARGS` asynchronously (the SMTP server lives in this process). */
export function runDigest(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { cwd: PROJECT_ROOT, env: cleanEnv(env), timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export function readDayJson(contentDir: string, day: string): Record<string, unknown> {
  const [y, m, d] = day.split('-');
  return JSON.parse(fs.readFileSync(path.join(contentDir, y!, m!, d!, 'day.json'), 'utf8')) as Record<string, unknown>;
}
