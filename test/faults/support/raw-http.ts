/**
 * Raw HTTP/1.1 requests with node:http: the path goes on the wire as given (no URL normalisation,
 * so `../` and `%00` reach the server as sent), any method, any header value node allows, and
 * bodies sent with a Content-Length or chunked.
 */
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent on the request line. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length), in pieces of this size. */
  chunked?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body was cut off at `maxBodyBytes` or at the time limit (e.g. a stream that stays open). */
  truncated: boolean;
  ms: number;
}

export interface SendOptions {
  /** `false`: a connection of its own. */
  agent?: http.Agent | false;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

/**
 * Sends one request; rejects only when no response arrived (connection error or timeout). A
 * kept-alive connection the server closed as it was reused (its idle timeout met the request on
 * the wire) is no answer of the server's: the request goes once more on a new connection, as
 * Node's documentation advises (`request.reusedSocket`).
 */
export async function sendRaw(base: URL, request: RawRequest, options: SendOptions = {}): Promise<RawResponse> {
  const started = performance.now();
  try {
    return await sendOnce(base, request, options, started);
  } catch (err) {
    if (!(err instanceof ReusedSocketReset)) throw err;
    return sendOnce(base, request, { ...options, agent: false }, started);
  }
}

class ReusedSocketReset extends Error {}

function sendOnce(base: URL, request: RawRequest, options: SendOptions, started: number): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    let settled = false;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body && !request.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(request.body.length);
    }
    if (request.chunked) headers['transfer-encoding'] = 'chunked';
    const req = http.request({
      host: base.hostname,
      port: base.port,
      method: request.method,
      path: request.path,
      headers,
      agent: options.agent,
      setHost: !Object.keys(headers).some((h) => h.toLowerCase() === 'host'),
    });
    const timer = setTimeout(() => {
      if (!settled) {
        settled = true;
        req.destroy();
        reject(new Error(`no response within ${timeoutMs} ms`));
      }
    }, timeoutMs);
    req.on('error', (err) => {
      // Errors after the response arrived (e.g. EPIPE writing a body the server refused) do not matter.
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        const reset = req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
        reject(reset ? new ReusedSocketReset(err.message) : err);
      }
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated, ms: performance.now() - started });
      };
      // A body still open at the time limit (an SSE stream) is cut off: the response counts as received.
      clearTimeout(timer);
      const bodyTimer = setTimeout(() => {
        finish(true);
        res.destroy();
      }, timeoutMs);
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBodyBytes) chunks.push(chunk);
        else {
          clearTimeout(bodyTimer);
          finish(true);
          res.destroy();
        }
      });
      res.on('end', () => {
        clearTimeout(bodyTimer);
        finish(false);
      });
      res.on('error', () => {
        clearTimeout(bodyTimer);
        finish(true);
      });
      res.on('close', () => {
        clearTimeout(bodyTimer);
        finish(!res.complete);
      });
    });
    if (request.body && request.chunked) {
      const body = request.body;
      const size = request.chunked;
      let offset = 0;
      const pump = () => {
        while (offset < body.length) {
          const piece = body.subarray(offset, offset + size);
          offset += piece.length;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else {
      req.end(request.body);
    }
  });
}
