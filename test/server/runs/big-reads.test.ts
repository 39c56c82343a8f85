/**
 * Reading runs with big replies shares the work: every content chunk of a streamed reply is a
 * reference to a part of the same stored text, and a reader loads that text once, not once per
 * event. The API is read over real HTTP through an engine whose blob store counts its reads (it
 * passes every call to the real local store). Run reads and lists carry events within their byte
 * budget and say why they stop.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { ExternalStorage } from '@temporalio/common';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { dataPlaneConfigFromEnv } from '../../../src/data-plane/config.ts';
import { LocalBlobStore } from '../../../src/data-plane/local-blob-store.ts';
import { BlobStorageDriver } from '../../../src/data-plane/storage-driver.ts';
import type { BlobStore } from '../../../src/data-plane/blob-store.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { RUN_LIST_EVENT_BYTES, RUN_READ_EVENT_BYTES } from '../../../src/engine/output-events.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { splitIntoChunks } from '../../fakes/openai/wire.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { readFrames } from '../../support/http.ts';
import { SocketClient } from '../../support/socket-client.ts';
import { withDeadline } from '../../support/wait.ts';
import { useLocalDataDir } from '../../support/local-data-dir.ts';
import type { LocalDataDir } from '../../support/local-data-dir.ts';

const REPLY_CHARS = 1024 * 1024;
const CHUNK_CHARS = 20_000;
const writer = new Workflow({ name: 'Big Writer', steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })] });
const replyOf = (seed: string) => `${seed}:`.padEnd(REPLY_CHARS, 'lorem ipsum dolor sit amet ');

/** The local store, counting how often each blob is read. */
class CountingBlobStore implements BlobStore {
  readonly reads = new Map<string, number>();
  private readonly store: LocalBlobStore;
  constructor(store: LocalBlobStore) {
    this.store = store;
  }
  get location() {
    return this.store.location;
  }
  put(key: string, bytes: Uint8Array) {
    return this.store.put(key, bytes);
  }
  get(key: string) {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return this.store.get(key);
  }
  delete(key: string) {
    return this.store.delete(key);
  }
  list(prefix: string) {
    return this.store.list(prefix);
  }
  checkReady() {
    return this.store.checkReady();
  }
  /** Reads of the texts of run `runId` (not its archived log). */
  textReads(runId: string): [string, number][] {
    return [...this.reads].filter(([key]) => key.includes(`/${runId}/`) && !key.includes('/log_'));
  }
}

describe('reads of runs with big replies', () => {
  let h: ApiHarness;
  let data: LocalDataDir;
  const runIds: string[] = [];

  before(async () => {
    data = await useLocalDataDir('big-reads');
    h = await startApiHarness([writer]);
    for (const seed of ['first', 'second']) {
      const text = replyOf(seed);
      h.openai.enqueue({ kind: 'text', text, chunks: splitIntoChunks(text, CHUNK_CHARS) });
      const { output } = await h.engine.startRun(writer.toPlan(), { input: seed });
      const done = await withDeadline(`the ${seed} run`, h.engine.waitForRun(output.run_id), 120_000);
      assert.equal(done.status, 'COMPLETED', done.error);
      runIds.push(output.run_id);
    }
  });
  after(async () => {
    await h?.close();
    await data?.restore();
  });

  /** An API on its own engine (nothing read yet), whose blob store counts reads. */
  async function countingApi(): Promise<{ api: ApiServer; store: CountingBlobStore }> {
    const config = dataPlaneConfigFromEnv(h.env);
    const store = new CountingBlobStore(new LocalBlobStore(join(data.dir, 'blobs')));
    const dataConverter = { externalStorage: new ExternalStorage({ drivers: [new BlobStorageDriver(store)], payloadSizeThreshold: config.thresholdBytes }) };
    const client = new Client({ connection: h.engine.client.connection, namespace: h.engine.client.options.namespace, dataConverter });
    const api = await h.serve({ engine: new Engine({ client, taskQueue: h.taskQueue }) });
    return { api, store };
  }

  it('an SSE reader loads the reply once for all of its chunks, and gets it whole', async () => {
    const { api, store } = await countingApi();
    const response = await fetch(`${api.url}/workflows/${writer.id}/runs/${runIds[0]}/events`);
    const { events } = await readFrames(response, Infinity, 120_000);
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
    const chunks = events.filter((event) => event.event === 'RunContent');
    assert.ok(chunks.length >= REPLY_CHARS / CHUNK_CHARS, `${chunks.length} content chunks`);
    assert.ok(chunks.map((event) => event.content).join('') === replyOf('first'), 'the chunks add up to the reply');
    const completed = events.find((event) => event.event === 'RunCompleted');
    assert.ok(completed?.event === 'RunCompleted' && completed.content === replyOf('first'), 'RunCompleted carries the whole reply');
    const reads = store.textReads(runIds[0]!);
    assert.ok(reads.length > 0, 'the reply is read from the store');
    assert.deepEqual(reads.filter(([, count]) => count > 1), [], `each text read once: ${JSON.stringify(reads)}`);
  });

  it('a WebSocket replay gets the same events, big ones as text frames', async () => {
    const { events } = await readFrames(await fetch(`${h.api.url}/workflows/${writer.id}/runs/${runIds[0]}/events`), Infinity, 120_000);
    const socket = await SocketClient.open(h.api.url);
    try {
      socket.send({ action: 'reconnect', run_id: runIds[0], workflow_id: writer.id, last_event_index: -1 });
      const frames = await socket.until('WorkflowCompleted', (frame) => frame.event === 'WorkflowCompleted', 120_000);
      assert.deepEqual(frames.filter((frame) => typeof frame.event_index === 'number'), events);
      assert.equal(socket.binaryFrames, 0);
    } finally {
      socket.close();
    }
  });

  it('a run read and a run list load each text once, carry events within their budget and say why they stop', async () => {
    const { api, store } = await countingApi();
    const read = (await (await fetch(`${api.url}/workflows/${writer.id}/runs/${runIds[1]}`)).json()) as Record<string, unknown>;
    assert.equal(read.content, replyOf('second'));
    assert.equal(read.events_truncated, true);
    assert.ok(JSON.stringify(read.events).length <= RUN_READ_EVENT_BYTES);
    assert.match(String(read.events_truncated_reason), /do not fit this answer's 1,048,576-byte budget for events/);
    const list = (await (await fetch(`${api.url}/workflows/${writer.id}/runs?limit=5`)).json()) as Record<string, unknown>[];
    assert.deepEqual(list.map((run) => run.run_id).sort(), [...runIds].sort());
    for (const run of list) {
      const events = run.events as RunEvent[];
      assert.ok(JSON.stringify(events).length <= RUN_LIST_EVENT_BYTES, `${JSON.stringify(events).length} bytes of events`);
      assert.equal(run.events_truncated, true);
      assert.match(String(run.events_truncated_reason), new RegExp(`after event_index ${events.at(-1)!.event_index} do not fit this answer's 262,144-byte budget`));
    }
    for (const runId of runIds) assert.deepEqual(store.textReads(runId).filter(([, count]) => count > 1), [], `each text of ${runId} read once: ${JSON.stringify(store.textReads(runId))}`);
  });
});
