/**
 * A workflow's runs on the cluster, read as clients read them: through the proxy and directly on
 * each API. What every scenario checks: the same status, content and log everywhere, each log
 * gapless from 0 and ended by the run's terminal event.
 */
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { postForm, readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import type { Cluster } from './cluster.ts';

export class ClusterRuns {
  private readonly cluster: () => Cluster;
  readonly workflowId: string;

  /** `cluster`: the cluster once started (a suite starts it in `before`). */
  constructor(cluster: () => Cluster, workflowId: string) {
    this.cluster = cluster;
    this.workflowId = workflowId;
  }

  /** The proxy, then each API. */
  bases = (): string[] => [this.cluster().proxy, ...this.cluster().apis.map((api) => api.url)];

  runUrl = (base: string, runId: string): string => `${base}/workflows/${this.workflowId}/runs/${runId}`;

  eventsUrl = (base: string, runId: string): string => `${this.runUrl(base, runId)}/events`;

  /** Starts a run in the background through `base`: 202, PENDING, its id. */
  start = async (base: string, fields: Record<string, string> = {}): Promise<string> => {
    const response = await postForm(`${base}/workflows/${this.workflowId}/runs`, { stream: 'false', background: 'true', ...fields });
    const body = (await response.json()) as { run_id: string; status: string };
    assert.equal(response.status, 202, JSON.stringify(body));
    assert.equal(body.status, 'PENDING');
    return body.run_id;
  };

  /** A run's whole log from `base`'s `/events` (an ended run: log events only, then the stream ends). */
  readLog = async (base: string, runId: string): Promise<RunEvent[]> => {
    const response = await fetch(this.eventsUrl(base, runId));
    assert.equal(response.status, 200, `${this.eventsUrl(base, runId)}: ${response.status}`);
    const { events } = await readFrames(response, Infinity, 60_000);
    return events;
  };

  /** GETs the run through `base` until its status is `status`. */
  pollUntilStatus = (base: string, runId: string, status: string, timeoutMs = 120_000): Promise<Record<string, unknown>> =>
    waitUntil(
      `${this.runUrl(base, runId)} to be ${status}`,
      async () => {
        const body = (await (await fetch(this.runUrl(base, runId))).json()) as Record<string, unknown>;
        return body.status === status && body;
      },
      { timeoutMs, intervalMs: 250 },
    );

  /**
   * Through the proxy and on each API directly: the same status (and content), the same log,
   * gapless from 0 and ended by `terminal`; the run read (GET) carries that log too.
   */
  assertSameEverywhere = async (runId: string, status: string, terminal: string): Promise<RunEvent[]> => {
    const bases = this.bases();
    const reads = await Promise.all(bases.map(async (base) => (await fetch(this.runUrl(base, runId))).json() as Promise<Record<string, unknown>>));
    const logs = await Promise.all(bases.map((base) => this.readLog(base, runId)));
    const [log] = logs;
    assert.deepEqual(log!.map((event) => event.event_index), [...log!.keys()], 'the log is gapless from 0');
    assert.equal(log!.at(-1)?.event, terminal, 'the log ends with the run');
    bases.forEach((base, i) => {
      assert.equal(reads[i]!.status, status, `${base}: status`);
      assert.deepEqual(logs[i], log, `${base}: the same log`);
      assert.equal(reads[i]!.content, reads[0]!.content, `${base}: the same content`);
      if (reads[i]!.events_truncated !== true) {
        assert.deepEqual((reads[i]!.events as RunEvent[]).map((event) => event.event_index), [...log!.keys()], `${base}: GET carries the log`);
      }
    });
    return log!;
  };
}
