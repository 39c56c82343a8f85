/**
 * Reaching a Temporal that asks for TLS, a client certificate and an API key, as Temporal Cloud
 * does, with Temporal's own environment names: the stock worker and API processes run a run
 * through it, and a wrong key or a certificate from another CA is refused with a clear error.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { Engine } from '../../src/engine/engine.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, startEntrypoint } from '../support/processes.ts';
import { startSecuredTemporal } from '../support/secured-temporal.ts';
import type { SecuredTemporal } from '../support/secured-temporal.ts';
import { makeTestCertificates } from '../support/tls-certificates.ts';
import type { TestCertificates } from '../support/tls-certificates.ts';
import { collectWithin } from '../support/wait.ts';

const API_KEY = 'tk-test-0123456789';
let h: Harness;
let certs: TestCertificates;
let front: SecuredTemporal;
let secured: NodeJS.ProcessEnv;

before(async () => {
  h = await startHarness();
  certs = await makeTestCertificates();
  front = await startSecuredTemporal({ upstream: h.env.TEMPORAL_ADDRESS!, cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca, apiKey: API_KEY });
  secured = {
    ...h.env,
    TEMPORAL_ADDRESS: front.address,
    TEMPORAL_API_KEY: API_KEY,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caPath,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.certPath,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.keyPath,
  };
});
after(async () => {
  await killChildren();
  await front?.close();
  await certs?.remove();
  await h?.close();
});

it('runs a run with the stock worker and API over mTLS with an API key', async () => {
  h.openai.setHandler(contentCreationReply);
  await startEntrypoint('worker', secured);
  const port = await freePort();
  await startEntrypoint('server', { ...secured, PORT: String(port), HOST: '127.0.0.1' });
  const client = new DurableAgentsClient({ baseUrl: `http://127.0.0.1:${port}` });
  const { run_id } = await client.startRun('content-creation-workflow', { message: 'AI trends' });
  const events = await collectWithin('the run over TLS', (signal) => client.events('content-creation-workflow', run_id, { signal }), 120_000);
  assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
  assert.equal(events.findLast((e) => e.event === 'WorkflowCompleted')?.content, CONTENT_PLAN);
  // Both kinds of connection went through the secured front: the worker's polls and the API's start.
  assert.ok((front.passed.get('PollWorkflowTaskQueue') ?? 0) > 0, `worker polls through the front: ${[...front.passed.keys()].join(', ')}`);
  assert.equal(front.passed.get('StartWorkflowExecution'), 1);
  assert.equal(front.refused, 0);
});

it('a wrong API key is refused, and says so', async () => {
  const refusedBefore = front.refused;
  await assert.rejects(
    Engine.connect({ address: front.address, security: { apiKey: 'tk-wrong', tls: { serverRootCACertificate: certs.ca, serverNameOverride: 'localhost', clientCertPair: { crt: certs.client.cert, key: certs.client.key } } } }),
    /API key/,
  );
  assert.ok(front.refused > refusedBefore);
});

it('a client certificate from another CA is refused', async () => {
  const passedBefore = [...front.passed.values()].reduce((a, b) => a + b, 0);
  await assert.rejects(
    Engine.connect({ address: front.address, security: { apiKey: API_KEY, tls: { serverRootCACertificate: certs.ca, serverNameOverride: 'localhost', clientCertPair: { crt: certs.stranger.cert, key: certs.stranger.key } } } }),
  );
  assert.equal([...front.passed.values()].reduce((a, b) => a + b, 0), passedBefore, 'no call passed');
});

it('the stock processes refuse to start with a wrong key, saying why in one line', async () => {
  for (const role of ['worker', 'server'] as const) {
    await assert.rejects(startEntrypoint(role, { ...secured, TEMPORAL_API_KEY: 'tk-wrong', PORT: '0' }), (err: Error) => {
      assert.match(err.message, new RegExp(`exited \\(1\\) before it was ready`));
      assert.match(err.message, /could not start \((worker|api)\): Could not connect to Temporal at 127\.0\.0\.1:\d+: .*API key/);
      return true;
    });
  }
});
