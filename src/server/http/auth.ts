/**
 * Bearer authentication and per-route authorization, as AgentOS does them. With any credential
 * configured, every route but the public ones needs `Authorization: Bearer <credential>`: a JWT
 * from the deployment's identity provider (`JWT_VERIFICATION_KEY`, `JWT_JWKS_FILE`, `JWT_JWKS`),
 * a service-account token (`OS_SERVICE_ACCOUNTS_FILE`), or a static key (`OS_SECURITY_KEY`, the
 * admin's; `OS_USER_KEYS`, `user:key,user:key`, bound to users). A caller bound to a user (a
 * user key, a token's `sub` without the admin scope) sees and acts on that user's runs only.
 * A missing or refused credential is a 401; a token without the scopes its route requires
 * (src/server/auth/route-scopes.ts) a 403 naming them. A WebSocket may authenticate by message
 * instead (browsers cannot set its headers).
 *
 * The environment's names are read here, with the settings they make (see also src/os/api-env.ts).
 */
import { readFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { createAuthenticator, isRefusal } from '../auth/authenticator.ts';
import type { AuthResult, JwtSettings } from '../auth/authenticator.ts';
import { JWT_ALGORITHMS } from '../auth/jwt.ts';
import type { JwtAlgorithm, KeyLookup } from '../auth/jwt.ts';
import { PUBLIC } from '../auth/route-scopes.ts';
import type { RouteScopes } from '../auth/route-scopes.ts';
import { ADMIN_ONLY, checkScopes, DEFAULT_ADMIN_SCOPE, insufficientScopesDetail, scopesOnPath } from '../auth/scopes.ts';
import { serviceAccountsFromFile } from '../auth/service-accounts.ts';
import { combinedKeys, fetchJwks, jwksKeys, readJwksFile, staticKey } from '../auth/signing-keys.ts';
import type { AppEnv, Caller } from './context.ts';
import { HttpError } from './errors.ts';

export type { Caller };
export type { AuthResult };

/**
 * Returns the caller a bearer token stands for, a refusal (the 401's detail), or undefined when
 * the token is not accepted. `adminScope` names the admin scope; `jwt` says tokens are JWTs (the
 * WebSocket says so); `scoped` that tokens carry scopes (the OpenAPI document names them).
 */
export type Authenticate = ((token: string | undefined) => AuthResult | Promise<AuthResult>) & { adminScope?: string; jwt?: boolean; scoped?: boolean };

export function parseUserKeys(spec: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const entry of spec.split(',').map((part) => part.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) throw new Error(`OS_USER_KEYS entries must be user:key, got ${JSON.stringify(entry)}.`);
    keys.set(entry.slice(colon + 1), entry.slice(0, colon));
  }
  return keys;
}

/** Most clock skew accepted on `exp` and `nbf`: more would keep expired tokens alive. */
const MAX_LEEWAY_SECONDS = 300;
/** How long keys read from a JWKS URL are used before they are read again. */
const JWKS_URL_MAX_AGE_MS = 10 * 60_000;

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((part) => part.trim()).filter(Boolean);
}

function jwtFromEnv(env: NodeJS.ProcessEnv): JwtSettings | undefined {
  const lookups: KeyLookup[] = [];
  const verificationKey = env.JWT_VERIFICATION_KEY || undefined;
  const jwksFile = env.JWT_JWKS_FILE || undefined;
  const jwks = env.JWT_JWKS?.trim() || undefined;
  if (!verificationKey && !jwksFile && !jwks) return undefined;

  const algorithms = list(env.JWT_ALGORITHMS || 'RS256');
  for (const alg of algorithms) if (!(JWT_ALGORITHMS as readonly string[]).includes(alg)) throw new Error(`JWT_ALGORITHMS: ${alg} is not one of ${JWT_ALGORITHMS.join(', ')}.`);
  if (verificationKey) {
    const key = staticKey(verificationKey);
    if (key.type === 'secret' && !algorithms.some((alg) => alg.startsWith('HS'))) throw new Error('JWT_VERIFICATION_KEY is not a PEM public key; for a shared secret set JWT_ALGORITHMS to HS256 (or HS384, HS512).');
    if (key.type === 'public' && algorithms.some((alg) => alg.startsWith('HS'))) throw new Error('JWT_VERIFICATION_KEY is a public key: JWT_ALGORITHMS cannot allow HS256/384/512 with it.');
    lookups.push(async () => [key]);
  }
  if (jwksFile) {
    JSON.parse(readFileSync(jwksFile, 'utf8')); // Unreadable or not JSON: fail at start, not at the first request.
    lookups.push(jwksKeys({ read: readJwksFile(jwksFile), where: jwksFile }));
  }
  if (jwks) {
    const url = /^https?:\/\//.test(jwks);
    if (!url) JSON.parse(jwks); // Not JSON: fail at start, not at the first request.
    lookups.push(jwksKeys(url ? { read: () => fetchJwks(jwks), where: jwks, maxAgeMs: JWKS_URL_MAX_AGE_MS } : { read: async () => jwks, where: 'JWT_JWKS' }));
  }
  const leewaySeconds = env.JWT_LEEWAY_SECONDS ? Number(env.JWT_LEEWAY_SECONDS) : 10;
  if (!Number.isInteger(leewaySeconds) || leewaySeconds < 0 || leewaySeconds > MAX_LEEWAY_SECONDS) throw new Error(`JWT_LEEWAY_SECONDS must be an integer from 0 to ${MAX_LEEWAY_SECONDS}, got ${JSON.stringify(env.JWT_LEEWAY_SECONDS)}.`);
  const audience = list(env.JWT_AUDIENCE);
  return {
    keys: combinedKeys(lookups),
    algorithms: algorithms as JwtAlgorithm[],
    leewaySeconds,
    audience: audience.length ? audience : undefined,
    issuer: env.JWT_ISSUER || undefined,
  };
}

