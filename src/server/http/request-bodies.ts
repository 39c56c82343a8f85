/**
 * Middlewares about the request's body run for requests that can have one. A GET or HEAD has none
 * (Hono's Node adapter gives it no body), and asking found that out at a price: the adapter builds
 * the full WHATWG Request to answer `request.body`, which every event stream and poll paid (a
 * thousand streams connecting at once, pollers at 10 Hz).
 */
import type { Env, MiddlewareHandler } from 'hono';

export function onRequestBodies<E extends Env>(middleware: MiddlewareHandler<E>): MiddlewareHandler<E> {
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : middleware(c, next));
}
