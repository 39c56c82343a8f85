/**
 * A tiny loopback HTTP server for fakes of third-party services: counts requests per path and
 * can inject the failures real services have (HTTP 500, slow answers, no answer, invalid JSON).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status?: number;
  /** Sent as JSON, unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** `slow`: the answer after 5 s; `hang`: no answer at all, until the caller gives up (closes its connection). */
export type Fault = 'status500' | 'slow' | 'hang' | 'invalid_json';

export interface HttpFake {
  url: string;
  /** Paths requested, in order (without the query string). */
  requests: string[];
  count(pathPrefix?: string): number;
  /** Slow or hung answers still held back: a caller that gave up while this is > 0 gave up before the answer. */
  held(): number;
  /** The next request whose path starts with `pathPrefix` gets this fault instead of its answer. */
  failNext(pathPrefix: string, fault: Fault): void;
  close(): Promise<void>;
}

export type Route = (url: URL, req: IncomingMessage) => Reply | undefined;

const SLOW_MS = 5_000;

export async function startHttpFake(route: Route): Promise<HttpFake> {
  const requests: string[] = [];
  const faults: { prefix: string; fault: Fault }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();
  const send = (res: ServerResponse, reply: Reply) => {
    res.writeHead(reply.status ?? 200, { 'content-type': reply.raw !== undefined ? 'text/plain' : 'application/json', ...reply.headers });
    res.end(reply.raw ?? JSON.stringify(reply.body ?? null));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const faultIndex = faults.findIndex((f) => url.pathname.startsWith(f.prefix));
    if (faultIndex >= 0) {
      const fault = faults.splice(faultIndex, 1)[0]!.fault;
      if (fault === 'status500') return send(res, { status: 500, body: { error: 'Internal Server Error' } });
      if (fault === 'invalid_json') return send(res, { headers: { 'content-type': 'application/json' }, raw: '{"truncated": ' });
      if (fault === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, route(url, req) ?? { status: 404, body: { error: 'not found' } });
      }, SLOW_MS);
      timers.add(timer);
      return;
    }
    send(res, route(url, req) ?? { status: 404, body: { error: `no route for ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (prefix = '') => requests.filter((path) => path.startsWith(prefix)).length,
    failNext: (prefix, fault) => void faults.push({ prefix, fault }),
    held: () => timers.size + hanging.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
