/**
 * Where the keys that verify tokens come from: a static key (`JWT_VERIFICATION_KEY`: a PEM public
 * key, or an HMAC secret), a JWKS (`JWT_JWKS_FILE`, or `JWT_JWKS`: the JSON itself or an http(s)
 * URL). A JWKS is read again when a token names a `kid` it lacks (an identity provider that
 * rotated its keys publishes the new one first), at most once per `refreshFloorMs`, so that
 * tokens with made-up `kid`s cannot make us hammer the provider (nor find a key the set dropped); a URL's keys are also read again
 * once they are older than `maxAgeMs`.
 */
import { createPublicKey, createSecretKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JwtAlgorithm, KeyLookup } from './jwt.ts';
import { TokenRefused } from './jwt.ts';

/** A static key: PEM text is a public key (or a certificate), anything else an HMAC secret. */
export function staticKey(text: string): KeyObject {
  return text.includes('-----BEGIN') ? createPublicKey(text) : createSecretKey(Buffer.from(text, 'utf8'));
}

interface KeySet {
  /** Keys by `kid`; keys without one under `''` (AgentOS's single-key JWKS). */
  byKid: Map<string, KeyObject[]>;
}

function parseJwks(json: unknown, where: string): KeySet {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error(`${where} is not a JWKS: it has no "keys" list.`);
  const byKid = new Map<string, KeyObject[]>();
  for (const jwk of keys as (JsonWebKey & { kid?: unknown; use?: unknown })[]) {
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    let key: KeyObject;
    try {
      key = jwk.kty === 'oct' && typeof jwk.k === 'string' ? createSecretKey(Buffer.from(jwk.k, 'base64url')) : createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      continue; // A key of a kind this runtime cannot read verifies nothing; the others still do.
    }
    const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
    byKid.set(kid, [...(byKid.get(kid) ?? []), key]);
  }
  return { byKid };
}

export interface JwksSourceOptions {
  /** Reads the JWKS text (a file, a URL); throws when it cannot. */
  read(): Promise<string>;
  where: string;
  /** Keys older than this are read again before use; default: never (a file is read again on an unknown kid only). */
  maxAgeMs?: number;
  refreshFloorMs?: number;
  now?: () => number;
}

/** A JWKS read when first needed, kept, and read again on an unknown `kid` (rotation) or when old. */
export function jwksKeys(options: JwksSourceOptions): KeyLookup {
  const now = options.now ?? Date.now;
  const floor = options.refreshFloorMs ?? 10_000;
  let current: { set: KeySet; readAt: number } | undefined;
  let reading: Promise<KeySet> | undefined;
  // Reads for unknown kids are spaced; the first read, and reads of old keys, are not.
  let lastUnknownKidRead = -Infinity;

  function load(): Promise<KeySet> {
    reading ??= options
      .read()
      .then((text) => {
        const set = parseJwks(JSON.parse(text), options.where);
        current = { set, readAt: now() };
        return set;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  async function keySet(): Promise<KeySet> {
    if (current && (options.maxAgeMs === undefined || now() - current.readAt < options.maxAgeMs)) return current.set;
    try {
      return await load();
    } catch (err) {
      // Keys read before still verify while the source is down; with none, no token can be checked.
      if (current) return current.set;
      throw new TokenRefused(`Signing keys unavailable: ${(err as Error).message}`, 503);
    }
  }

  return async ({ kid }) => {
    let set = await keySet();
    const wanted = kid ?? '';
    if (!set.byKid.has(wanted) && now() - lastUnknownKidRead >= floor) {
      lastUnknownKidRead = now();
      set = await load().catch(() => set);
    }
    // As AgentOS: the kid's key, else the key that has no kid.
    return set.byKid.get(wanted) ?? set.byKid.get('') ?? [];
  };
}

/** The keys of every configured source, those of the first that has any for the token. */
export function combinedKeys(lookups: readonly KeyLookup[]): KeyLookup {
  return async (header: { alg: JwtAlgorithm; kid?: string }) => {
    const found: KeyObject[] = [];
    for (const lookup of lookups) found.push(...(await lookup(header)));
    return found;
  };
}

/** A JWKS at an http(s) URL, fetched with a deadline. */
export async function fetchJwks(url: string, timeoutMs = 5_000): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}

export const readJwksFile = (path: string) => () => readFile(path, 'utf8');
