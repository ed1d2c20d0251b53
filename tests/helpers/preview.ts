/**
 * Serve a built site with `astro preview`, as a fork's visitors would see it
 * under its base path. Call `stop()` in afterAll.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeBase } from '../../src/site/urls.ts';
import { ASTRO_BIN, PROJECT_ROOT, type BuiltSite } from './build-site.ts';

export interface Preview {
  /** Origin + base path, ending in `/`, e.g. `http://127.0.0.1:40123/paperboy/`. */
  url: string;
  origin: string;
  stop(): Promise<void>;
  /** Server output so far (for failure messages). */
  output(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startPreview(build: BuiltSite, timeoutMs = 60_000): Promise<Preview> {
  const port = await freePort();
  const host = '127.0.0.1';
  // --outDir: preview serves the dist directory of the config, so point it at this build.
  // --ignore-lock: several previews may run side by side (other test files, other agents), and
  // it keeps astro from detaching into a background server when it thinks an agent runs it.
  const args = [ASTRO_BIN, 'preview', '--port', String(port), '--host', host, '--outDir', build.outDir, '--ignore-lock'];
  const env = { ...build.env };
  delete env.ASTRO_PREVIEW_BACKGROUND;
  const child = spawn('node', args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: string | undefined;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  child.on('error', (error) => (exited = error.message));
  // Never leave a server behind when the test process ends without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const origin = `http://${host}:${port}`;
  const url = origin + normalizeBase(env.BASE_PATH);
  const stop = async () => {
    if (exited !== undefined || child.exitCode !== null) return;
    const closed = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const killed = await Promise.race([closed.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) child.kill('SIGKILL');
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`astro preview stopped (${exited}) before answering:\n${output}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`astro preview did not answer at ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
  return { url, origin, stop, output: () => output };
}
