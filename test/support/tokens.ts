/**
 * JSON Web Tokens signed in the tests, with keys made in the tests (Node's crypto), for the tests
 * of JWT authentication and for the parity test (Agno's AgentOS gets the same tokens).
 */
import { createHmac, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

export interface SigningKey {
  alg: string;
  /** A private key, or the HMAC secret. */
  key: KeyObject | string;
  kid?: string;
}

/** A new key pair for `alg` (RS256, PS256, ES256, ES384, EdDSA): the signing key, its public PEM and its public JWK. */
export function keyPair(alg: 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA', kid?: string): { signing: SigningKey; publicPem: string; jwk: JsonWebKey } {
  const { privateKey, publicKey } =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), ...(kid ? { kid } : {}), alg, use: 'sig' };
  return { signing: { alg, key: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })), kid }, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), jwk };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `claims` signed with `with`; `exp` one hour from now unless the claims set it (or set it to undefined). */
export function signJwt(claims: Record<string, unknown>, withKey: SigningKey, header: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const body = { iat: now, exp: now + 3600, ...claims };
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name as keyof typeof body];
  const input = `${b64({ alg: withKey.alg, typ: 'JWT', ...(withKey.kid ? { kid: withKey.kid } : {}), ...header })}.${b64(body)}`;
  const data = Buffer.from(input);
  const { alg, key } = withKey;
  const hash = `sha${alg.slice(2)}`;
  let signature: Buffer;
  if (alg.startsWith('HS')) signature = createHmac(hash, key as string).update(data).digest();
  else if (alg === 'EdDSA') signature = sign(null, data, key as KeyObject);
  else if (alg.startsWith('ES')) signature = sign(hash, data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else if (alg.startsWith('PS')) signature = sign(hash, data, { key: key as KeyObject, padding: 6, saltLength: 32 });
  else signature = sign(hash, data, key as KeyObject);
  return `${input}.${signature.toString('base64url')}`;
}

export const HS_SECRET = 'a-test-secret-of-at-least-32-bytes-for-hs256';
export const hs256: SigningKey = { alg: 'HS256', key: HS_SECRET };
