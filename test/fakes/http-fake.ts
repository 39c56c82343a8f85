/** A tiny loopback HTTP server for fakes of third-party services, counting requests per path. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HttpFake {
  url: string;
  /** Paths requested, in order (without the query string). */
  requests: string[];
  count(pathPrefix?: string): number;
  close(): Promise<void>;
}

export type Route = (url: URL, req: IncomingMessage) => { status?: number; body: unknown } | undefined;

export async function startHttpFake(route: Route): Promise<HttpFake> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const reply = route(url, req);
    const status = reply?.status ?? (reply ? 200 : 404);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply ? reply.body : { error: `no route for ${url.pathname}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (prefix = '') => requests.filter((path) => path.startsWith(prefix)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
