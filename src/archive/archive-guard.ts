/**
 * The deploy guard: a site that holds fewer papers than the one online is
 * never deployed by accident. Every build writes a small manifest
 * (`paperboy-archive.json`, at the root of the site) with its paper count; the
 * next deploy compares its own count with the manifest of the site online and
 * refuses to go on when the count dropped, unless told to (after
 * `npm run reset-archive`, say). It fails closed: only a 404 means "no site
 * yet"; a page that is not a manifest, an error, a timeout or no connection
 * refuses the deploy, because none of them proves the build is not smaller.
 */
import { z } from 'zod';
import { isDay } from './dates.ts';

export const MANIFEST_FILE = 'paperboy-archive.json';

const count = z.number().int().nonnegative();

export const ManifestSchema = z.object({
  generator: z.literal('paperboy'),
  /** Distinct papers with a page on the site. */
  papers: count,
  /** List days with a day record (empty days included). */
  days: count,
  latestDay: z.string().refine(isDay).nullable(),
  builtAt: z.string(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export interface GuardDecision {
  deploy: boolean;
  message: string;
}

/**
 * What the address of the manifest online gave back: an HTTP answer (after
 * redirects), no answer in time, or no connection at all.
 */
export type OnlineAnswer =
  | { kind: 'response'; status: number; contentType: string; body: string; truncated?: boolean }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'network'; reason: string };

/**
 * The site online as the guard sees it. Only a 404 proves there is no site yet;
 * anything else that is not a manifest proves nothing, so the guard fails closed.
 */
export type OnlineSite =
  | { state: 'none' }
  | { state: 'manifest'; manifest: Manifest }
  /** `why`: what came back, e.g. "HTTP 503"; `transient`: asking again later may help. */
  | { state: 'unknown'; why: string; transient: boolean };

/** The largest manifest read from the site online; a real one is a few hundred bytes. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

function describeBody(contentType: string, body: string, truncated: boolean): string {
  const text = body.trimStart();
  if (truncated) return `a body larger than ${MAX_MANIFEST_BYTES / 1024} KB`;
  if (!text) return 'an empty body';
  if (/\bhtml\b/i.test(contentType) || text.startsWith('<')) return 'an HTML page';
  try {
    JSON.parse(text);
    return 'JSON that is not a Paperboy manifest';
  } catch {
    return 'something that is neither HTML nor JSON';
  }
}

/** Classify what the manifest address answered (pure: the CLI does the fetching). */
export function readOnlineAnswer(answer: OnlineAnswer): OnlineSite {
  if (answer.kind === 'timeout') return { state: 'unknown', why: `no answer within ${answer.seconds} s`, transient: true };
  if (answer.kind === 'network') return { state: 'unknown', why: `unreachable: ${answer.reason}`, transient: true };
  const { status } = answer;
  if (status === 404) return { state: 'none' };
  if (status >= 200 && status < 300) {
    const manifest = answer.truncated ? undefined : parseManifest(answer.body);
    if (manifest) return { state: 'manifest', manifest };
    return {
      state: 'unknown',
      why: `HTTP ${status} with ${describeBody(answer.contentType, answer.body, answer.truncated ?? false)}, not a Paperboy manifest`,
      transient: false,
    };
  }
  return { state: 'unknown', why: `HTTP ${status}`, transient: status >= 500 || status === 429 };
}

/**
 * Decide whether a build with \`current\` may replace the site online. Fails
 * closed: when the count online cannot be read, only an explicit
 * \`allowFewer\` deploys. \`source\` names the manifest address in messages.
 */
export function decideDeploy(current: Manifest, online: OnlineSite, allowFewer: boolean, source = 'the manifest online'): GuardDecision {
  if (online.state === 'none') {
    return { deploy: true, message: `No Paperboy site online to compare with: deploying ${current.papers} papers.` };
  }
  if (online.state === 'unknown') {
    if (allowFewer) {
      return {
        deploy: true,
        message: `${source}: ${online.why}; deploying ${current.papers} papers anyway because fewer papers were explicitly allowed.`,
      };
    }
    const todo = online.transient
      ? 'Run the workflow again later'
      : 'If this address does not serve this site yet (a new custom domain, a parked domain, a proxy), fix that';
    return {
      deploy: false,
      message:
        `cannot read ${source} (${online.why}) to compare paper counts; not deploying, the site online stays as it is. ` +
        `${todo}, or run the workflow by hand once with "allow_fewer_papers" checked to deploy without comparing.`,
    };
  }
  const previous = online.manifest;
  const change = current.papers - previous.papers;
  if (change >= 0) {
    return {
      deploy: true,
      message: `Deploying ${current.papers} papers (${change} more than the ${previous.papers} online).`,
    };
  }
  const drop = `This build holds ${current.papers} papers, ${-change} fewer than the ${previous.papers} online`;
  if (allowFewer) {
    return { deploy: true, message: `${drop}; deploying anyway because fewer papers were explicitly allowed.` };
  }
  return {
    deploy: false,
    message:
      `${drop}: not deploying, the site online stays as it is. If papers were removed on purpose ` +
      '(npm run reset-archive), run the workflow by hand with "allow_fewer_papers" checked.',
  };
}

/** Parse a manifest fetched from the site online; undefined when it is not one (an unrelated file, broken JSON). */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
