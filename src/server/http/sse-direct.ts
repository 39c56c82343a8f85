/**
 * Event streams behind Node's server write straight to the `ServerResponse`. Through the Response's
 * ReadableStream, each chunk costs the adapter's read promise and a queue in between; with a
 * thousand clients of busy runs (tens of thousands of frames a second) that was a good part of
 * the API's CPU. Node's response corks the socket for the rest of the tick on a write, so the
 * frames a stream writes in one go leave in one `writev`.
 *
 * The app answers as everywhere (its middlewares add their headers, `app.request` reads the body),
 * offering the SSE body it made for a Node response (`offerToNodeResponse`); this wraps its
 * `fetch` for @hono/node-server: when the answer carries that body, its head is written as the
 * adapter would have (same headers, flushed at once), its stream started on the response, and the
 * adapter told the answer is sent. Other answers pass untouched.
 */
import { ServerResponse } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { claimSseBody } from './sse-body.ts';
import type { SseSink } from './sse-body.ts';

type Fetch = (request: Request, env: { outgoing?: unknown }) => Response | Promise<Response>;

/** What @hono/node-server's listener takes as an answer already written to the response. */
function alreadySent(): Response {
  const response = new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
  // The adapter's lightweight Response would be written as a plain answer; read as a real one, it is skipped.
  void response.body;
  return response;
}

/** SSE bodies the app made for a request behind Node's server, by its response: only those answers are looked into. */
const offered = new WeakMap<ServerResponse, ReadableStream>();

/** Offers an SSE body to be written straight to the request's Node response, when it has one (`c.env`). */
export function offerToNodeResponse(env: unknown, body: ReadableStream): void {
  const outgoing = (env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse) offered.set(outgoing, body);
}

export function withDirectSse(fetch: Fetch): Fetch {
  return async (request, env) => {
    const response = await fetch(request, env);
    const outgoing = env?.outgoing instanceof ServerResponse ? env.outgoing : undefined;
    const body = outgoing && offered.get(outgoing);
    if (!outgoing || !body) return response;
    offered.delete(outgoing);
    // Still the answer (no middleware answered otherwise)? Reading `body` builds the full Response: for these answers only.
    const start = response.body === body ? claimSseBody(body) : undefined;
    if (!start) return response;
    outgoing.writeHead(response.status, headersOf(response.headers));
    outgoing.flushHeaders();
    start(responseSink(outgoing));
    return alreadySent();
  };
}

/** The headers as the adapter writes them (`Set-Cookie` may repeat). */
function headersOf(headers: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of headers) if (name !== 'set-cookie') out[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  return out;
}

/** Writes to the response, waiting for 'drain' when the socket's buffer is full: a slow client holds one frame past it. */
function responseSink(response: ServerResponse): SseSink {
  let drained: (() => void) | undefined;
  let ended = false;
  const abortListeners: (() => void)[] = [];
  const release = () => {
    const resolve = drained;
    drained = undefined;
    resolve?.();
  };
  response.on('drain', release);
  response.once('close', () => {
    release();
    if (ended) return;
    // The client went away before the stream ended.
    ended = true;
    for (const listener of abortListeners) listener();
  });
  return {
    write(chunk) {
      if (ended || response.write(chunk)) return;
      return new Promise<void>((resolve) => (drained = resolve));
    },
    onAbort: (listener) => void abortListeners.push(listener),
    close() {
      if (ended) return;
      ended = true;
      release();
      response.end();
    },
  };
}
