/**
 * Agno's own Python client (`agno.client.AgentOSClient`) drives the app's agents and team on
 * their own: lists and reads them, runs each without streaming (`run_agent`, `run_team`: Agno's
 * `RunOutput`, `TeamRunOutput`) and with (`run_agent_stream`, `run_team_stream`), parsing every
 * answer and frame into its own classes. Skips, loudly, without agno in `.tools/agno-venv`;
 * fails instead in CI.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agents, teams, workflows } from '../../../src/app/index.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { agnoMissing, runAgnoScript } from '../../support/agno-python.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import { skipWithoutTool } from '../../support/ci.ts';
import { contentCreationReply, FINANCE_SUMMARY, RESEARCH_SUMMARY } from '../../support/content-creation-script.ts';

interface Output { class: string; run_id: string; session_id: string; status: string; content: unknown; tools: string[]; member_responses: string[] }
interface Event { event: string | null; class: string; event_index: number | null; run_id: string | null; parent_run_id: string | null; content: unknown }
interface AgnoResult {
  errors: { where: string; type: string; message: string }[];
  logged?: { level: string; message: string }[];
  agents?: string[];
  agent?: string;
  teams?: string[];
  team?: string;
  agent_run?: Output;
  agent_stream?: Event[];
  team_run?: Output;
  team_stream?: Event[];
}

test("Agno's AgentOSClient lists, runs and streams an agent and a team", { timeout: 240_000 }, async (t) => {
  const skip = skipWithoutTool("Agno's own client against our agent and team routes (test/server/agents/agno-client.test.ts)", await agnoMissing());
  if (skip) return t.skip(skip);

  const h = await startApiHarness(workflows, { runnables: servedRunnables({ agents, teams }) });
  t.after(() => h.close());
  h.openai.setHandler(contentCreationReply);

  const result = await runAgnoScript<AgnoResult>('drive_runnables.py', [h.api.url, 'finance-agent', 'research-team'], 180_000);
  const context = JSON.stringify({ errors: result.errors, logged: result.logged }, null, 2);
  assert.deepEqual(result.errors, [], `the client raised:\n${context}`);
  assert.deepEqual(result.logged, [], `the client logged (parse errors, skipped frames):\n${context}`);

  assert.deepEqual(result.agents, ['content-planner', 'finance-agent', 'hackernews-agent']);
  assert.equal(result.agent, 'Finance Agent');
  assert.deepEqual(result.teams, ['research-team']);
  assert.equal(result.team, 'Research Team');

  assert.equal(result.agent_run?.class, 'RunOutput');
  assert.equal(result.agent_run?.status, 'COMPLETED');
  assert.equal(result.agent_run?.content, FINANCE_SUMMARY);
  assert.equal(result.agent_run?.session_id, 'agno-agent-1');
  assert.deepEqual(result.agent_run?.tools, ['get_current_stock_price']);

  const agentStream = result.agent_stream ?? [];
  const agentNames = agentStream.map((e) => e.event);
  assert.equal(agentNames[0], 'RunStarted', agentNames.join(' '));
  assert.equal(agentNames.at(-1), 'RunCompleted', agentNames.join(' '));
  assert.equal(agentStream.at(-1)?.content, FINANCE_SUMMARY);
  const agentClasses = new Map(agentStream.map((e) => [e.event, e.class]));
  assert.equal(agentClasses.get('RunStarted'), 'agno.run.agent.RunStartedEvent');
  assert.equal(agentClasses.get('ToolCallCompleted'), 'agno.run.agent.ToolCallCompletedEvent');
  assert.equal(agentClasses.get('RunCompleted'), 'agno.run.agent.RunCompletedEvent');
  assert.equal(new Set(agentStream.map((e) => e.run_id)).size, 1, 'one run id');

  assert.equal(result.team_run?.class, 'TeamRunOutput');
  assert.equal(result.team_run?.status, 'COMPLETED');
  assert.equal(result.team_run?.content, RESEARCH_SUMMARY);
  assert.deepEqual(result.team_run?.member_responses, ['RunOutput', 'RunOutput']);

  const teamStream = result.team_stream ?? [];
  const teamNames = teamStream.map((e) => e.event);
  assert.equal(teamNames[0], 'TeamRunStarted', teamNames.join(' '));
  assert.equal(teamNames.at(-1), 'TeamRunCompleted', teamNames.join(' '));
  const teamClasses = new Map(teamStream.map((e) => [e.event, e.class]));
  assert.equal(teamClasses.get('TeamRunStarted'), 'agno.run.team.RunStartedEvent');
  assert.equal(teamClasses.get('TeamToolCallStarted'), 'agno.run.team.ToolCallStartedEvent');
  // The members' events, parsed as agent events, name the team's run as their parent.
  const teamRunId = teamStream[0]?.run_id;
  const members = teamStream.filter((e) => e.event === 'RunStarted');
  assert.equal(members.length, 2);
  for (const member of members) {
    assert.equal(member.class, 'agno.run.agent.RunStartedEvent');
    assert.equal(member.parent_run_id, teamRunId);
  }
});
