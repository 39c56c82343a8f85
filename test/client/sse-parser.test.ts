import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseSse } from '../../src/client/sse-parser.ts';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

it('parses frames split anywhere, skipping comments, with CRLF or LF', async () => {
  const frames = [];
  for await (const frame of parseSse(streamOf('id: 0\nevent: Run', 'Started\ndata: {"a":1}\n\n: heartbeat\n\n', 'id: 1\r\nevent: X\r\ndata: line1\r\ndata: line2\r\n\r\ndata: tail\n\n'))) {
    frames.push(frame);
  }
  assert.deepEqual(frames, [
    { id: '0', event: 'RunStarted', data: '{"a":1}' },
    { id: '1', event: 'X', data: 'line1\nline2' },
    { id: undefined, event: 'message', data: 'tail' },
  ]);
});
