/** Serves the API app over HTTP with Node's server (`@hono/node-server`). */
import type { Duplex } from 'node:stream';
import { createServer } from 'node:http';
import type { ServerOptions } from 'node:http';
import { getRequestListener, serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { AppOptions } from './app.ts';

function badRequest(): Response {
  return Response.json({ detail: 'Bad request: the URL or Host header is malformed.' }, { status: 400 });
}

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
    server = serve(
      {
        fetch: api.app.fetch,
        port: options.port ?? 7777,
        hostname,
        // A request that cannot even become a Request (bad Host, backslash or NUL in the URL) is
        // answered like any other bad input: 400 with a JSON detail.
        createServer: ((serverOptions: ServerOptions) =>
          createServer(serverOptions, getRequestListener(api.app.fetch, { hostname, errorHandler: badRequest }))) as unknown as typeof createServer,
      },
      (info) => resolve(info.port),
    );
    server.once('error', reject);
    // Requests Node's HTTP parser rejects (bad Host header, NUL or backslash in the URL, ...) never
    // reach the app: answer them as the app would, with a JSON detail, and close.
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ detail: `Bad request: ${err.code ?? 'malformed HTTP'}` });
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    });
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
