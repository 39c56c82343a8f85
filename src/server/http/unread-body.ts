/**
 * An answer given before the request's body was read (a 404 for an id that names nothing, checked
 * first) waits until the body has arrived and been read. Otherwise the server drains it only after
 * answering, and cuts the connection when the rest does not come within half a second (Hono's
 * Node adapter): on a busy server the client's last bytes were still unread then, and closing a
 * socket with unread bytes resets it, losing the answer already sent ("socket hang up"). The
 * body limit runs first: a body over it is refused before this reads anything.
 */
import type { MiddlewareHandler } from 'hono';

export const readUnreadBody: MiddlewareHandler = async (c, next) => {
  await next();
  const request = c.req.raw;
  if (request.body && !request.bodyUsed) await request.arrayBuffer().catch(() => undefined);
};
