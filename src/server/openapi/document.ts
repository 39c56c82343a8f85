/**
 * The OpenAPI 3.1 document: it only collects what each route declares beside its handler (its
 * operation, see src/server/http/route.ts) and the named schemas (components.ts). It states what
 * the server does, for the server as configured: every status code a route can answer, SSE
 * streams event by event, and bearer auth only when a key is set.
 */
import type { AnyRoute, OperationContext } from '../http/route.ts';
import { componentSchemas } from './components.ts';
import type { NamedSchemas } from './components.ts';
import { error } from './parts.ts';
import type { Json } from './parts.ts';

export interface DocumentOptions extends OperationContext {
  /** Paths answered without a key even when auth is on. */
  publicPaths: ReadonlySet<string>;
}

export function openApiDocument(routes: readonly AnyRoute[], schemas: NamedSchemas, options: DocumentOptions): Json {
  const operations: Record<string, Record<string, Json>> = {};
  for (const route of routes) (operations[route.path] ??= {})[route.method] = route.operation(options);

  if (options.secured) {
    for (const [path, methods] of Object.entries(operations)) {
      for (const operation of Object.values(methods)) {
        if (options.publicPaths.has(path)) operation.security = [];
        else operation.responses = { ...(operation.responses as Json), '401': error('Missing or wrong bearer key') };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'durable-agents',
      version: '0.1.0',
      description:
        'Durable agent workflows on Temporal. Wire-compatible with Agno AgentOS workflow routes; runs also stream on the WebSocket /workflows/ws (AgentOS’s protocol, see the README). ' +
        (options.secured ? `Every route but ${[...options.publicPaths].join(', ')} needs a bearer key.` : 'This server runs without authentication.'),
    },
    ...(options.secured
      ? { security: [{ bearer: [] }] }
      : {}),
    components: {
      ...(options.secured
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OS_SECURITY_KEY, or a user key of OS_USER_KEYS (sees that user’s runs only)' } } }
        : {}),
      schemas: componentSchemas(schemas),
    },
    paths: operations,
  };
}
