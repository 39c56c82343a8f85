/**
 * Agno's own Python client (`agno.client.AgentOSClient`) pauses and continues an agent's run at a
 * tool that asks for confirmation: `run_agent` gets the paused `RunOutput`, `continue_agent_run`
 * with the call confirmed the completed one; `run_agent_stream` ends at `RunPausedEvent`, and
 * `continue_agent_run_stream` with the call rejected streams the rest. Skips, loudly, without
 * agno in `.tools/agno-venv`; fails instead in CI.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { agnoMissing, runAgnoScript } from '../../support/agno-python.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import { skipWithoutTool } from '../../support/ci.ts';
import { desk, deskScript, toolRuns } from './support/desk-agent.ts';

interface Output { class: string; status: string; content: string; tools: { name: string; requires_confirmation: boolean | null; confirmed: boolean | null }[]; requirements: number }
interface Event { event: string; class: string; content: unknown }
interface AgnoResult {
  errors: { where: string; type: string; message: string }[];
  logged?: { level: string; message: string }[];
  paused?: Output;
  continued?: Output;
  paused_stream?: Event[];
  continued_stream?: Event[];
}

test("Agno's AgentOSClient pauses an agent's run at a tool and continues it", { timeout: 240_000 }, async (t) => {
  const skip = skipWithoutTool("Agno's own client against a paused agent run (test/server/agents/agno-client-pauses.test.ts)", await agnoMissing());
  if (skip) return t.skip(skip);

  const h = await startApiHarness([], { runnables: servedRunnables({ agents: [desk] }) });
  t.after(() => h.close());
  h.openai.setHandler(deskScript);

  const result = await runAgnoScript<AgnoResult>('drive_paused_agent.py', [h.api.url, 'desk'], 180_000);
  const context = JSON.stringify({ errors: result.errors, logged: result.logged }, null, 2);
  assert.deepEqual(result.errors, [], `the client raised:\n${context}`);
  assert.deepEqual(result.logged, [], `the client logged (parse errors, skipped frames):\n${context}`);

  assert.equal(result.paused?.class, 'RunOutput');
  assert.equal(result.paused?.status, 'PAUSED');
  assert.equal(result.paused?.content, 'I have tools to execute, but I need confirmation.');
  assert.deepEqual(result.paused?.tools, [{ name: 'delete_file', requires_confirmation: true, confirmed: null }]);
  assert.equal(result.paused?.requirements, 1);
  assert.equal(result.continued?.status, 'COMPLETED');
  assert.equal(result.continued?.content, 'Done: Deleted notes.txt');

  const pausedStream = result.paused_stream ?? [];
  assert.equal(pausedStream.at(-1)?.class, 'RunPausedEvent', pausedStream.map((e) => e.event).join(' '));
  const continued = result.continued_stream ?? [];
  assert.equal(continued[0]?.class, 'RunContinuedEvent', continued.map((e) => e.event).join(' '));
  assert.equal(continued.at(-1)?.class, 'RunCompletedEvent');
  assert.equal(continued.at(-1)?.content, 'Done: Function call was rejected by the user');
  assert.deepEqual(toolRuns.map((run) => run.tool), ['delete_file'], 'the confirmed call ran, the rejected one did not');
});
