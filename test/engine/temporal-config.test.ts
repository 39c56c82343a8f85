/**
 * Temporal's environment configuration names, read by the SDK's loader: what a process connects
 * with for each of them, and that credentials never follow an address given in code.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { connectionOptionsOf, resolveTemporalConfig, temporalConfigFromEnv } from '../../src/engine/config.ts';

it('connects in plain gRPC to localhost with no settings at all', () => {
  assert.deepEqual(temporalConfigFromEnv({}), { address: 'localhost:7233', namespace: 'default', taskQueue: 'durable-agents' });
});

it('an API key turns TLS on, unless TLS is disabled', () => {
  const withKey = temporalConfigFromEnv({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k1' });
  assert.deepEqual(withKey.security, { tls: true, apiKey: 'k1' });
  assert.equal(withKey.namespace, 'ns.acct');
  assert.deepEqual(temporalConfigFromEnv({ TEMPORAL_API_KEY: 'k1', TEMPORAL_TLS: 'false' }).security, { tls: false, apiKey: 'k1' });
});

it('reads mTLS files, the server name and gRPC metadata', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'temporal-config-'));
  try {
    await writeFile(join(dir, 'client.crt'), 'CERT');
    await writeFile(join(dir, 'client.key'), 'KEY');
    await writeFile(join(dir, 'ca.crt'), 'CA');
    const { security } = temporalConfigFromEnv({
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.crt'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.crt'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_GRPC_META_X_TENANT: 'blue',
    });
    const tls = security?.tls as { clientCertPair?: { crt: Uint8Array; key: Uint8Array }; serverRootCACertificate?: Uint8Array; serverNameOverride?: string };
    assert.equal(Buffer.from(tls.clientCertPair!.crt).toString(), 'CERT');
    assert.equal(Buffer.from(tls.clientCertPair!.key).toString(), 'KEY');
    assert.equal(Buffer.from(tls.serverRootCACertificate!).toString(), 'CA');
    assert.equal(tls.serverNameOverride, 'temporal.internal');
    assert.deepEqual(security?.metadata, { 'x-tenant': 'blue' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('reads a profile file only when one is named, and the environment overrides it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'temporal-config-'));
  try {
    const file = join(dir, 'temporal.toml');
    await writeFile(file, '[profile.prod]\naddress = "prod.example:7233"\nnamespace = "prod"\napi_key = "from-file"\n');
    const fromProfile = temporalConfigFromEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    assert.equal(fromProfile.address, 'prod.example:7233');
    assert.equal(fromProfile.namespace, 'prod');
    assert.equal(fromProfile.security?.apiKey, 'from-file');
    assert.equal(temporalConfigFromEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_API_KEY: 'from-env' }).security?.apiKey, 'from-env');
    // A profile that is not there is an error, not a silent plain connection to localhost.
    assert.throws(() => temporalConfigFromEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' }), /staging/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it("keeps the environment's credentials away from an address given in code", () => {
  const env = { TEMPORAL_ADDRESS: 'cloud.example:7233', TEMPORAL_API_KEY: 'secret' };
  assert.equal(resolveTemporalConfig({}, env).security?.apiKey, 'secret');
  const elsewhere = resolveTemporalConfig({ address: '127.0.0.1:7233' }, env);
  assert.equal(elsewhere.security, undefined);
  assert.deepEqual(connectionOptionsOf(elsewhere), { address: '127.0.0.1:7233' });
  assert.equal(resolveTemporalConfig({ address: '127.0.0.1:7233', security: { apiKey: 'mine' } }, env).security?.apiKey, 'mine');
});
