/**
 * Fetching one list day from the Hugging Face Daily Papers API:
 * `GET /api/daily_papers?date=D&limit=100&p=N`, paging until a short or empty
 * page, deduplicated by paper id. Retries network errors and 5xx with
 * exponential backoff and jitter, waits out 429 as the RateLimit header says
 * (bounded), keeps a run's calls within the API's rate limit (CallBudget),
 * and tells "not published yet" (400 for a day after today) from real
 * failures. Returns raw elements: validation is the caller's.
 */
import { todayUtc } from '../archive/dates.ts';

export const PAGE_LIMIT = 100;
/** A day has never had more than ~100 papers; this only stops a server that never ends. */
const MAX_PAGES = 20;
const repository = process.env.GITHUB_REPOSITORY;
export const USER_AGENT = `Paperboy/0.1 (archiver of the Hugging Face Daily Papers list${repository ? `; +https://github.com/${repository}` : ''})`;

export interface ClientOptions {
  apiBase: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries after the first attempt for network errors and 5xx. */
  retries?: number;
  /** First backoff delay; doubles each retry, plus up to 50% jitter. */
  backoffMs?: number;
  /** Longest wait accepted from a 429's RateLimit header. */
  maxRateLimitWaitMs?: number;
  userAgent?: string;
  now?: Date;
  sleep?: (ms: number) => Promise<void>;
  /** Progress/warning lines (retries, waits). */
  log?: (line: string) => void;
  /** Counts the calls and spaces them out; shared by all the days of a run. */
  budget?: CallBudget;
}

export class DayFetchError extends Error {
  /** The API could not be reached or kept failing (network, 5xx, 429): asking for more days now is likely futile. */
  readonly unavailable: boolean;
  constructor(message: string, options: { unavailable?: boolean } = {}) {
    super(message);
    this.unavailable = options.unavailable ?? false;
  }
}

export type DayFetch = { status: 'ok'; elements: unknown[]; pages: number } | { status: 'not-published' };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The anonymous limit of the HF API: 500 calls per 5-minute window per IP. */
export const RATE_LIMIT = { calls: 500, windowMs: 300_000 };

/**
 * The API calls of one run: counted, and never more than `limit` in any
 * `windowMs` (a sliding window, so the API's fixed windows are kept too).
 * A call counts from when its answer arrived (the latest moment the server
 * can have counted it), and a call over the limit waits until the oldest one
 * leaves the window.
 */
export class CallBudget {
  calls = 0;
  /** Time spent waiting, for this budget or for a 429. */
  waitedMs = 0;
  readonly limit: number;
  readonly windowMs: number;
  private readonly recent: { at: number }[] = [];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;
  constructor(limit = RATE_LIMIT.calls, windowMs = RATE_LIMIT.windowMs, sleep = defaultSleep, clock: () => number = Date.now) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.sleep = sleep;
    this.clock = clock;
  }

  /** Wait for room for one call; call the returned function once its answer (or error) arrived. */
  async take(log: (line: string) => void = () => {}): Promise<() => void> {
    for (;;) {
      const now = this.clock();
      while (this.recent.length && this.recent[0]!.at <= now - this.windowMs) this.recent.shift();
      if (this.recent.length < this.limit) break;
      const wait = this.recent[0]!.at + this.windowMs - now + 1;
      log(`  ${this.limit} calls in the last ${this.windowMs / 1000} s (the API's limit): waiting ${(wait / 1000).toFixed(1)} s`);
      await this.sleep(wait);
      this.waitedMs += wait;
    }
    const slot = { at: this.clock() };
    this.recent.push(slot);
    this.calls++;
    return () => {
      slot.at = this.clock();
    };
  }
}

/** `"api";r=0;t=42` -> 42000 ms (seconds until the window resets). */
export function rateLimitWaitMs(header: string | null): number | undefined {
  const m = header ? /(?:^|;)\s*t=(\d+)/.exec(header) : null;
  return m ? Number(m[1]) * 1000 : undefined;
}

function elementId(element: unknown): string | undefined {
  const paper = (element as { paper?: { id?: unknown } } | null)?.paper;
  return typeof paper?.id === 'string' ? paper.id : undefined;
}

