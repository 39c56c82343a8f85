/**
 * `GET /console`: the run console, a page of static files (HTML, CSS, JavaScript modules) read
 * from ./page/ as they are: nothing to build. index.html is the page itself, at /console. The
 * files are public, as /docs is: they hold no data. Everything the page shows it reads from the
 * API's own routes, with the viewer's key when the API asks for one (docs/adr/0022-run-console.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';

const CONSOLE_PATH = '/console';

const PAGE_DIR = new URL('./page/', import.meta.url);
const TYPES: Record<string, string> = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript' };

/** The page's files by name, read once: they change with a release only. */
const FILES = new Map(
  readdirSync(PAGE_DIR)
    .filter((name) => TYPES[extname(name)])
    .map((name) => [name, { body: readFileSync(new URL(name, PAGE_DIR), 'utf8'), type: `${TYPES[extname(name)]}; charset=utf-8` }]),
);

/**
 * One route per file, each a public line of the route→scope table (src/server/auth/route-scopes.ts):
 * a file added to ./page/ without its line fails that table's test (and would answer 401 behind a key).
 */
export function consoleRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  for (const [name, file] of FILES) {
    const answer = () => new Response(file.body, { headers: { 'content-type': file.type, 'cache-control': 'no-cache' } });
    routes.get(name === 'index.html' ? CONSOLE_PATH : `${CONSOLE_PATH}/${name}`, answer);
  }
  return routes;
}
