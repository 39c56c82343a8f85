/**
 * What answering a paused run writes to its history, by the `continue` signal (what the engine
 * sent before, and what the Web UI still sends) and by the `answer` update (what the engine sends
 * now): one answer, and N answers racing for the same question. Counts the history events of a
 * two-step run (a function step, then a step asking for confirmation) from start to end.
 *
 *   node bench/approval-history.ts [--callers 20]
 */
import { parseArgs } from 'node:util';
import { continueSignal } from '../src/contracts/run-workflow-api.ts';
import { Step } from '../src/definitions/step.ts';
import type { StepInput } from '../src/definitions/step.ts';
import { RunConflictError } from '../src/engine/errors.ts';
import { Workflow } from '../src/os/workflow.ts';
import { startHarness } from '../test/support/harness.ts';
import { waitUntil } from '../test/support/wait.ts';
import { printMachine, printTable } from './stats.ts';

const { values } = parseArgs({ options: { callers: { type: 'string', default: '20' } } });
const callers = Number(values.callers);

const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});

printMachine();
const h = await startHarness();
const rows: Record<string, string | number>[] = [];
try {
  await h.startWorker([approval]);
  const measure = async (how: string, answers: number, send: (runId: string, confirmed: boolean) => Promise<unknown>) => {
    const run = await approval.arun({ input: 'news', engine: h.engine, background: true });
    await waitUntil(`run ${run.run_id} to pause`, async () => (await h.engine.getRun(run.run_id))?.status === 'PAUSED', { timeoutMs: 60_000 });
    let refused = 0;
    await Promise.all(
      Array.from({ length: answers }, (_, i) =>
        send(run.run_id, i % 2 === 0).catch((err: unknown) => {
          if (!(err instanceof RunConflictError)) throw err;
          refused++;
        }),
      ),
    );
    const done = await h.engine.waitForRun(run.run_id);
    if (done.status !== 'COMPLETED') throw new Error(`run ${run.run_id} ended ${done.status}: ${done.error}`);
    const events = (await h.engine.client.workflow.getHandle(run.run_id).fetchHistory()).events ?? [];
    const count = (has: (event: (typeof events)[number]) => unknown) => events.filter(has).length;
    rows.push({
      answers: `${answers} by ${how}`,
      'told refused': refused,
      'history events': events.length,
      signaled: count((e) => e.workflowExecutionSignaledEventAttributes),
      'update accepted': count((e) => e.workflowExecutionUpdateAcceptedEventAttributes),
      'update completed': count((e) => e.workflowExecutionUpdateCompletedEventAttributes),
      'workflow tasks': count((e) => e.workflowTaskCompletedEventAttributes),
    });
  };
  const bySignal = (runId: string, confirmed: boolean) => h.engine.client.workflow.getHandle(runId).signal(continueSignal, [{ step_id: 'publish', confirmed }]);
  const byUpdate = (runId: string, confirmed: boolean) => h.engine.continueRun(runId, [{ step_id: 'publish', confirmed }]);
  await measure('signal', 1, bySignal);
  await measure('signal', callers, bySignal);
  await measure('update', 1, byUpdate);
  await measure('update', callers, byUpdate);
  printTable(rows);
} finally {
  await h.close();
}
