/**
 * The agent and team routes' part of the parity scenario: discovery, an agent run without and
 * with streaming, one in the background polled to its end, a read with another session, cancels
 * of a finished and an unknown run, a team run without and with streaming, and the sessions of
 * those agent and team runs (detail, runs, one run; `type=agent` / `team`). Both servers serve
 * the finance agent and the research team on their own (agno_os.py; ours: `AgentOS({ agents, teams })`).
 */
import { ended, INPUT, runIdOf, sessionOf } from './scenario-parts.ts';
import type { Json, Wire } from './wire.ts';

export const AGENT = 'finance-agent';
export const TEAM = 'research-team';
/** Its tool asks a person first (agno_os.py's `trade_desk`, ours in trade-desk.ts). */
export const PAUSING_AGENT = 'trade-desk';
/** Its member is the trade desk: the team's run pauses at the desk's tool. */
export const PAUSING_TEAM = 'trading-team';
const AGENT_INPUT = 'What does NVDA trade at?';
const TEAM_INPUT = INPUT;

export async function runAgentScenario(wire: Wire): Promise<void> {
  await wire.send('agents: list', 'GET', '/agents');
  await wire.send('agents: detail', 'GET', `/agents/${AGENT}`);
  await wire.send('agents: unknown', 'GET', '/agents/no-such-agent');
  await wire.send('teams: list', 'GET', '/teams');
  await wire.send('teams: detail', 'GET', `/teams/${TEAM}`);

  const agentRuns = `/agents/${AGENT}/runs`;
  const sync = sessionOf('agent-sync');
  const run = await wire.send('agents: run', 'POST', agentRuns, { form: { message: AGENT_INPUT, stream: 'false', session_id: sync } });
  const runId = runIdOf(run.body, 'agents: run');
  await wire.send('agents: read with its session', 'GET', `${agentRuns}/${runId}`, { query: { session_id: sync } });
  await wire.send('agents: read with another session', 'GET', `${agentRuns}/${runId}`, { query: { session_id: sessionOf('agent-other') } });
  await wire.send('agents: stream', 'POST', agentRuns, { form: { message: AGENT_INPUT, stream: 'true', stream_events: 'true', session_id: sessionOf('agent-stream') } });
  const background = sessionOf('agent-background');
  const start = await wire.send('agents: background start', 'POST', agentRuns, { form: { message: AGENT_INPUT, stream: 'false', background: 'true', session_id: background } });
  await wire.poll('agents: background poll until ended', `${agentRuns}/${runIdOf(start.body, 'agents: background start')}`, { session_id: background }, ended);
  await wire.send('agents: cancel a finished run', 'POST', `${agentRuns}/${runId}/cancel`, { query: { session_id: sync } });

  await runPausedAgentScenario(wire);
  await runPausedTeamScenario(wire);

  const teamRuns = `/teams/${TEAM}/runs`;
  const teamSync = sessionOf('team-sync');
  const teamRun = await wire.send('teams: run', 'POST', teamRuns, { form: { message: TEAM_INPUT, stream: 'false', session_id: teamSync } });
  await wire.send('teams: stream', 'POST', teamRuns, { form: { message: TEAM_INPUT, stream: 'true', stream_events: 'true', session_id: sessionOf('team-stream') } });

  await sessionsOf(wire, 'agent', sync, runId);
  await sessionsOf(wire, 'team', teamSync, runIdOf(teamRun.body, 'teams: run'));
}

/** An agent's or team's session as AgentOS shows it: its detail, its runs, one of them. */
async function sessionsOf(wire: Wire, type: 'agent' | 'team', sessionId: string, runId: string): Promise<void> {
  const query = { type };
  await wire.send(`${type} sessions: detail`, 'GET', `/sessions/${sessionId}`, { query });
  await wire.send(`${type} sessions: runs`, 'GET', `/sessions/${sessionId}/runs`, { query });
  await wire.send(`${type} sessions: one run`, 'GET', `/sessions/${sessionId}/runs/${runId}`, { query });
}

/** The tool calls a paused run waits on, answered: Agno's `tools` form field. */
function answered(tools: unknown, answer: Json): string {
  if (!Array.isArray(tools) || tools.length === 0) throw new Error(`no paused tools in ${JSON.stringify(tools)?.slice(0, 500)}`);
  return JSON.stringify((tools as Json[]).map((tool) => ({ ...tool, ...answer })));
}

/** An agent whose tool needs confirmation: paused and confirmed (waited for), paused and rejected (streamed). */
async function runPausedAgentScenario(wire: Wire): Promise<void> {
  const deskRuns = `/agents/${PAUSING_AGENT}/runs`;
  const waited = sessionOf('agent-paused');
  const paused = await wire.send('agents: run paused at a tool', 'POST', deskRuns, { form: { message: 'Buy 10 NVDA', stream: 'false', session_id: waited } });
  const pausedId = runIdOf(paused.body, 'agents: run paused at a tool');
  await wire.send('agents: read a paused run', 'GET', `${deskRuns}/${pausedId}`, { query: { session_id: waited } });
  const confirmed = answered((paused.body as Json).tools, { confirmed: true });
  await wire.send('agents: continue confirmed', 'POST', `${deskRuns}/${pausedId}/continue`, { form: { tools: confirmed, session_id: waited, stream: 'false' } });

  const streamed = sessionOf('agent-paused-stream');
  const stream = await wire.send('agents: stream paused at a tool', 'POST', deskRuns, { form: { message: 'Buy 10 NVDA', stream: 'true', stream_events: 'true', session_id: streamed } });
  const pause = stream.events?.find((event) => event.name === 'RunPaused')?.data;
  const streamId = runIdOf(pause, 'agents: stream paused at a tool');
  const rejected = answered(pause?.tools, { confirmed: false });
  await wire.send('agents: continue rejected, streamed', 'POST', `${deskRuns}/${streamId}/continue`, { form: { tools: rejected, session_id: streamed, stream: 'true' } });
}

/** A team whose member's tool needs confirmation: paused, read, and continued with Agno's `requirements` (waited for). */
async function runPausedTeamScenario(wire: Wire): Promise<void> {
  const teamRuns = `/teams/${PAUSING_TEAM}/runs`;
  const session = sessionOf('team-paused');
  const paused = await wire.send('teams: run paused at a member’s tool', 'POST', teamRuns, { form: { message: 'Buy 10 NVDA', stream: 'false', session_id: session } });
  const pausedId = runIdOf(paused.body, 'teams: run paused at a member’s tool');
  await wire.send('teams: read a paused run', 'GET', `${teamRuns}/${pausedId}`, { query: { session_id: session } });
  const requirements = (paused.body as Json).requirements;
  if (!Array.isArray(requirements) || requirements.length === 0) throw new Error(`no requirements in ${JSON.stringify(paused.body)?.slice(0, 500)}`);
  const confirmed = JSON.stringify((requirements as Json[]).map((requirement) => ({ ...requirement, confirmation: true })));
  await wire.send('teams: continue confirmed', 'POST', `${teamRuns}/${pausedId}/continue`, { form: { requirements: confirmed, session_id: session, stream: 'false' } });
}
