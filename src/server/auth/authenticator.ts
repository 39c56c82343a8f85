/**
 * Who a bearer credential stands for, whatever kind it is: a service-account token
 * (`agno_pat_…`), a JWT, or a static key (`OS_SECURITY_KEY`, `OS_USER_KEYS`). As AgentOS: once
 * JWTs are configured, static keys are not accepted (a leaked development key must not outlive
 * the move to an identity provider) unless `OS_ALLOW_STATIC_KEYS_WITH_JWT` says so.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Caller } from '../http/context.ts';
import { TokenRefused, verifyJwt } from './jwt.ts';
import type { JwtAlgorithm, JwtClaims, KeyLookup } from './jwt.ts';
import { serviceAccountCaller, SERVICE_ACCOUNT_PRINCIPAL_PREFIX, SERVICE_ACCOUNT_TOKEN_PREFIX } from './service-accounts.ts';
import type { ServiceAccount } from './service-accounts.ts';

/** A credential refused: the 401's `detail` (503 when the signing keys could not be read). */
export interface Refusal {
  refused: string;
  status?: 401 | 503;
}

export type AuthResult = Caller | Refusal | undefined;

export const isRefusal = (result: AuthResult): result is Refusal => result !== undefined && 'refused' in result;

export interface JwtSettings {
  keys: KeyLookup;
  algorithms: readonly JwtAlgorithm[];
  leewaySeconds: number;
  audience?: readonly string[];
  issuer?: string;
}

export interface AuthSettings {
  /** `OS_SECURITY_KEY`: the admin's static key. */
  adminKey?: string;
  /** `OS_USER_KEYS`: static keys bound to users, key → user id. */
  userKeys: ReadonlyMap<string, string>;
  jwt?: JwtSettings;
  serviceAccounts: readonly ServiceAccount[];
  adminScope: string;
  /** Static keys accepted although JWTs are configured. */
  staticKeysWithJwt: boolean;
}

/** Identities only the server assigns: a JWT claiming one as its subject is refused (AgentOS's rule). */
const RESERVED_SUBJECTS = [SERVICE_ACCOUNT_PRINCIPAL_PREFIX, '__oauth__:'];
const SCHEDULER_SUBJECT = '__scheduler__';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A token's scopes: AgentOS's `scopes` claim (a list, or one scope), else OAuth's space-separated `scope`. */
function scopesOf(claims: JwtClaims): string[] {
  const { scopes, scope } = claims;
  if (Array.isArray(scopes)) return scopes.filter((s): s is string => typeof s === 'string');
  if (typeof scopes === 'string') return [scopes];
  if (scopes === undefined && typeof scope === 'string') return scope.split(' ').filter(Boolean);
  return [];
}

export function createAuthenticator(settings: AuthSettings) {
  const { adminKey, userKeys, jwt, serviceAccounts, adminScope } = settings;
  const staticKeys = !jwt || settings.staticKeysWithJwt;

  function staticCaller(token: string): Caller | undefined {
    if (adminKey && sameSecret(token, adminKey)) return {};
    for (const [key, userId] of userKeys) if (sameSecret(token, key)) return { userId, principal: userId };
    return undefined;
  }

  async function jwtCaller(token: string, settings: JwtSettings): Promise<Caller | Refusal> {
    let claims: JwtClaims;
    try {
      claims = await verifyJwt(token, settings);
    } catch (err) {
      if (err instanceof TokenRefused) return { refused: err.detail, status: err.status };
      throw err;
    }
    const sub = claims.sub;
    if (typeof sub === 'string' && (sub === SCHEDULER_SUBJECT || RESERVED_SUBJECTS.some((prefix) => sub.startsWith(prefix)))) return { refused: 'Invalid token subject' };
    const scopes = scopesOf(claims);
    const admin = scopes.includes(adminScope);
    // Without a subject a caller could be bound to no user, and so see every user's runs.
    if (typeof sub !== 'string' || sub === '') return admin ? { scopes, admin, adminScope } : { refused: 'Invalid token: Token is missing the "sub" claim' };
    return admin ? { principal: sub, scopes, admin, adminScope } : { userId: sub, principal: sub, scopes, adminScope };
  }

  return async function authenticate(token: string | undefined): Promise<AuthResult> {
    if (!token) return { refused: jwt ? 'Authorization header missing' : 'Authorization header required' };
    if (token.startsWith(SERVICE_ACCOUNT_TOKEN_PREFIX)) {
      if (serviceAccounts.length === 0) return { refused: 'Service accounts are not enabled on this AgentOS instance' };
      return serviceAccountCaller(serviceAccounts, token, adminScope) ?? { refused: 'Invalid or expired service account token' };
    }
    const byKey = staticKeys ? staticCaller(token) : undefined;
    if (byKey) return byKey;
    if (jwt) return jwtCaller(token, jwt);
    return { refused: 'Invalid authentication token' };
  };
}
