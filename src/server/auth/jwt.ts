/**
 * JSON Web Token verification with Node's own `crypto`: a compact JWS, an algorithm from an
 * allow-list, a key of the kind that algorithm needs (a public key is never used as an HMAC
 * secret: the classic algorithm-confusion forgery), then the time claims with a bounded clock
 * skew, the audience and the issuer. The refusals say what AgentOS says (PyJWT's wording), so a
 * client sees the same `detail` from either server.
 */
import { constants, createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Why a token is not accepted: its `detail` as AgentOS words it; 503 when the keys could not be read. */
export class TokenRefused extends Error {
  readonly detail: string;
  readonly status: 401 | 503;
  constructor(detail: string, status: 401 | 503 = 401) {
    super(detail);
    this.detail = detail;
    this.status = status;
  }
}

export interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
  typ?: unknown;
}

export type JwtClaims = Record<string, unknown>;

/** Finds the keys a token may be verified with: by its header's `kid`, those of the algorithm's kind. */
export type KeyLookup = (header: { alg: JwtAlgorithm; kid?: string }) => Promise<KeyObject[]>;

export interface VerifyOptions {
  algorithms: readonly JwtAlgorithm[];
  keys: KeyLookup;
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  leewaySeconds: number;
  /** When set, the token's `aud` (a string or a list) must name one of these. */
  audience?: readonly string[];
  /** When set, the token's `iss` must be exactly this. */
  issuer?: string;
  now?: () => number;
}

const invalid = (reason: string) => new TokenRefused(`Invalid token: ${reason}`);

function decodeSegment(segment: string, what: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw invalid(`Invalid ${what} padding`);
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid(`Invalid ${what} string: must be a json object`);
  }
}

/** The key kinds each algorithm verifies with (`asymmetricKeyType`, `secret` for HMAC). */
function keyFits(alg: JwtAlgorithm, key: KeyObject): boolean {
  if (alg.startsWith('HS')) return key.type === 'secret';
  if (key.type !== 'public') return false;
  const kind = key.asymmetricKeyType;
  if (alg.startsWith('RS')) return kind === 'rsa';
  if (alg === 'PS256') return kind === 'rsa' || kind === 'rsa-pss';
  if (alg === 'ES256') return kind === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (alg === 'ES384') return kind === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
  return kind === 'ed25519' || kind === 'ed448';
}

function signatureValid(alg: JwtAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const hash = `sha${alg === 'EdDSA' ? '' : alg.slice(2)}`;
  if (alg.startsWith('HS')) {
    const expected = createHmac(hash, key).update(data).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  }
  try {
    if (alg === 'EdDSA') return verify(null, data, key, signature);
    if (alg.startsWith('PS')) return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    if (alg.startsWith('ES')) return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    return verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

/** The token's claims once its signature, times, audience and issuer hold; else a `TokenRefused`. */
export async function verifyJwt(token: string, options: VerifyOptions): Promise<JwtClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid(parts.length < 3 ? 'Not enough segments' : 'Too many segments');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeSegment(headerPart, 'header') as JwtHeader;
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid('Invalid header string: must be a json object');
  const alg = header.alg;
  if (typeof alg !== 'string' || !(options.algorithms as readonly string[]).includes(alg)) throw invalid('The specified alg value is not allowed');
  if (!/^[A-Za-z0-9_-]*$/.test(signaturePart)) throw invalid('Invalid crypto padding');
  const claims = decodeSegment(payloadPart, 'payload') as JwtClaims;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw invalid('Invalid payload string: must be a json object');

  const keys = (await options.keys({ alg: alg as JwtAlgorithm, kid: typeof header.kid === 'string' ? header.kid : undefined })).filter((key) => keyFits(alg as JwtAlgorithm, key));
  if (keys.length === 0) throw invalid('Unable to find a signing key that matches the token');
  const data = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!keys.some((key) => signatureValid(alg as JwtAlgorithm, key, data, signature))) throw invalid('Signature verification failed');

  checkTimes(claims, options);
  if (options.audience) checkAudience(claims, options.audience);
  if (options.issuer !== undefined) {
    if (claims.iss === undefined) throw invalid('Token is missing the "iss" claim. Issuer verification requires this claim to be present in the token.');
    if (claims.iss !== options.issuer) throw invalid('Invalid issuer');
  }
  return claims;
}

function checkTimes(claims: JwtClaims, { leewaySeconds, now = Date.now }: VerifyOptions): void {
  const seconds = now() / 1000;
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    if (claims[name] !== undefined && (typeof claims[name] !== 'number' || !Number.isFinite(claims[name]))) {
      throw invalid(name === 'exp' ? 'Expiration Time claim (exp) must be an integer.' : name === 'nbf' ? 'Not Before claim (nbf) must be an integer.' : 'Issued At claim (iat) must be an integer.');
    }
  }
  // In PyJWT's order, so a token wrong in several ways gets AgentOS's refusal.
  if (typeof claims.iat === 'number' && claims.iat > seconds + leewaySeconds) throw invalid('The token is not yet valid (iat)');
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + leewaySeconds) throw invalid('The token is not yet valid (nbf)');
  if (typeof claims.exp === 'number' && claims.exp <= seconds - leewaySeconds) throw new TokenRefused('Token has expired');
}

function checkAudience(claims: JwtClaims, expected: readonly string[]): void {
  const aud = claims.aud;
  if (aud === undefined || aud === null) throw invalid('Token is missing the "aud" claim. Audience verification requires this claim to be present in the token.');
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.some((name) => typeof name === 'string' && expected.includes(name))) {
    throw new TokenRefused('Invalid token audience - token not valid for this AgentOS instance');
  }
}
