/**
 * Service accounts: machine callers (CI, another service) with tokens of their own and the least
 * scopes they need. As AgentOS's: a token is `agno_pat_` and random, only its SHA-256 is kept,
 * the caller is the principal `sa:<name>` (its runs are that principal's, isolated like a user's)
 * and its scopes are enforced whatever else is configured. Ours are declared in a file
 * (`OS_SERVICE_ACCOUNTS_FILE`) rather than a database, so the deployment owns them:
 *
 *   {"accounts": [{"name": "ci", "token_sha256": "<hex>", "scopes": ["workflows:run"], "expires_at": "2027-01-01T00:00:00Z"}]}
 *
 * `scripts/service-account-token.ts <name> [scope ...]` makes a token and the line that declares it.
 * Scheduled runs need none: Temporal starts them itself, no request reaches the API.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Caller } from '../http/context.ts';

export const SERVICE_ACCOUNT_TOKEN_PREFIX = 'agno_pat_';
export const SERVICE_ACCOUNT_PRINCIPAL_PREFIX = 'sa:';

/** AgentOS's default: run and read, nothing else. */
export const DEFAULT_SERVICE_ACCOUNT_SCOPES = ['agents:run', 'teams:run', 'workflows:run', 'sessions:read', 'config:read'];

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface ServiceAccount {
  name: string;
  tokenSha256: Buffer;
  scopes: string[];
  /** Unix ms; none: does not expire. */
  expiresAt?: number;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** A new token (shown once) and its hash (what the file keeps). */
export function newServiceAccountToken(): { token: string; sha256: string } {
  const token = SERVICE_ACCOUNT_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, sha256: sha256(token).toString('hex') };
}

export function parseServiceAccounts(text: string, where: string): ServiceAccount[] {
  const accounts = (JSON.parse(text) as { accounts?: unknown }).accounts;
  if (!Array.isArray(accounts)) throw new Error(`${where}: expected {"accounts": [...]}.`);
  return accounts.map((entry: Record<string, unknown>, i) => {
    const { name, token_sha256: hash, scopes = DEFAULT_SERVICE_ACCOUNT_SCOPES, expires_at: expires } = entry;
    if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`${where}: accounts[${i}].name must be a lowercase slug (a-z, 0-9, _ and -).`);
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw new Error(`${where}: accounts[${i}].token_sha256 must be 64 hex digits.`);
    if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) throw new Error(`${where}: accounts[${i}].scopes must be a list of scopes.`);
    const expiresAt = expires === undefined || expires === null ? undefined : Date.parse(String(expires));
    if (Number.isNaN(expiresAt)) throw new Error(`${where}: accounts[${i}].expires_at must be an ISO 8601 time.`);
    return { name, tokenSha256: Buffer.from(hash, 'hex'), scopes: scopes as string[], expiresAt };
  });
}

export const serviceAccountsFromFile = (path: string) => parseServiceAccounts(readFileSync(path, 'utf8'), path);

/** The caller a service-account token stands for, or undefined (unknown or expired: the same answer). */
export function serviceAccountCaller(accounts: readonly ServiceAccount[], token: string, adminScope: string, now = Date.now()): Caller | undefined {
  const hash = sha256(token);
  const account = accounts.find((candidate) => timingSafeEqual(candidate.tokenSha256, hash));
  if (!account || (account.expiresAt !== undefined && account.expiresAt <= now)) return undefined;
  const principal = SERVICE_ACCOUNT_PRINCIPAL_PREFIX + account.name;
  const admin = account.scopes.includes(adminScope);
  return { principal, userId: admin ? undefined : principal, scopes: account.scopes, admin, adminScope };
}