/** The authenticator the environment asks for; undefined means no auth (every caller is admin). */
export function authFromEnv(env: NodeJS.ProcessEnv): Authenticate | undefined {
  const adminKey = env.OS_SECURITY_KEY || undefined;
  const userKeys = parseUserKeys(env.OS_USER_KEYS ?? '');
  const jwt = jwtFromEnv(env);
  const serviceAccounts = env.OS_SERVICE_ACCOUNTS_FILE ? serviceAccountsFromFile(env.OS_SERVICE_ACCOUNTS_FILE) : [];
  if (!adminKey && userKeys.size === 0 && !jwt && serviceAccounts.length === 0) return undefined;
  const adminScope = env.JWT_ADMIN_SCOPE || DEFAULT_ADMIN_SCOPE;
  const authenticate = createAuthenticator({ adminKey, userKeys, jwt, serviceAccounts, adminScope, staticKeysWithJwt: env.OS_ALLOW_STATIC_KEYS_WITH_JWT === 'true' });
  return Object.assign(authenticate, { adminScope, jwt: jwt !== undefined, scoped: jwt !== undefined || serviceAccounts.length > 0 });
}

export interface BearerAuthOptions {
  /** Undefined: no authentication (every caller is admin). */
  authenticate?: Authenticate;
  /** Answered without a credential even when auth is on. */
  publicPaths: ReadonlySet<string>;
  /** Requests that authenticate themselves when they carry no header (a WebSocket handshake, by message). */
  authenticatesItself(c: Context): boolean;
}

/** The caller a token stands for, or the 401 that refuses it (its status and detail). */
export async function authenticateToken(authenticate: Authenticate, token: string | undefined): Promise<Caller | { status: 401 | 503; detail: string }> {
  const result = await authenticate(token);
  if (isRefusal(result)) return { status: result.status ?? 401, detail: result.refused };
  if (result === undefined) return { status: 401, detail: token ? 'Invalid authentication token' : 'Authorization header required' };
  return result;
}

/** The middleware that sets the request's `caller`, or answers 401. */
export function bearerAuth({ authenticate, publicPaths, authenticatesItself }: BearerAuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!authenticate || publicPaths.has(c.req.path)) {
      c.set('caller', {});
      return next();
    }
    if (c.req.header('authorization') === undefined && authenticatesItself(c)) return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const caller = await authenticateToken(authenticate, token);
    if ('detail' in caller) return c.json({ detail: caller.detail }, caller.status);
    c.set('caller', caller);
    return next();
  };
}

/**
 * Refuses (403, naming the scopes) a caller whose token lacks the scopes `required` on this
 * path; a listing of workflows the caller holds per-workflow scopes for is filtered instead.
 */
export function authorize(c: Context<AppEnv>, required: RouteScopes): void {
  if (required === PUBLIC) return;
  const caller = c.get('caller');
  if (caller.scopes === undefined) {
    // A static key bound to a user holds no scopes, and is no operator: an admin's route is not for it.
    if (caller.userId !== undefined && required.includes(ADMIN_ONLY)) throw new HttpError(403, 'Insufficient permissions: this route is for operators (OS_SECURITY_KEY, or a token with the admin scope).');
    return;
  }
  const onPath = scopesOnPath(required, c.req.path);
  const check = checkScopes(caller.scopes, caller.admin === true, onPath, c.req.method, c.req.path);
  if (!check.allowed) throw new HttpError(403, insufficientScopesDetail(onPath, caller.adminScope ?? DEFAULT_ADMIN_SCOPE));
  if (check.accessibleIds) c.set('accessibleWorkflowIds', check.accessibleIds);
}

/** The caller a token sent by message stands for; as AgentOS, without a key configured any token is accepted. */
export async function callerByMessage(authenticate: Authenticate | undefined, token: string): Promise<Caller | { detail: string }> {
  if (!authenticate) return {};
  const caller = await authenticateToken(authenticate, token);
  return 'detail' in caller ? { detail: caller.detail } : caller;
}
