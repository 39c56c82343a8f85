/**
 * An event stream has two writers: behind Node's server it writes straight to the response
 * (src/server/http/sse-direct.ts), elsewhere (`app.request`, other runtimes) to the body's
 * ReadableStream (src/server/http/sse-body.ts). Both send the same head and the same bytes, start
 * only once someone reads, and stop writing when the client does not read: a stream a client
 * leaves unread holds a bounded number of frames, never the run's whole log.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { StreamedEvent } from '../../../src/contracts/live.ts';
import type { StreamFrame } from '../../../src/live/stream-merge.ts';
import { QUEUED_CHUNKS } from '../../../src/server/http/sse-body.ts';
import { withDirectSse } from '../../../src/server/http/sse-direct.ts';
import { sseResponse } from '../../../src/server/http/sse.ts';

/** Frames produced so far, per path: how far each stream got. */
const produced = new Map<string, number>();

/** `count` frames of a few hundred bytes each, counting as they are produced. */
async function* frames(path: string, count: number, signal: AbortSignal): AsyncGenerator<StreamFrame> {
  for (let i = 0; i < count && !signal.aborted; i++) {
    produced.set(path, i + 1);
    yield { id: String(i), event: { event: 'RunContent', event_index: i, content: `chunk ${i} `.padEnd(300, '.') } as unknown as StreamedEvent };
  }
}

const app = new Hono();
app.get('/short', (c) => sseResponse(c, 'run-1', (signal) => frames('/short', 5, signal)));
app.get('/long', (c) => sseResponse(c, 'run-2', (signal) => frames('/long', 1_000_000, signal)));

let server: ReturnType<typeof createServer>;
let port: number;
before(async () => {
  server = createServer(getRequestListener(withDirectSse(app.fetch)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('sends the same head and bytes through the response as through the body stream', async () => {
  const viaBody = await app.request('/short');
  const bodyText = await viaBody.text();
  const viaResponse = await fetch(`http://127.0.0.1:${port}/short`);
  assert.equal(await viaResponse.text(), bodyText);
  assert.match(bodyText, /^event: RunContent\ndata: \{"event":"RunContent","event_index":0,.*\}\nid: 0\n\n/);
  assert.equal(bodyText.split('\n\n').length - 1, 5);
  for (const response of [viaBody, viaResponse]) {
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
  }
});

it('starts a body stream at its first read, and holds a bounded number of frames for a client that stops reading', async () => {
  produced.delete('/long');
  const response = await app.request('/long');
  await delay(50);
  assert.equal(produced.get('/long'), undefined, 'nothing produced before the body is read');
  const reader = response.body!.getReader();
  await reader.read();
  await delay(100);
  const held = produced.get('/long')!;
  assert.ok(held <= QUEUED_CHUNKS + 2, `${held} frames produced for a reader that read one`);
  await reader.cancel();
});

it('stops writing to a socket whose client does not read, and ends the stream when the client goes', async () => {
  produced.delete('/long');
  // A client that sends the request and never reads: the kernel's buffers fill, then the response's.
  const client = connect(port, '127.0.0.1', () => void client.write('GET /long HTTP/1.1\r\nHost: x\r\n\r\n'));
  client.pause();
  // The kernel's buffers of a loopback connection take some MB first; then the stream must stall.
  let stalled = -1;
  for (let i = 0; i < 30 && stalled !== produced.get('/long'); i++) {
    stalled = produced.get('/long') ?? -1;
    await delay(300);
  }
  assert.equal(produced.get('/long'), stalled, 'frames still produced for a client that does not read');
  assert.ok(stalled > 0 && stalled * 300 < 50 * 2 ** 20, `${stalled} frames produced (of a million)`);
  client.destroy();
  await delay(100);
  assert.equal(produced.get('/long'), stalled, 'the stream stopped when its client left');
});
