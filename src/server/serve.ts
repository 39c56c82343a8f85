/** Serves the API app over HTTP with Node's server (`@hono/node-server`). */
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';

export interface ServeOptions extends AppOptions {
  port?: number;
  hostname?: string;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveApi(options: ServeOptions): Promise<ApiServer> {
  const api = createApp(options);
  const hostname = options.hostname ?? '0.0.0.0';
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: api.app.fetch, port: options.port ?? 7777, hostname }, (info) => resolve(info.port));
    server.once('error', reject);
  });
  return {
    url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}`,
    port,
    async close() {
      api.close();
      await new Promise<void>((resolve) => {
        // SSE connections stay open by design; close them so the server can stop.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server!.close(() => resolve());
      });
    },
  };
}
