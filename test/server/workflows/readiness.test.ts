/**
 * `GET /health/ready` against real dependencies: a Temporal dev server, PostgreSQL as the run
 * store, moto as the S3 blob store and Redis as the live lane's broker. 200 while all of them
 * answer; 503 naming the one that stopped (with its error), back to 200 once it returns; a
 * dependency that hangs is down at its deadline instead of holding the answer; 503 at once while
 * the server shuts down. `/health` (liveness) stays 200 throughout. Every answer conforms to
 * /openapi.json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../../src/data-plane/config.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { RedisLane } from '../../../src/live/redis-lane.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { openRunStore } from '../../../src/run-store/config.ts';
import { serveApi } from '../../../src/server/serve.ts';
import type { ApiServer, ServeOptions } from '../../../src/server/serve.ts';
import { skipWithoutTool } from '../../support/ci.ts';
import { startHarness } from '../../support/harness.ts';
import type { Harness } from '../../support/harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import { postgresMissing, startPostgres } from '../../support/postgres-server.ts';
import type { PostgresServer } from '../../support/postgres-server.ts';
import { findMotoServer, startS3Server } from '../../support/s3-server.ts';
import type { S3Server } from '../../support/s3-server.ts';
import { Teardown } from '../../support/teardown.ts';
import { waitUntil } from '../../support/wait.ts';
import { redisMissing, startRedis } from '../../live/support/redis-server.ts';
import type { RedisServer } from '../../live/support/redis-server.ts';

interface DependencyState {
  status: 'up' | 'down';
  detail?: string;
  error?: string;
}
interface Readiness {
  status: 'ready' | 'not_ready' | 'shutting_down';
  checks: Record<string, DependencyState>;
  failing?: string[];
  detail?: string;
}

function motoMissing(): string | undefined {
  try {
    findMotoServer();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

// Skipped, loudly, without Redis, PostgreSQL or moto; in CI (test/support/ci.ts) it fails instead.
const skip = skipWithoutTool('readiness against stopped dependencies (test/server/workflows/readiness.test.ts)', redisMissing() ?? postgresMissing() ?? motoMissing());
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Echo', executor: () => 'echo' })] });

describe('GET /health/ready', { skip }, () => {
  const teardown = new Teardown();
  let h: Harness;
  let redis: RedisServer;
  let postgres: PostgresServer;
  let s3: S3Server;
  let serve: (options?: Partial<ServeOptions>) => Promise<ApiServer>;
  let api: ApiServer;
  let conformance: Conformance;

  before(async () => {
    h = await teardown.start('the harness', startHarness(), (harness) => harness.close());
    [redis, postgres, s3] = await teardown.startAll([
      teardown.start('Redis', startRedis(), (server) => server.close()),
      teardown.start('PostgreSQL', startPostgres(), (server) => server.stop()),
      teardown.start('moto', startS3Server(), (server) => server.stop()),
    ] as const);
    const blobs = openBlobStore(dataPlaneConfigFromEnv(await s3.bucket('readiness')));
    const runStore = await teardown.start('the run store', openRunStore({ store: 'postgres', connectionString: await postgres.createDatabase(), maxConnections: 2 }), (store) => store.close());
    const live = new RedisLane({ url: redis.url, warn: () => {} });
    teardown.add('the live lane', () => live.close());
    const engine = new Engine({ client: h.engine.client, taskQueue: h.taskQueue, runStore });
    serve = (options = {}) =>
      teardown.start('an API server', serveApi({ engine, workflows: [echo], blobs, live, port: 0, hostname: '127.0.0.1', ...options }), (server) => server.close());
    api = await serve();
    conformance = await checkResponsesAgainstOpenApi(api.url);
    teardown.add('the OpenAPI check', () => conformance.detach());
  });
  after(() => teardown.run());

  const readiness = async (server = api) => {
    const response = await fetch(`${server.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Readiness, connection: response.headers.get('connection') };
  };
  /** Waits until readiness answers `status` with exactly `failing` down, and returns that answer. */
  const readinessUntil = (status: number, failing: string[], server = api) =>
    waitUntil(`/health/ready to answer ${status}${failing.length ? ` naming ${failing.join(', ')}` : ''}`, async () => {
      const answer = await readiness(server);
      return answer.status === status && JSON.stringify(answer.body.failing ?? []) === JSON.stringify(failing) && answer;
    });
  const liveness = async () => (await fetch(`${api.url}/health`)).status;

  it('is 200 with each dependency up, saying what answered', async () => {
    // Right after the start the lane may still be connecting to Redis: not ready until it has.
    const { status, body } = await readinessUntil(200, []);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.status, 'ready');
    assert.equal(body.failing, undefined);
    assert.deepEqual(Object.keys(body.checks).sort(), ['blob_store', 'live_lane', 'run_store', 'temporal']);
    for (const [name, check] of Object.entries(body.checks)) assert.equal(check.status, 'up', `${name}: ${check.error}`);
    assert.match(body.checks.temporal!.detail!, /^temporal/);
    assert.equal(body.checks.run_store!.detail, 'postgres');
    assert.equal(body.checks.blob_store!.detail, 's3');
    assert.equal(body.checks.live_lane!.detail, 'redis');
  });

  it('is 503 naming the live lane while Redis is down, and 200 once it is back', async () => {
    await redis.kill();
    const { body } = await readinessUntil(503, ['live_lane']);
    assert.equal(body.status, 'not_ready');
    assert.equal(body.checks.live_lane!.status, 'down');
    assert.ok(body.checks.live_lane!.error, 'the error is given');
    assert.equal(body.checks.run_store!.status, 'up');
    assert.equal(body.detail, `Not ready: live_lane (${body.checks.live_lane!.error}).`);
    assert.equal(await liveness(), 200, '/health stays a liveness check');
    await redis.restart();
    await readinessUntil(200, []);
  });

  it('is 503 naming a dependency that hangs, at its deadline, with the others answered', async () => {
    const quick = await serve({ readinessTimeoutMs: 300 });
    redis.child.kill('SIGSTOP');
    try {
      const { body } = await readinessUntil(503, ['live_lane'], quick);
      assert.equal(body.checks.live_lane!.error, 'no answer within 300 ms');
    } finally {
      redis.child.kill('SIGCONT');
    }
    await readinessUntil(200, []);
  });

  it('is 503 naming the run store when PostgreSQL stops', async () => {
    await postgres.stop();
    const { body } = await readinessUntil(503, ['run_store']);
    assert.equal(body.checks.run_store!.status, 'down');
    assert.ok(body.checks.run_store!.error, 'the error is given');
    assert.equal(body.checks.blob_store!.status, 'up');
    assert.equal(await liveness(), 200);
  });

  it('is 503 naming the blob store when the S3 service stops', async () => {
    await s3.stop();
    const { body } = await readinessUntil(503, ['run_store', 'blob_store']);
    assert.equal(body.checks.blob_store!.status, 'down');
    assert.ok(body.checks.blob_store!.error, 'the error is given');
    assert.equal(body.checks.temporal!.status, 'up');
    assert.equal(body.checks.live_lane!.status, 'up');
  });

  it('is 503 at once while the server shuts down, and closes each connection after its answer', async () => {
    api.app.beginShutdown();
    const { status, body, connection } = await readiness();
    assert.equal(status, 503);
    assert.deepEqual(body, { status: 'shutting_down', checks: {}, detail: 'The server is shutting down.' });
    assert.equal(connection, 'close');
    assert.equal(await liveness(), 200);
    assert.deepEqual(conformance.mismatches, []);
  });
});
