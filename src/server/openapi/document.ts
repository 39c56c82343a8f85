/**
 * The OpenAPI 3.1 document: it only collects what each route declares beside its handler (its
 * operation, see src/server/http/route.ts) and the named schemas (components.ts). It states what
 * the server does, for the server as configured: every status code a route can answer, SSE
 * streams event by event, and bearer auth only when a key is set.
 */
import { PUBLIC, scopesOfRoute } from '../auth/route-scopes.ts';
import { ADMIN_ONLY, DEFAULT_ADMIN_SCOPE, KIND_FAMILY, scopesOnPath } from '../auth/scopes.ts';
import { FRONT_END_KINDS } from '../runs/front-end-targets.ts';
import type { AnyRoute, OperationContext } from '../http/route.ts';
import { componentSchemas } from './components.ts';
import type { NamedSchemas } from './components.ts';
import { error } from './parts.ts';
import type { Json } from './parts.ts';

export interface DocumentOptions extends OperationContext {
  /** Paths answered without a key even when auth is on. */
  publicPaths: ReadonlySet<string>;
  /** Tokens carry scopes (JWTs, service accounts): each operation names the ones it requires, and its 403. */
  scoped?: boolean;
  /** The scope that grants every route, named in the scheme's description. */
  adminScope?: string;
}

export function openApiDocument(routes: readonly AnyRoute[], schemas: NamedSchemas, options: DocumentOptions): Json {
  const operations: Record<string, Record<string, Json>> = {};
  for (const route of routes) (operations[route.path] ??= {})[route.method] = route.operation(options);

  if (options.secured) {
    for (const route of routes) {
      const operation = operations[route.path]![route.method]!;
      if (options.publicPaths.has(route.path)) {
        operation.security = [];
        continue;
      }
      operation.responses = { ...(operation.responses as Json), '401': error('Missing or wrong bearer credential') };
      const scopes = scopesOfRoute(route.method, route.path);
      if (options.scoped && scopes !== PUBLIC && scopes.length > 0) {
        const named = scopes.map((scope) => (scope === ADMIN_ONLY ? (options.adminScope ?? DEFAULT_ADMIN_SCOPE) : scope));
        // A front end's route: the scopes of the kind its path names, any one of the three kinds.
        operation.security = named.some((scope) => scope.startsWith(`${KIND_FAMILY}:`))
          ? FRONT_END_KINDS.map((kind) => ({ bearer: scopesOnPath(named, `/${kind}`) }))
          : [{ bearer: named }];
        const responses = operation.responses as Json;
        const lacking = `The token lacks a scope: ${named.join(', ')}`;
        const other = (responses['403'] as { description?: string } | undefined)?.description;
        operation.responses = { ...responses, '403': error(other ? `${lacking}; or ${other}` : lacking) };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'durable-agents',
      version: '0.1.0',
      description:
        'Durable agent workflows on Temporal. Wire-compatible with Agno AgentOS workflow routes; runs also stream on the WebSocket /workflows/ws (AgentOS’s protocol, and ours for agents’ and teams’ runs: see the README). ' +
        (options.secured ? `Every route but ${[...options.publicPaths].join(', ')} needs a bearer credential.` : 'This server runs without authentication.'),
    },
    ...(options.secured
      ? { security: [{ bearer: [] }] }
      : {}),
    components: {
      ...(options.secured
        ? {
            securitySchemes: {
              bearer: options.scoped
                ? {
                    type: 'http',
                    scheme: 'bearer',
                    bearerFormat: 'JWT',
                    description: `A JWT of the deployment's identity provider or a service-account token (agno_pat_…). Each operation's security names the scopes it requires (AgentOS's: \`resource:action\`, or \`resource:<id>:action\` for one workflow); ${options.adminScope ?? DEFAULT_ADMIN_SCOPE} grants every route. A token without the admin scope sees its own user's runs only (its \`sub\`).`,
                  }
                : { type: 'http', scheme: 'bearer', description: 'OS_SECURITY_KEY, or a user key of OS_USER_KEYS (sees that user’s runs only)' },
            },
          }
        : {}),
      schemas: componentSchemas(schemas),
    },
    paths: operations,
  };
}
