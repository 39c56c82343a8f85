/**
 * Every route the app serves names the scopes it requires (src/server/auth/route-scopes.ts): a
 * route without a line is never served open, the app refuses to start with it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createApp } from '../../../src/server/app.ts';
import { PUBLIC, PUBLIC_PATHS, ROUTE_SCOPES, routeKey } from '../../../src/server/auth/route-scopes.ts';
import type { AppEnv } from '../../../src/server/http/context.ts';
import { defineRoute, serveRoutes } from '../../../src/server/http/route.ts';

/** Hono's `/runs/:run_id{pattern}` as the table writes it, `/runs/{}`. */
const template = (honoPath: string) => honoPath.replace(/:\w+(\{[^}]*\})?/g, '{}');

describe('route scopes', () => {
  it('has a line for every route the app serves, the WebSocket included', () => {
    // The app is only composed here: no route is called, so it needs no engine nor blob store.
    const { app, close } = createApp({ engine: {} as never, workflows: [], blobs: {} as never });
    try {
      const served = app.routes.filter((route) => route.method !== 'ALL').map((route) => routeKey(route.method, template(route.path)));
      assert.ok(served.includes('GET /workflows/ws'));
      const missing = served.filter((key) => ROUTE_SCOPES[key] === undefined);
      assert.deepEqual(missing, [], 'routes without a line in ROUTE_SCOPES');
    } finally {
      close();
    }
  });

  it('refuses to serve a route that has no line', () => {
    const unmapped = defineRoute<object>()({ method: 'get', path: '/not-in-the-table/{id}', operation: () => ({}), handle: (c) => c.json({}) });
    assert.throws(() => serveRoutes(new Hono<AppEnv>(), [unmapped], {}), /GET \/not-in-the-table\/\{\} has no line in ROUTE_SCOPES/);
  });

  it('keeps public only the health checks and the API’s description', () => {
    assert.deepEqual([...PUBLIC_PATHS].sort(), ['/docs', '/health', '/health/ready', '/openapi.json']);
    for (const [key, scopes] of Object.entries(ROUTE_SCOPES)) if (scopes !== PUBLIC && !key.startsWith('GET /workflows/ws')) assert.ok(scopes.length > 0, `${key} requires a scope`);
  });
});
