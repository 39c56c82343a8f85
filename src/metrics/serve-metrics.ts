/**
 * A process's metrics over HTTP for Prometheus to scrape: `GET /metrics` on a port of its own
 * (METRICS_PORT), apart from the API's. A scraper reaches each process this way, API replica or
 * worker, rather than whichever replica a load balancer picks, and the API's clients, its auth and
 * its OpenAPI document never see the endpoint.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXPOSITION_CONTENT_TYPE } from './exposition.ts';
import type { MetricsRegistry } from './registry.ts';

export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(registry: MetricsRegistry, options: { port: number; hostname?: string }): Promise<MetricsServer> {
  const hostname = options.hostname ?? '0.0.0.0';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed.\n');
    const body = registry.exposition();
    res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: hostname }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  return {
    url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Scrapers keep their connections alive between scrapes: close them, or close() waits for them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
