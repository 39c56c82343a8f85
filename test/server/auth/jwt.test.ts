/**
 * JWT verification on its own (src/server/auth/jwt.ts): tokens signed here with keys made here,
 * each algorithm of the allow-list, and every way a token is refused, with AgentOS's wording.
 */
import assert from 'node:assert/strict';
import { createPublicKey, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyJwt } from '../../../src/server/auth/jwt.ts';
import type { JwtAlgorithm, VerifyOptions } from '../../../src/server/auth/jwt.ts';
import { HS_SECRET, hs256, keyPair, signJwt } from '../../support/tokens.ts';

const options = (keys: KeyObject[], extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ algorithms: ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'], keys: async () => keys, leewaySeconds: 10, ...extra });
const secret = createSecretKey(Buffer.from(HS_SECRET));
const refusal = (detail: string) => (err: unknown) => (err as { detail?: string }).detail === detail;
const now = () => Math.floor(Date.now() / 1000);

describe('verifyJwt', () => {
  it('accepts a token of each algorithm signed by the matching key', async () => {
    assert.equal((await verifyJwt(signJwt({ sub: 'alice' }, hs256), options([secret]))).sub, 'alice');
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const) {
      const { signing, publicPem } = keyPair(alg);
      assert.equal((await verifyJwt(signJwt({ sub: alg }, signing), options([createPublicKey(publicPem)]))).sub, alg, alg);
    }
  });

  it('refuses a token signed by another key, or tampered with', async () => {
    const other = { alg: 'HS256', key: 'another-secret-another-secret-another' };
    await assert.rejects(verifyJwt(signJwt({ sub: 'alice' }, other), options([secret])), refusal('Invalid token: Signature verification failed'));
    const [h, , s] = signJwt({ sub: 'alice' }, hs256).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url')}.${s}`;
    await assert.rejects(verifyJwt(forged, options([secret])), refusal('Invalid token: Signature verification failed'));
    await assert.rejects(verifyJwt('not-a-jwt', options([secret])), refusal('Invalid token: Not enough segments'));
  });

  it('refuses an algorithm outside the allow-list, "none", and a public key used as an HMAC secret', async () => {
    const { signing, publicPem } = keyPair('RS256');
    const rsa = createPublicKey(publicPem);
    await assert.rejects(verifyJwt(signJwt({ sub: 'a' }, signing), options([rsa], { algorithms: ['ES256'] })), refusal('Invalid token: The specified alg value is not allowed'));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'a' })).toString('base64url')}.`;
    await assert.rejects(verifyJwt(unsigned, options([rsa])), refusal('Invalid token: The specified alg value is not allowed'));
    // The classic forgery: HS256 "signed" with the server's public key as the secret.
    const confused = signJwt({ sub: 'a' }, { alg: 'HS256', key: publicPem });
    await assert.rejects(verifyJwt(confused, options([rsa])), refusal('Invalid token: Unable to find a signing key that matches the token'));
  });

  it('refuses an expired or not-yet-valid token beyond the clock skew allowed, and accepts one within it', async () => {
    await assert.rejects(verifyJwt(signJwt({ exp: now() - 11 }, hs256), options([secret])), refusal('Token has expired'));
    assert.ok(await verifyJwt(signJwt({ exp: now() - 5 }, hs256), options([secret])), 'within 10 s of skew');
    await assert.rejects(verifyJwt(signJwt({ nbf: now() + 60 }, hs256), options([secret])), refusal('Invalid token: The token is not yet valid (nbf)'));
    assert.ok(await verifyJwt(signJwt({ nbf: now() + 5 }, hs256), options([secret])));
    await assert.rejects(verifyJwt(signJwt({ iat: now() + 60 }, hs256), options([secret])), refusal('Invalid token: The token is not yet valid (iat)'));
    await assert.rejects(verifyJwt(signJwt({ exp: 'tomorrow' }, hs256), options([secret])), refusal('Invalid token: Expiration Time claim (exp) must be an integer.'));
  });

  it('checks the audience and the issuer when they are configured', async () => {
    const o = options([secret], { audience: ['durable-agents'], issuer: 'https://idp.example' });
    assert.ok(await verifyJwt(signJwt({ aud: ['other', 'durable-agents'], iss: 'https://idp.example' }, hs256), o));
    await assert.rejects(verifyJwt(signJwt({ aud: 'other', iss: 'https://idp.example' }, hs256), o), refusal('Invalid token audience - token not valid for this AgentOS instance'));
    await assert.rejects(verifyJwt(signJwt({ iss: 'https://idp.example' }, hs256), o), /missing the "aud" claim/);
    await assert.rejects(verifyJwt(signJwt({ aud: 'durable-agents', iss: 'https://evil.example' }, hs256), o), refusal('Invalid token: Invalid issuer'));
    assert.ok(await verifyJwt(signJwt({ aud: 'anything' }, hs256), options([secret])), 'no audience configured: none checked');
  });

  it('uses only keys of the kind the algorithm needs', async () => {
    const es = keyPair('ES256');
    const es384 = keyPair('ES384');
    const token = signJwt({ sub: 'a' }, es.signing);
    await assert.rejects(verifyJwt(token, options([createPublicKey(es384.publicPem)])), /Unable to find a signing key/);
    const algorithms: JwtAlgorithm[] = ['ES256'];
    assert.ok(await verifyJwt(token, options([secret, createPublicKey(es384.publicPem), createPublicKey(es.publicPem)], { algorithms })));
  });
});
