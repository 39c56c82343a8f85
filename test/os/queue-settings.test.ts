/** The queue's settings from the environment: the API's strategy and depth bound, the workers' caps; bad values stop the start. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiSettingsFromEnv } from '../../src/os/api-env.ts';
import { workerSettingsFromEnv } from '../../src/worker/worker-env.ts';

describe('queue settings', () => {
  it('default to Agno’s: enqueue, 1000 waiting, 32 executing, no cap per user', () => {
    assert.deepEqual(apiSettingsFromEnv({}).queue, { multitaskStrategy: 'enqueue', maxQueueDepth: 1000 });
    assert.deepEqual(workerSettingsFromEnv({}).runCaps, { maxConcurrency: 32, maxConcurrencyPerUser: 0 });
  });

  it('are read from MULTITASK_STRATEGY, MAX_QUEUE_DEPTH, MAX_CONCURRENCY and MAX_CONCURRENCY_PER_USER (0: no bound)', () => {
    assert.deepEqual(apiSettingsFromEnv({ MULTITASK_STRATEGY: 'concurrent', MAX_QUEUE_DEPTH: '0' }).queue, { multitaskStrategy: 'concurrent', maxQueueDepth: 0 });
    assert.deepEqual(workerSettingsFromEnv({ MAX_CONCURRENCY: '0', MAX_CONCURRENCY_PER_USER: '4' }).runCaps, { maxConcurrency: 0, maxConcurrencyPerUser: 4 });
  });

  it('refuse values they cannot use, naming the variable', () => {
    assert.throws(() => apiSettingsFromEnv({ MULTITASK_STRATEGY: 'queue' }), /MULTITASK_STRATEGY must be one of enqueue, reject, interrupt, rollback, concurrent/);
    assert.throws(() => apiSettingsFromEnv({ MAX_QUEUE_DEPTH: '-1' }), /MAX_QUEUE_DEPTH/);
    assert.throws(() => workerSettingsFromEnv({ MAX_CONCURRENCY: 'many' }), /MAX_CONCURRENCY must be an integer/);
  });
});
