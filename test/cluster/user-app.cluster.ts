/**
 * A user's own workflows on the production topology (./support/cluster.ts), its workers and APIs
 * started as a user's app is (`node app.ts worker|api`, ./support/user-app/): a step waiting for
 * a person, paused on one API and continued through the other; a tool returning 10 MB, through
 * S3; a run continued as new several times. Each run checked through the proxy and on each API,
 * as in ./content-creation.cluster.ts.
 *
 * Run by `npm run test:cluster`.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runPrefix } from '../../src/data-plane/blob-keys.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { StreamReader } from '../live/support/stream-reader.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { waitUntil } from '../support/wait.ts';
import { clusterMissing, startCluster } from './support/cluster.ts';
import type { Cluster } from './support/cluster.ts';
import { ClusterRuns } from './support/cluster-runs.ts';
import { approval, chain, LINKS, MB, REPORT, REPORT_ANSWER, reportReader } from './support/user-app/workflows.ts';

const APP = fileURLToPath(new URL('./support/user-app/app.ts', import.meta.url));
const skip = skipWithoutTool('the cluster suite (test/cluster/)', clusterMissing());
let cluster: Cluster;

describe("a user's own workflows on a Temporal cluster behind nginx", { skip }, () => {
  before(async () => {
    cluster = await startCluster({ name: 'user-app', app: APP });
  });
  after(async () => {
    await cluster?.close();
  });

  it('a step waiting for a person pauses on both APIs, is continued through the other, and the run completes the same everywhere', async () => {
    const runs = new ClusterRuns(() => cluster, approval.id);
    const [first, second] = cluster.apis as [(typeof cluster.apis)[0], (typeof cluster.apis)[0]];
    const runId = await runs.start(first.url, { message: 'the launch post' });
    await runs.pollUntilStatus(first.url, runId, 'PAUSED');
    for (const base of runs.bases()) {
      const paused = (await (await fetch(runs.runUrl(base, runId))).json()) as { status: string; step_requirements?: { step_id: string }[] };
      assert.equal(paused.status, 'PAUSED', `${base}: paused`);
      assert.deepEqual(paused.step_requirements?.map((requirement) => requirement.step_id), ['publish'], `${base}: waits for the Publish step's confirmation`);
    }
    // A client follows the run on the first API while the answer comes through the second.
    const reader = new StreamReader();
    const following = reader.read(runs.eventsUrl(first.url, runId));
    const answered = await fetch(`${runs.runUrl(second.url, runId)}/continue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ step_requirements: [{ step_id: 'publish', confirmed: true }], stream: false }),
    });
    const output = (await answered.json()) as { status: string; content?: string };
    assert.equal(answered.status, 200, JSON.stringify(output));
    assert.equal(output.status, 'COMPLETED');
    await following;
    assert.ok(reader.ended, 'the stream on the first API ended');
    const log = await runs.assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
    assert.deepEqual(reader.log.map((event) => event.event_index), [...log.keys()], 'the follower got every log event once, in order');
    assert.ok(log.some((event) => event.event === 'WorkflowPaused'), 'the log says the run paused');
    assert.match(output.content ?? '', /^published /, 'the confirmed step ran');
  });

  it('a tool returning 10 MB: the run completes through S3, the model gets all of it, both APIs agree', async () => {
    const runs = new ClusterRuns(() => cluster, reportReader.id);
    cluster.openai.reset();
    cluster.openai.setHandler((req) => (req.toolResults.length > 0 ? { kind: 'text', text: REPORT_ANSWER } : { kind: 'tool_calls', calls: [{ name: 'big_report', arguments: {} }] }));
    const runId = await runs.start(cluster.proxy, { message: 'Read the report' });
    const done = await runs.pollUntilStatus(cluster.proxy, runId, 'COMPLETED', 180_000);
    assert.equal(done.content, REPORT_ANSWER);
    const delivered = cluster.openai.requests.at(-1)?.toolResults[0]?.output ?? '';
    assert.equal(delivered.length, REPORT.length, 'the model got the 10 MB');
    assert.ok(delivered === REPORT, 'the model got the report unchanged');
    await runs.assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
    // The bytes went to the shared blob store, not through Temporal.
    const blobs = openBlobStore(dataPlaneConfigFromEnv(cluster.env));
    let stored = 0;
    for await (const blob of blobs.list(runPrefix(cluster.temporal.namespace, runId))) stored += blob.size;
    assert.ok(stored >= 10 * MB, `${stored} bytes in S3 for the run`);
  });

  it('a run continued as new several times is one run: one gapless log, the same everywhere', async () => {
    const runs = new ClusterRuns(() => cluster, chain.id);
    const runId = await runs.start(cluster.proxy, { message: 'start' });
    await runs.pollUntilStatus(cluster.proxy, runId, 'COMPLETED', 180_000);
    const log = await runs.assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
    assert.equal(log.filter((event) => event.event === 'WorkflowStarted').length, 1, 'started once');
    const links = log.filter((event) => event.event === 'StepCompleted' && event.step_name === 'Link');
    assert.equal(links.length, LINKS, 'every iteration once');
    // Temporal ran it as a chain of executions under the run's id (SQL visibility lists each once it is recorded).
    const executions = await waitUntil('visibility to list the ended chain', async () => {
      const statuses: string[] = [];
      for await (const execution of cluster.client.workflow.list({ query: `WorkflowId = '${runId}'` })) statuses.push(execution.status.name);
      return statuses.includes('COMPLETED') && statuses;
    });
    assert.ok(executions.filter((status) => status === 'CONTINUED_AS_NEW').length >= 2, `a chain of executions: ${executions.join(', ')}`);
    assert.equal(executions.filter((status) => status === 'COMPLETED').length, 1, `one of them completed: ${executions.join(', ')}`);
  });
});
