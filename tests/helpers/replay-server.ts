/**
 * A local stand-in for `GET /api/daily_papers`, replaying recorded elements:
 * `?date=D&limit=L&p=P` pages a day's elements sorted by upvotes, a day after
 * `today` answers 400 like the real API, and scripted faults can be queued
 * per day (each fault answers one request, then the day behaves normally).
 * For scripted sequences of runs, `today` can move and a `respond` hook can
 * decide per request what a day answers (a fault, or which elements).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'truncated' }
  | { kind: 'hang' };

export interface ReplayOptions {
  elements: unknown[];
  /** The server's idea of the current UTC day (default: the real one). */
  today?: string;
  /** Faults to answer, in order, for requests of a day. */
  faults?: Record<string, Fault[]>;
}

/** Per request (after queued faults): a fault, or the elements the day answers (before paging). */
export type Responder = (date: string, elements: unknown[]) => Fault | unknown[];

export interface RecordedRequest {
  url: string;
  userAgent: string | undefined;
  /** The `date` parameter. */
  date: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface ReplayServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replace the recorded elements (e.g. with changed upvotes). */
  setElements(elements: unknown[]): void;
  queueFault(day: string, fault: Fault): void;
  /** Move the server's idea of the current UTC day. */
  setToday(day: string | undefined): void;
  /** Decide per request what a day answers; undefined restores the recorded elements. */
  setRespond(respond: Responder | undefined): void;
  close(): Promise<void>;
}

function listDay(element: unknown): string | undefined {
  const at = (element as { paper?: { submittedOnDailyAt?: unknown } })?.paper?.submittedOnDailyAt;
  return typeof at === 'string' ? at.slice(0, 10) : undefined;
}

function upvotes(element: unknown): number {
  const n = (element as { paper?: { upvotes?: unknown } })?.paper?.upvotes;
  return typeof n === 'number' ? n : 0;
}

export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  let byDay = new Map<string, unknown[]>();
  const setElements = (elements: unknown[]) => {
    byDay = new Map();
    for (const element of elements) {
      const day = listDay(element) ?? 'unknown';
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day)!.push(element);
    }
    for (const list of byDay.values()) list.sort((a, b) => upvotes(b) - upvotes(a));
  };
  setElements(options.elements);
  const faults = new Map(Object.entries(options.faults ?? {}).map(([d, f]) => [d, [...f]]));
  const requests: RecordedRequest[] = [];
  let today = options.today;
  let respond: Responder | undefined;
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ url: url.pathname + url.search, userAgent: req.headers['user-agent'], date: url.searchParams.get('date') ?? '', at: Date.now() });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/api/daily_papers') return json(404, { error: 'Not found' });
    const date = url.searchParams.get('date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return json(400, { error: 'Invalid date' });
    let fault = faults.get(date)?.shift();
    let dayElements = byDay.get(date) ?? [];
    if (!fault && respond) {
      const answer = respond(date, dayElements);
      if (Array.isArray(answer)) dayElements = [...answer].sort((a, b) => upvotes(b) - upvotes(a));
      else fault = answer;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return res.end(fault.body ?? JSON.stringify({ error: `status ${fault.status}` }));
    }
    if (fault?.kind === 'hang') return; // never answers: the client's timeout must fire
    if (date > (today ?? new Date().toISOString().slice(0, 10))) return json(400, { error: 'Date cannot be in the future' }, { 'x-error-message': 'Date cannot be in the future' });
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50), 1), 100);
    const page = Math.max(Number(url.searchParams.get('p') ?? 0), 0);
    const slice = dayElements.slice(page * limit, (page + 1) * limit);
    if (fault?.kind === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(slice).slice(0, 200));
    }
    return json(200, slice);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    setElements,
    queueFault: (day, fault) => {
      if (!faults.has(day)) faults.set(day, []);
      faults.get(day)!.push(fault);
    },
    setToday: (day) => {
      today = day;
    },
    setRespond: (fn) => {
      respond = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
