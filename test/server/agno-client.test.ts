/**
 * Agno's own Python client (`agno.client.AgentOSClient`, pinned in scripts/setup.sh) drives the
 * server: it lists the workflows, runs one without and with streaming, and parses every answer
 * into its own classes. Skips, loudly, when `.tools/agno-venv` has no agno; fails instead in CI
 * (test/support/ci.ts), where a skipped compatibility check would pass unnoticed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { agnoMissing, runAgnoScript } from '../support/agno-python.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';

interface StreamedEvent { event: string | null; class: string; event_index: number | null; run_id: string | null; content: unknown }
interface AgnoResult {
  agno_version?: string;
  errors: { where: string; type: string; message: string; traceback: string }[];
  workflows?: { id: string; name: string }[];
  workflow?: { id: string; name: string; steps: unknown };
  run?: { class: string; run_id: string; session_id: string; workflow_id: string; status: string; content: unknown; step_results: { step_name: string; content: unknown }[] };
  stream?: StreamedEvent[];
  logged?: { level: string; message: string }[];
}

test("Agno's AgentOSClient lists, runs and streams a workflow", { timeout: 240_000 }, async (t) => {
  const skip = skipWithoutTool("Agno's own client against our API (test/server/agno-client.test.ts)", await agnoMissing());
  if (skip) return t.skip(skip);

  const h = await startApiHarness([contentCreationWorkflow]);
  t.after(() => h.close());
  h.openai.setHandler(contentCreationReply);

  const result = await runAgnoScript<AgnoResult>('drive_workflow.py', [h.api.url, 'content-creation-workflow'], 180_000);
  const context = JSON.stringify({ errors: result.errors, logged: result.logged }, null, 2);

  assert.deepEqual(result.errors, [], `the client raised:\n${context}`);
  assert.deepEqual(result.logged, [], `the client logged (parse errors, skipped frames):\n${context}`);

  // Discovery: Agno's pydantic response models accept ours.
  assert.deepEqual(result.workflows, [{ id: 'content-creation-workflow', name: 'Content Creation Workflow' }]);
  assert.equal(result.workflow?.id, 'content-creation-workflow');
  assert.equal(result.workflow?.name, 'Content Creation Workflow');

  // Non-streaming: WorkflowRunOutput.from_dict of our run.
  assert.equal(result.run?.class, 'WorkflowRunOutput');
  assert.equal(result.run?.status, 'COMPLETED');
  assert.equal(result.run?.content, CONTENT_PLAN);
  assert.equal(result.run?.workflow_id, 'content-creation-workflow');
  assert.equal(result.run?.session_id, 'agno-client-1');
  assert.deepEqual(result.run?.step_results.map((s) => s.step_name), ['Research Step', 'Content Planning Step']);
  assert.equal(result.run?.step_results[1]?.content, CONTENT_PLAN);

  // Streaming: every frame became one of Agno's event classes, in order, none skipped.
  const stream = result.stream ?? [];
  const names = stream.map((e) => e.event);
  assert.equal(names[0], 'WorkflowStarted', names.join(' '));
  assert.equal(names.at(-1), 'WorkflowCompleted', names.join(' '));
  // The run's log, gapless; live text frames (RunContentEvent without event_index) come between its events.
  const logged = stream.filter((e) => e.event_index !== null);
  assert.deepEqual(logged.map((e) => e.event_index), logged.map((_, i) => i), 'event_index is 0, 1, 2, ... with no gap');
  for (const name of ['StepStarted', 'StepCompleted', 'TeamRunStarted', 'TeamToolCallStarted', 'TeamToolCallCompleted', 'RunStarted', 'ToolCallStarted', 'ToolCallCompleted', 'RunContent', 'RunCompleted', 'TeamRunCompleted']) {
    assert.ok(names.includes(name), `no ${name} in ${names.join(' ')}`);
  }
  const classes = new Map(stream.map((e) => [e.event, e.class]));
  assert.equal(classes.get('WorkflowStarted'), 'agno.run.workflow.WorkflowStartedEvent');
  assert.equal(classes.get('StepCompleted'), 'agno.run.workflow.StepCompletedEvent');
  assert.equal(classes.get('TeamToolCallStarted'), 'agno.run.team.ToolCallStartedEvent');
  assert.equal(classes.get('RunContent'), 'agno.run.agent.RunContentEvent');
  assert.equal(classes.get('WorkflowCompleted'), 'agno.run.workflow.WorkflowCompletedEvent');
  assert.equal(stream.at(-1)?.content, CONTENT_PLAN);
  const runIds = new Set(stream.filter((e) => e.class.startsWith('agno.run.workflow.')).map((e) => e.run_id));
  assert.equal(runIds.size, 1, `workflow events carry one run_id: ${[...runIds].join(', ')}`);
  assert.notEqual(stream[0]?.run_id, result.run?.run_id, 'the streamed run is a new run');
});
