/**
 * Runs that wait for a person, served over HTTP: what the tests of runs ended from outside
 * workflow code (an operator's terminate, cancel, a timeout) start and read back. An Approval
 * workflow (Prepare, then Publish waiting for confirmation) behind a real API, and the reads a
 * client makes of its runs: GET, and the SSE stream to its end.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { parseSse } from '../../src/client/sse-parser.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from './api-harness.ts';
import type { ApiHarness } from './api-harness.ts';
import { postForm } from './http.ts';
import { collectWithin, waitUntil } from './wait.ts';

export const approval = new Workflow({
  name: 'Approval',
  steps: [new Step({ name: 'Prepare', executor: () => 'prepared' }), new Step({ name: 'Publish', requiresConfirmation: true, executor: () => 'published' })],
});

export interface WaitingRuns {
  h: ApiHarness;
  runUrl(runId: string): string;
  /** Starts a run in the background and resolves once it waits for a person (PAUSED). */
  startWaiting(): Promise<string>;
  getRun(runId: string): Promise<{ status: string; error?: string; last_event_index?: number }>;
  /** The run's log events over SSE after `after`, to the end of the stream. */
  sseEvents(runId: string, options?: { after?: number; timeoutMs?: number }): Promise<RunEvent[]>;
}

/** Serves `approval` for the file's tests (started before them, closed after). */
export function useWaitingRuns(): WaitingRuns {
  let harness: ApiHarness | undefined;
  before(async () => {
    harness = await startApiHarness([approval], { heartbeatMs: 200 });
  });
  after(async () => harness?.close());

  const runs: WaitingRuns = {
    get h() {
      assert.ok(harness, 'the API harness starts before the tests');
      return harness;
    },
    runUrl: (runId) => `${runs.h.api.url}/workflows/approval/runs/${runId}`,
    async startWaiting() {
      const response = await postForm(`${runs.h.api.url}/workflows/approval/runs`, { message: 'go', stream: 'false', background: 'true' });
      assert.equal(response.status, 202);
      const { run_id: runId } = (await response.json()) as { run_id: string };
      await waitUntil(`run ${runId} to wait for a person`, async () => (await runs.getRun(runId)).status === 'PAUSED');
      return runId;
    },
    getRun: async (runId) => (await (await fetch(runs.runUrl(runId))).json()) as { status: string; error?: string; last_event_index?: number },
    async sseEvents(runId, { after = -1, timeoutMs = 60_000 } = {}) {
      const frames = await collectWithin(
        `the SSE stream of ${runId}`,
        async function* (signal) {
          const response = await fetch(`${runs.runUrl(runId)}/events?after=${after}`, { signal });
          assert.equal(response.status, 200);
          yield* parseSse(response.body!);
        },
        timeoutMs,
      );
      return frames.map((frame) => JSON.parse(frame.data) as RunEvent).filter((event) => typeof event.event_index === 'number');
    },
  };
  return runs;
}
