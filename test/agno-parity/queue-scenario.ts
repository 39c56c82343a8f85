/**
 * The scenario of the queue's operator routes (Agno's `/queue/jobs` and `/queue/stats`, ours at
 * the root): the stats of an idle queue, a background run drained to its end and read as a job
 * (listed, by its id, filtered by its session and status), the refusals (an unknown job, an
 * unknown status, the requeue of a completed job), and a cancelled run requeued.
 */
import type { FakeOpenAI } from '../fakes/openai.ts';
import { waitUntil } from '../support/wait.ts';
import { INPUT, WORKFLOW, ended, newScenarioTag, runIdOf, runPath, runs, sessionOf, startSlowRun } from './scenario-parts.ts';
import type { Json, Wire } from './wire.ts';

/** `prefix`: where the server serves the queue's routes (AgentOS: `/queue`; ours: the root). */
export async function runQueueScenario(wire: Wire, openai: FakeOpenAI, prefix: string): Promise<void> {
  newScenarioTag();
  const jobs = `${prefix}/jobs`;
  const job = (id: string) => `${jobs}/${encodeURIComponent(id)}`;
  await wire.send('stats: idle', 'GET', `${prefix}/stats`);

  const session = sessionOf('queue');
  const start = await wire.send('jobs: background start', 'POST', runs(WORKFLOW), { form: { message: INPUT, stream: 'false', background: 'true', session_id: session } });
  const runId = runIdOf(start.body, 'jobs: background start');
  // The run's read is compared in parity.test.ts: here it is only waited for.
  await waitUntil(`${wire.name}: the background run to end`, async () => ended(((await wire.request('jobs: the run', 'GET', runPath(WORKFLOW, runId), { query: { session_id: session } })).body ?? {}) as Json), {
    timeoutMs: 90_000,
    intervalMs: 250,
  });
  // The run's end and its job's are written apart (Agno's worker settles the ticket after the run's row).
  await wire.poll('jobs: the job', job(runId), {}, (body) => body.status === 'completed');
  await wire.send('jobs: list of its session', 'GET', jobs, { query: { session_id: session } });
  await wire.send('jobs: list of completed ones', 'GET', jobs, { query: { session_id: session, status: 'completed', limit: '5' } });
  await wire.send('jobs: unknown', 'GET', job('no-such-job'));
  await wire.send('jobs: list with an unknown status', 'GET', jobs, { query: { status: 'sleeping' } });
  await wire.send('jobs: requeue a completed one', 'POST', `${job(runId)}/requeue`);

  const cancelSession = sessionOf('queue-cancel');
  const slowId = await startSlowRun(wire, openai, 'jobs: start a slow run', cancelSession);
  await wire.send('jobs: cancel the slow run', 'POST', `${runPath(WORKFLOW, slowId)}/cancel`, { query: { session_id: cancelSession } });
  await wire.poll('jobs: the cancelled job', job(slowId), {}, (body) => body.status === 'cancelled');
  const requeued = await wire.send('jobs: requeue the cancelled one', 'POST', `${job(slowId)}/requeue`, { query: { clear_cancellation: 'true' } });
  const requeuedId = String((requeued.body as Json | undefined)?.id);
  await wire.poll('jobs: the requeued job ended', job(requeuedId), {}, (body) => ['completed', 'failed', 'cancelled'].includes(String(body.status)));
  await wire.send('stats: after', 'GET', `${prefix}/stats`);
}
