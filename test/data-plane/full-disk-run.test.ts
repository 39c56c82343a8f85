/**
 * A run on a full disk, as `npm start` lays it out: the local blob store and the Temporal dev
 * server's SQLite history share one small real disk (an 8 MiB tmpfs). A model reply bigger than
 * the disk's free space fails its run at once, with a message naming the call, the size and the
 * lack of space, and the model is not called again; Temporal records it (it had room left), no
 * temporary file stays behind, and later runs on the same disk complete.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { collectEvents } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { MB, textOf, useHarnessOn } from './support/blob-stores.ts';
import { freeBytes, smallDiskStore, temporaryFilesUnder } from './support/small-disk.ts';

const MiB = 1024 * 1024;
const writer = new Workflow({
  name: 'Disk Filler',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});

describe('a run whose reply does not fit on the disk it shares with Temporal', () => {
  const harness = useHarnessOn(smallDiskStore('full-disk-run', 8 * MiB, 2 * MiB), [writer]);

  it('fails at once, named and not retried; nothing is left behind and the next run completes', async () => {
    const dataDir = process.env.DATA_DIR!;
    const h = harness();
    const free = await freeBytes(dirname(dataDir));
    const reply = textOf(free + MB, 'too-big');
    h.openai.enqueue({ kind: 'text', text: reply, chunks: [reply.slice(0, reply.length / 2), reply.slice(reply.length / 2)] });
    const output = await withDeadline('the run whose reply does not fit', writer.arun({ input: 'Write more than the disk holds', engine: h.engine }), 60_000);
    assert.equal(output.status, 'ERROR');
    const size = Buffer.byteLength(reply).toLocaleString('en-US');
    assert.match(
      output.error ?? '',
      new RegExp(
        `^model call \\S+ \\(activity \\w+ \\d+\\) of run ${output.run_id} returned ${size} bytes, which could not be stored in local files in ${dataDir}/blobs: ` +
          `no space left for ${size} bytes in ${dataDir}/blobs: [\\d,]+ bytes free on its disk, of which 2,097,152 bytes are kept free \\(BLOB_LOCAL_RESERVE_BYTES\\)`,
      ),
    );
    assert.equal(h.openai.requests.length, 1, 'the model was called once');
    const events = await collectEvents(h.engine, output.run_id);
    const last = events.at(-1) as { event: string; step_name?: string; error?: string } | undefined;
    assert.equal(last?.event, 'WorkflowError');
    assert.equal(last?.step_name, 'Write');
    assert.deepEqual(await temporaryFilesUnder(dataDir), []);

    h.openai.reset();
    const small = textOf(200 * 1024, 'fits');
    h.openai.enqueue({ kind: 'text', text: small });
    const next = await withDeadline('a run that fits', writer.arun({ input: 'Write a little', engine: h.engine }), 60_000);
    assert.equal(next.status, 'COMPLETED', next.error);
    assert.ok(next.content === small, `content of ${next.content?.length} characters`);
  });
});
