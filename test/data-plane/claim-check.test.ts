/**
 * Temporal's External Storage (the claim-check) itself, on each blob store: a run's start input
 * over the threshold is stored by the client under the driver's key, history keeps only a claim,
 * and the worker reads it back byte for byte (the run's function step gets exactly what was
 * sent). A blob changed after it was stored is refused by its sha256, with an error that says so.
 *
 * Big texts usually travel as the project's own references (run-texts.ts); `additionalData` is
 * the caller's own and stays inline, so a big one is what the claim-check carries.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { runPrefix } from '../../src/data-plane/blob-keys.ts';
import type { BlobStore } from '../../src/data-plane/blob-store.ts';
import { dataPlaneConfigFromEnv, DEFAULT_THRESHOLD_BYTES, openBlobStore } from '../../src/data-plane/config.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { historyOf } from '../support/operator-reset.ts';
import type { HistoryEvent } from '../support/operator-reset.ts';
import { waitUntil } from '../support/wait.ts';
import { blobStoresUnderTest, textOf, useHarnessOn } from './support/blob-stores.ts';

const PayloadProto = proto.temporal.api.common.v1.Payload;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** What the function step received, by run input: the worker's view of the retrieved payload. */
const received = new Map<string, unknown>();
const echo = new Workflow({
  name: 'Claim Check Echo',
  steps: [
    new Step({
      name: 'Digest',
      executor: (input: StepInput) => {
        received.set(input.input, input.additionalData);
        return `sha256 ${sha256(JSON.stringify(input.additionalData))}`;
      },
    }),
  ],
});

/** Blobs the claim-check stored for a run: named by the sha256 of their bytes, under the run's prefix. */
async function driverBlobs(blobs: BlobStore, runId: string): Promise<{ key: string; bytes: Uint8Array }[]> {
  const found = [];
  for await (const { key } of blobs.list(runPrefix('default', runId))) {
    if (/\/[0-9a-f]{64}$/.test(key)) found.push({ key, bytes: (await blobs.get(key))! });
  }
  return found;
}

/**
 * The first of: a workflow task failed, the run completed, the run failed. A payload the worker
 * cannot read fails its workflow tasks, which Temporal retries forever: the first one tells.
 */
function firstOutcome(client: Client, runId: string): Promise<HistoryEvent> {
  return waitUntil(
    'the run to end, or a workflow task to fail',
    async () => (await historyOf(client, runId)).find((event) => event.workflowTaskFailedEventAttributes || event.workflowExecutionCompletedEventAttributes || event.workflowExecutionFailedEventAttributes),
    { timeoutMs: 60_000 },
  );
}

for (const store of blobStoresUnderTest('claim-check')) {
  describe(`the claim-check through the ${store.name} blob store`, () => {
    const harness = useHarnessOn(store, [echo]);
    const bigData = (seed: string) => ({ document: textOf(4 * DEFAULT_THRESHOLD_BYTES, seed), seed });

    it('stores a payload over the threshold under its digest, keeps a claim in history, and the worker reads it back byte for byte', async () => {
      const input = `round trip ${randomUUID()}`;
      const data = bigData(input);
      const engine = harness().engine;
      const started = await echo.arun({ input, additionalData: data, engine, background: true });
      const outcome = await firstOutcome(engine.client, started.run_id);
      assert.equal(outcome.workflowTaskFailedEventAttributes?.failure?.message, undefined, 'a workflow task failed');
      const output = (await engine.getRun(started.run_id))!;
      assert.equal(output.status, 'COMPLETED', output.error);
      assert.deepEqual(received.get(input), data, 'the step got the additional data unchanged');
      assert.equal(output.content, `sha256 ${sha256(JSON.stringify(data))}`);

      // The start input went through the driver: a blob under its digest, decoding to what was sent.
      const blobs = openBlobStore(dataPlaneConfigFromEnv(process.env));
      const stored = await driverBlobs(blobs, output.run_id);
      const start = stored.map((blob) => ({ ...blob, value: defaultPayloadConverter.fromPayload(PayloadProto.decode(blob.bytes)) as { input?: string; additionalData?: unknown } }))
        .find((blob) => blob.value.input === input);
      assert.ok(start, `the start input among ${stored.length} blobs of the run`);
      assert.ok(start.key.endsWith(`/${sha256(start.bytes)}`), 'the key names the digest of the bytes');
      assert.deepEqual(start.value.additionalData, data);

      // History holds the claim, not the bytes.
      const history = await historyOf(engine.client, output.run_id);
      const [payload] = history[0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
      assert.ok(payload!.data!.byteLength < 1024, `a claim of ${payload!.data!.byteLength} bytes in history`);
      assert.ok(Buffer.from(PayloadProto.encode(payload!).finish()).includes(start.key), 'the claim names the blob');
      assert.equal(history.filter((event) => event.workflowTaskFailedEventAttributes).length, 0, 'no workflow task failed');
    });

    it('refuses a blob changed after it was stored, naming it, and the run goes no further', async () => {
      // No worker on this queue yet: the run waits, its start input stored, while the blob is changed.
      const queue = `${harness().taskQueue}-corrupted`;
      const engine = harness().engineFor(queue);
      const input = `corrupted ${randomUUID()}`;
      const started = await echo.arun({ input, additionalData: bigData(input), engine, background: true });
      const blobs = openBlobStore(dataPlaneConfigFromEnv(process.env));
      const [blob] = await driverBlobs(blobs, started.run_id);
      assert.ok(blob, 'the start input was stored');
      // One letter of the document changed: still a well-formed payload, only the digest tells.
      const changed = Buffer.from(blob.bytes);
      const at = changed.lastIndexOf('abc');
      changed[at] = 'x'.charCodeAt(0);
      await blobs.put(blob.key, changed);

      await harness().startWorker([echo], { taskQueue: queue });
      const outcome = await firstOutcome(engine.client, started.run_id);
      assert.equal(outcome.workflowTaskFailedEventAttributes?.failure?.message, `The blob ${blob.key} in ${blobs.location} does not match its claim (sha256 ${sha256(changed)}): it was changed after it was stored.`);
      assert.equal(received.has(input), false, 'the step never ran');
      await engine.client.workflow.getHandle(started.run_id).terminate('its start input was changed in the blob store');
    });
  });
}
