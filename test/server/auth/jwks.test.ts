/**
 * Keys from a JWKS: a file (`JWT_JWKS_FILE`) and a URL served over loopback HTTP (`JWT_JWKS`),
 * read when first needed, kept, and read again when a token names a key they lack, so that an
 * identity provider's rotation is honoured without a restart, and a key it dropped is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonWebKey } from 'node:crypto';
import { authFromEnv } from '../../../src/server/http/auth.ts';
import type { Authenticate } from '../../../src/server/http/auth.ts';
import { keyPair, signJwt } from '../../support/tokens.ts';

let served: JsonWebKey[] = [];
let fetches = 0;
const jwksServer = createServer((_req, res) => {
  fetches += 1;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
});
let jwksUrl: string;
before(async () => {
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});
after(() => jwksServer.close());

const who = async (authenticate: Authenticate, token: string) => {
  const result = await authenticate(token);
  return result && 'refused' in result ? result.refused : result?.userId;
};

describe('JWKS', () => {
  it('verifies tokens by the kid of a JWKS file, RS256 and ES256 side by side', async () => {
    const rsa = keyPair('RS256', 'rsa-1');
    const ec = keyPair('ES256', 'ec-1');
    const file = join(mkdtempSync(join(tmpdir(), 'jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
    const authenticate = authFromEnv({ JWT_JWKS_FILE: file, JWT_ALGORITHMS: 'RS256,ES256' })!;
    assert.equal(await who(authenticate, signJwt({ sub: 'alice' }, rsa.signing)), 'alice');
    assert.equal(await who(authenticate, signJwt({ sub: 'bob' }, ec.signing)), 'bob');
    const stranger = keyPair('RS256', 'rsa-1');
    assert.equal(await who(authenticate, signJwt({ sub: 'mallory' }, stranger.signing)), 'Invalid token: Signature verification failed', 'same kid, another key');
  });

  it('reads a JWKS URL once, then again for a rotated key; a dropped key is refused', async () => {
    const first = keyPair('RS256', 'k1');
    const second = keyPair('RS256', 'k2');
    served = [first.jwk];
    fetches = 0;
    const authenticate = authFromEnv({ JWT_JWKS: jwksUrl })!;
    assert.equal(await who(authenticate, signJwt({ sub: 'alice' }, first.signing)), 'alice');
    assert.equal(await who(authenticate, signJwt({ sub: 'alice' }, first.signing)), 'alice');
    assert.equal(fetches, 1, 'the keys are kept');

    served = [second.jwk]; // The provider rotates: k2 in, k1 out.
    assert.equal(await who(authenticate, signJwt({ sub: 'bob' }, second.signing)), 'bob', 'a token of the new key is accepted without a restart');
    assert.equal(fetches, 2);
    assert.equal(await who(authenticate, signJwt({ sub: 'alice' }, first.signing)), 'Invalid token: Unable to find a signing key that matches the token');
    assert.equal(await who(authenticate, signJwt({ sub: 'x' }, { ...first.signing, kid: 'made-up' })), 'Invalid token: Unable to find a signing key that matches the token');
    assert.equal(fetches, 2, 'unknown kids do not make it read the keys again at once');
  });

  it('takes a JWKS given inline, and its key without a kid for any token (as AgentOS)', async () => {
    const { signing, jwk } = keyPair('EdDSA');
    const authenticate = authFromEnv({ JWT_JWKS: JSON.stringify({ keys: [jwk] }), JWT_ALGORITHMS: 'EdDSA' })!;
    assert.equal(await who(authenticate, signJwt({ sub: 'alice' }, { ...signing, kid: 'any' })), 'alice');
  });

  it('answers 503 while the keys cannot be read at all', async () => {
    const authenticate = authFromEnv({ JWT_JWKS: 'http://127.0.0.1:1/jwks.json' })!;
    const result = await authenticate(signJwt({ sub: 'alice' }, keyPair('RS256', 'k').signing));
    assert.ok(result && 'refused' in result);
    assert.equal(result.status, 503);
    assert.match(result.refused, /^Signing keys unavailable/);
  });

  it('refuses settings that would weaken verification', () => {
    assert.throws(() => authFromEnv({ JWT_VERIFICATION_KEY: 'a-shared-secret' }), /not a PEM public key/);
    assert.throws(() => authFromEnv({ JWT_VERIFICATION_KEY: keyPair('RS256').publicPem, JWT_ALGORITHMS: 'RS256,HS256' }), /public key/);
    assert.throws(() => authFromEnv({ JWT_JWKS: jwksUrl, JWT_ALGORITHMS: 'none' }), /not one of/);
    assert.throws(() => authFromEnv({ JWT_JWKS: jwksUrl, JWT_LEEWAY_SECONDS: '3600' }), /JWT_LEEWAY_SECONDS/);
  });
});
