/**
 * Bearer authentication, as AgentOS does it, all of it here: with `OS_SECURITY_KEY` set, every
 * route but the public ones needs `Authorization: Bearer <key>`. Keys in `OS_USER_KEYS`
 * (`user:key,user:key`) bind the caller to a user id: such a caller sees and acts on that user's
 * runs only. A WebSocket may authenticate by message instead (browsers cannot set its headers).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Caller } from './context.ts';

export type { Caller };

/** Returns the caller a bearer token stands for, or undefined when the token is not accepted. */
export type Authenticate = (token: string | undefined) => Caller | undefined;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseUserKeys(spec: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const entry of spec.split(',').map((part) => part.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) throw new Error(`OS_USER_KEYS entries must be user:key, got ${JSON.stringify(entry)}.`);
    keys.set(entry.slice(colon + 1), entry.slice(0, colon));
  }
  return keys;
}

/** The authenticator the environment asks for; undefined means no auth (every caller is admin). */
export function authFromEnv(env: NodeJS.ProcessEnv): Authenticate | undefined {
  const adminKey = env.OS_SECURITY_KEY || undefined;
  const userKeys = parseUserKeys(env.OS_USER_KEYS ?? '');
  if (!adminKey && userKeys.size === 0) return undefined;
  return (token) => {
    if (!token) return undefined;
    if (adminKey && sameSecret(token, adminKey)) return {};
    for (const [key, userId] of userKeys) if (sameSecret(token, key)) return { userId };
    return undefined;
  };
}

export interface BearerAuthOptions {
  /** Undefined: no authentication (every caller is admin). */
  authenticate?: Authenticate;
  /** Answered without a key even when auth is on. */
  publicPaths: ReadonlySet<string>;
  /** Requests that authenticate themselves when they carry no header (a WebSocket handshake, by message). */
  authenticatesItself(c: Context): boolean;
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
    const caller = authenticate(token);
    if (!caller) return c.json({ detail: token ? 'Invalid authentication credentials' : 'Authorization header required' }, 401);
    c.set('caller', caller);
    return next();
  };
}

/** The caller a token sent by message stands for; as AgentOS, without a key configured any token is accepted. */
export function callerByMessage(authenticate: Authenticate | undefined, token: string): Caller | undefined {
  return authenticate ? authenticate(token) : {};
}
