/**
 * A minimal SSE client on node:http (no per-origin connection cap, unlike fetch's pool): reads
 * every frame until the server ends the stream, and says how the stream ended.
 */
import http from 'node:http';
import { parseSse } from '../../../src/client/sse-parser.ts';
import type { SseFrame } from '../../../src/client/sse-parser.ts';

export interface SseResult {
  status: number;
  contentType: string;
  frames: SseFrame[];
  /** `end`: the server ended the response; `error`: the connection broke or the request failed. */
  ended: 'end' | 'error';
  error?: string;
  /** From the request's start to its TCP connection (the kernel's handshake; 0 when reused), in ms. */
  connectedMs: number;
  /** Time to the response headers, to the first frame and to the end, in ms. */
  headersMs: number;
  firstFrameMs: number;
  totalMs: number;
}

export interface SseOptions {
  agent?: http.Agent;
  headers?: Record<string, string>;
  /** Give up (ended: 'error') after this long; default 120 s. */
  timeoutMs?: number;
  /** Called for each frame as it arrives. */
  onFrame?: (frame: SseFrame) => void;
}

export function readSse(base: URL, path: string, options: SseOptions = {}): Promise<SseResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let headersMs = 0;
    let connectedMs = 0;
    let firstFrameMs = 0;
    const frames: SseFrame[] = [];
    let done = false;
    const finish = (result: Omit<SseResult, 'frames' | 'connectedMs' | 'headersMs' | 'firstFrameMs' | 'totalMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...result, frames, connectedMs, headersMs, firstFrameMs, totalMs: performance.now() - started });
    };
    const req = http.request({
      host: base.hostname,
      port: base.port,
      path,
      method: 'GET',
      agent: options.agent,
      headers: { accept: 'text/event-stream', ...options.headers },
    });
    const timer = setTimeout(() => {
      finish({ status: 0, contentType: '', ended: 'error', error: `timed out after ${options.timeoutMs ?? 120_000} ms` });
      req.destroy();
    }, options.timeoutMs ?? 120_000);
    req.on('socket', (socket) => socket.once('connect', () => (connectedMs = performance.now() - started)));
    req.on('error', (err) => finish({ status: 0, contentType: '', ended: 'error', error: err.message }));
    req.on('response', (res) => {
      headersMs = performance.now() - started;
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? '');
      void (async () => {
        try {
          for await (const frame of parseSse(res as unknown as ReadableStream<Uint8Array>)) {
            if (frames.length === 0) firstFrameMs = performance.now() - started;
            frames.push(frame);
            options.onFrame?.(frame);
          }
          // A response cut short (socket closed before the final chunk) is not a clean end.
          finish(res.complete ? { status, contentType, ended: 'end' } : { status, contentType, ended: 'error', error: 'response incomplete' });
        } catch (err) {
          finish({ status, contentType, ended: 'error', error: err instanceof Error ? err.message : String(err) });
        }
      })();
    });
    req.end();
  });
}