async function errorMessage(res: Response): Promise<string> {
  const header = res.headers.get('x-error-message');
  let body = '';
  try {
    body = (await res.text()).slice(0, 300);
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') body = parsed.error;
  } catch {
    // not JSON: keep the text
  }
  return (header || body || res.statusText).replace(/\s+/g, ' ').trim().slice(0, 200);
}

export async function fetchDay(day: string, options: ClientOptions): Promise<DayFetch> {
  const {
    timeoutMs = 30_000,
    retries = 4,
    backoffMs = 1_000,
    maxRateLimitWaitMs = 5 * 60_000,
    userAgent = USER_AGENT,
    sleep = defaultSleep,
    log = () => {},
  } = options;
  const budget = options.budget ?? new CallBudget(RATE_LIMIT.calls, RATE_LIMIT.windowMs, sleep);
  const seen = new Set<string>();
  const elements: unknown[] = [];

  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL('/api/daily_papers', options.apiBase);
    url.search = new URLSearchParams({ date: day, limit: String(PAGE_LIMIT), p: String(page) }).toString();

    let body: unknown;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      const answered = await budget.take(log);
      try {
        res = await fetch(url, {
          headers: { 'user-agent': userAgent, accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        answered();
      } catch (error) {
        answered();
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : String((error as Error).cause ?? (error as Error).message);
        if (attempt >= retries) throw new DayFetchError(`network error after ${attempt + 1} attempts: ${reason}`, { unavailable: true });
        const wait = backoffMs * 2 ** attempt * (1 + Math.random() / 2);
        log(`  ${day}: ${reason}; retrying in ${(wait / 1000).toFixed(1)} s`);
        await sleep(wait);
        continue;
      }
      if (res.status === 429) {
        const wait = rateLimitWaitMs(res.headers.get('ratelimit')) ?? backoffMs * 2 ** attempt;
        await res.body?.cancel();
        if (attempt >= retries) throw new DayFetchError(`rate limited (HTTP 429) after ${attempt + 1} attempts`, { unavailable: true });
        if (wait > maxRateLimitWaitMs) throw new DayFetchError(`rate limited (HTTP 429) for ${Math.round(wait / 1000)} s, longer than we wait`, { unavailable: true });
        log(`  ${day}: rate limited; waiting ${(wait / 1000).toFixed(0)} s as the RateLimit header asks`);
        await sleep(wait);
        budget.waitedMs += wait;
        continue;
      }
      if (res.status >= 500) {
        const message = await errorMessage(res);
        if (attempt >= retries) throw new DayFetchError(`HTTP ${res.status} after ${attempt + 1} attempts: ${message}`, { unavailable: true });
        const wait = backoffMs * 2 ** attempt * (1 + Math.random() / 2);
        log(`  ${day}: HTTP ${res.status}; retrying in ${(wait / 1000).toFixed(1)} s`);
        await sleep(wait);
        continue;
      }
      // Today too: just after midnight UTC the API's clock may still be on yesterday.
      if (res.status === 400 && day >= todayUtc(options.now)) {
        await res.body?.cancel();
        return { status: 'not-published' };
      }
      if (!res.ok) throw new DayFetchError(`HTTP ${res.status}: ${await errorMessage(res)}`);
      const text = await res.text();
      try {
        body = JSON.parse(text);
      } catch {
        throw new DayFetchError(`page ${page} is not valid JSON (${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})`);
      }
      break;
    }
    if (!Array.isArray(body)) throw new DayFetchError(`page ${page} is not a JSON array`);
    let added = 0;
    for (const element of body) {
      const id = elementId(element);
      if (id !== undefined) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      elements.push(element);
      added++;
    }
    if (body.length < PAGE_LIMIT) return { status: 'ok', elements, pages: page + 1 };
    // A full page with nothing new: the server ignores `p` and repeats itself; asking on would only spend calls.
    if (page > 0 && added === 0) {
      log(`  ${day}: page ${page} repeats earlier pages; stopping there`);
      return { status: 'ok', elements, pages: page + 1 };
    }
  }
  throw new DayFetchError(`more than ${MAX_PAGES} pages; refusing to go on`);
}
