/**
 * `GET /console`: the run console, a page of static files (HTML, CSS, JavaScript modules) read
 * from ./page/ as they are: nothing to build. The files are public, as /docs is: they hold no
 * data. Everything the page shows it reads from the API's own routes, with the viewer's key when
 * the API asks for one (see docs/adr/0022-run-console.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';

export const CONSOLE_PATH = '/console';

const PAGE_DIR = new URL('./page/', import.meta.url);
const TYPES: Record<string, string> = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript' };

/** The page's files by name, read once: they change with a release only. */
const FILES = new Map(
  readdirSync(PAGE_DIR)
    .filter((name) => TYPES[extname(name)])
    .map((name) => [name, { body: readFileSync(new URL(name, PAGE_DIR), 'utf8'), type: `${TYPES[extname(name)]}; charset=utf-8` }]),
);

/** The paths that answer without a key when auth is on: the page's files. */
export const CONSOLE_PUBLIC_PATHS = [CONSOLE_PATH, ...[...FILES.keys()].map((name) => `${CONSOLE_PATH}/${name}`)];

export function consoleRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const serve = (name: string) => {
    const file = FILES.get(name);
    return file ? new Response(file.body, { headers: { 'content-type': file.type, 'cache-control': 'no-cache' } }) : undefined;
  };
  routes.get(CONSOLE_PATH, () => serve('index.html')!);
  routes.get(`${CONSOLE_PATH}/:file`, (c) => serve(c.req.param('file')) ?? c.json({ detail: 'Not Found' }, 404));
  return routes;
}
