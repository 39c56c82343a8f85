/**
 * Serves the API app over HTTP with Node's server (`@hono/node-server`'s request listener), and
 * its WebSocket routes (`/workflows/ws`): @hono/node-server hands each upgrade request to the
 * app, and a `ws` server completes the handshakes the app accepts.
 *
 * It shuts down gracefully (`shutdown`, on SIGTERM): it stops listening, readiness turns 503,
 * every event stream ends with a reconnect hint, every WebSocket is closed as going away (1001),
 * answers in progress finish, each closing its connection; whatever is still open after the grace
 * time is cut. Clients resume on another replica from where they were (Last-Event-ID, or the
 * socket's `reconnect` with the last cursor).
 */
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createServer } from 'node:http';
import type { Server, ServerOptions as HttpServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, getRequestListener } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { createApp } from './app.ts';
import { withDirectSse } from './http/sse-direct.ts';
import type { ApiApp, AppOptions } from './app.ts';

function badRequest(): Response {
  return Response.json({ detail: 'Bad request: the URL or Host header is malformed.' }, { status: 400 });
}

/**
 * Connections the kernel queues before the server accepts them. Node's default (511) overflows
 * when many clients connect at once while the event loop is busy (1,000 SSE clients in the load
 * test): the kernel drops the handshakes, and clients wait seconds for a retransmit or fail.
 * Linux caps it at net.core.somaxconn.
 */
export const DEFAULT_LISTEN_BACKLOG = 4096;

/**
 * Listening sockets on the one port (SO_REUSEPORT, Linux): Node accepts one connection per turn
 * of its event loop and listening socket (libuv since 1.45), so an API busy streaming (turns of
 * 15-20 ms) took 10-15 s to accept 1,000 clients that connected at once — a reconnect storm
 * after a restart, say — though the kernel had completed every handshake. The kernel spreads
 * connections over the sockets: each turn accepts one per socket. On a machine short of CPU the
 * API's turns are slow whatever it does, and the count of turns a burst takes is what its clients
 * wait: 128 sockets took a third of the time 16 took in the load test (each is one file
 * descriptor). See docs/adr/0015-sse-at-scale.md.
 */
export const DEFAULT_ACCEPT_SOCKETS = process.platform === 'linux' ? 128 : 1;

/**
 * How long a shutdown lets clients go before it cuts what is left (ms): streams end at once, so
 * this bounds answers in progress and WebSocket closing handshakes. Under Docker's and
 * Kubernetes' grace before SIGKILL (10 s and 30 s).
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5000;

/** The WebSocket close code of a server going away (RFC 6455): clients reconnect, elsewhere. */
const GOING_AWAY = 1001;

export interface ServeOptions extends AppOptions {
  port?: number;
  hostname?: string;
  /** Listen queue length; default 4096. */
  listenBacklog?: number;
  /** Listening sockets sharing the port; default 128 on Linux, 1 elsewhere (where the kernel does not spread connections). */
  acceptSockets?: number;
  /** The longest a `shutdown` takes (ms); default 5 s. */
  shutdownGraceMs?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  /** The app being served (its run tails, for instance). */
  app: ApiApp;
  /** Stops at once: open streams and sockets are cut. */
  close(): Promise<void>;
  /** Stops gracefully (see above), within the grace time. */
  shutdown(): Promise<void>;
}

export async function serveApi(options: ServeOptions): Promise<ApiServer> {
  const backlog = options.listenBacklog ?? DEFAULT_LISTEN_BACKLOG;
  const api = createApp(options);
  const hostname = options.hostname ?? '0.0.0.0';
  // A request that cannot even become a Request (bad Host, backslash or NUL in the URL) is
  // answered like any other bad input: 400 with a JSON detail.
  // Event streams are written straight to Node's response (./http/sse-direct.ts).
  const listener = getRequestListener(withDirectSse(api.app.fetch), { hostname, errorHandler: badRequest });
  const servers: Server[] = [];
  const webSockets: WebSocketServer[] = [];
  const serveOn = () => {
    // A WebSocket message is held whole in memory, as a request body is: the same limit.
    const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxBodyBytes ?? 1024 * 1024 });
    const server = createAdaptorServer({
      fetch: api.app.fetch,
      hostname,
      websocket: { server: sockets },
      // Requests go to the listener above; the adaptor adds only the handling of upgrades.
      createServer: ((serverOptions: HttpServerOptions) => createServer(serverOptions, listener)) as typeof createServer,
    }) as Server;
    // Requests Node's HTTP parser rejects (bad Host header, NUL or backslash in the URL, ...) never
    // reach the app: answer them as the app would, with a JSON detail, and close.
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ detail: `Bad request: ${err.code ?? 'malformed HTTP'}` });
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    });
    servers.push(server);
    webSockets.push(sockets);
    return server;
  };
  const acceptSockets = Math.max(1, Math.floor(options.acceptSockets ?? DEFAULT_ACCEPT_SOCKETS));
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: hostname, backlog, reusePort: acceptSockets > 1 }, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const openWebSockets = () => webSockets.flatMap((sockets) => [...sockets.clients]);
  let closed: Promise<void> | undefined;
  // Stops listening at once; resolves once every connection (WebSockets included) has closed.
  const stopListening = () =>
    (closed ??= Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined));
  const cut = async () => {
    api.close();
    const done = stopListening();
    // SSE connections and WebSockets stay open by design; close them so the server can stop.
    for (const socket of openWebSockets()) socket.terminate();
    for (const server of servers) server.closeAllConnections();
    await done;
  };
  let port: number;
  try {
    // The first socket picks the port (a free one for port 0); the others join it.
    port = await listen(serveOn(), options.port ?? 7777);
    for (let i = 1; i < acceptSockets; i++) await listen(serveOn(), port);
  } catch (err) {
    await cut();
    throw err;
  }
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  return {
    url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}`,
    port,
    app: api,
    close: cut,
    async shutdown() {
      api.beginShutdown();
      const done = stopListening();
      for (const socket of openWebSockets()) socket.close(GOING_AWAY, 'server shutting down');
      // Keep-alive connections are closed as they fall idle: their answers say `Connection: close`, and this catches the rest.
      const idle = setInterval(() => {
        for (const server of servers) server.closeIdleConnections();
      }, 50);
      const grace = new AbortController();
      try {
        await Promise.race([done, delay(graceMs, undefined, { signal: grace.signal })]);
      } finally {
        clearInterval(idle);
        grace.abort();
      }
      await cut();
    },
  };
}
