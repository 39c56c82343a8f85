/**
 * A JSON array answered element by element: the same bytes as `c.json([...items])`, but only the
 * element being sent is held as JSON, not the whole answer (a list of runs with big results is
 * hundreds of MB as one string). The first element is read before answering, so an error there
 * still gets its status (404, 503, ...); an error after it cuts the connection, so a client never
 * takes a partial list for a whole one.
 */
import type { Context } from 'hono';

export async function jsonArrayResponse(c: Context, items: AsyncIterable<unknown>): Promise<Response> {
  const iterator = items[Symbol.asyncIterator]();
  const first = await iterator.next();
  const encoder = new TextEncoder();
  let opened = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const item = opened ? await iterator.next() : first;
      const separator = opened ? ',' : '[';
      opened = true;
      if (item.done) {
        controller.enqueue(encoder.encode(separator === '[' ? '[]' : ']'));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(separator + JSON.stringify(item.value)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return c.body(body, 200, { 'Content-Type': 'application/json' });
}
