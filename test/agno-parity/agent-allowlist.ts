/**
 * The accepted differences of the agent and team routes (agent-scenario.ts), each with its
 * reason; parity.test.ts puts them first in its allowlist.
 */
import type { Allowed } from './allowlist.ts';

const DESCRIBED = /^(agents|teams): (list|detail)$/;
/** The exchanges of the agent whose tool asks a person first, and of the team whose member's does (agent-scenario.ts). */
const PAUSED = /^(agents|teams): (run paused|read a paused|stream paused|continue)/;
/** The team's alone. */
const TEAM_PAUSED = /^teams: (run paused|read a paused|continue)/;

export const AGENT_ALLOWLIST: Allowed[] = [
  {
    why: 'extension',
    kind: 'extra',
    path: '**tools.tools[].*',
    label: DESCRIBED,
    reason: 'tools show their description and full JSON schema from the plan, as a workflow’s detail shows its steps’ (Agno’s list and detail show them with empty parameters)',
  },
  {
    why: 'by design',
    kind: 'missing',
    path: '**sessions',
    label: DESCRIBED,
    reason: 'Agno names the database table its agent’s sessions are kept in; here sessions are the runs of the run store, which `db_id` names',
  },
  ...['**tools[].metrics', '**tool_execution.metrics'].map(
    (path): Allowed => ({
      why: 'extension',
      kind: 'extra',
      path,
      label: PAUSED,
      reason: 'a confirmed call has its times like every other call (also in the requirement that shows it); Agno’s continue leaves them out',
    }),
  ),
  {
    why: 'by design',
    kind: 'missing',
    path: '**metrics.time_to_first_token',
    label: PAUSED,
    reason: 'time to first token is of the first text streamed: a run paused after an answer of tool calls only has none yet; Agno times the first chunk of any kind',
  },
  {
    why: 'by design',
    kind: 'missing',
    path: 'events',
    label: PAUSED,
    reason: 'a run read back or continued and waited for has no `events` list, as an agent’s run waited for (its log is the run’s, read with `/resume`); Agno lists the events it stored of the run (none for a continue not streamed)',
  },
  {
    why: 'by design',
    kind: 'extra',
    path: 'RunContent.content',
    label: PAUSED,
    reason: 'the chunk that starts each model answer has an empty `content`; Agno leaves it out when the answer is tool calls only (seen here because the stream pauses before any text)',
  },
  {
    why: 'by design',
    kind: 'missing',
    path: 'session_state',
    label: TEAM_PAUSED,
    reason: 'a team’s own run shows no `session_state`, paused or not, as Agno’s finished team runs; Agno’s paused and continued team runs carry it',
  },
  ...['tools', 'messages[].tool_*'].map(
    (path): Allowed => ({
      why: 'by design',
      kind: 'missing',
      path,
      label: /^teams: (run paused|read a paused)/,
      reason: 'the member waits where it stands, inside the leader’s delegation, which has not ended yet (no tool result); Agno ends the delegation with “requires human input” and runs the member again on continue',
    }),
  ),
  {
    why: 'by design',
    kind: 'missing',
    path: 'member_responses[].requirements[]',
    label: TEAM_PAUSED,
    reason: 'a member’s run keeps its requirements as it asked them (its tool calls show the answers, `confirmed`); Agno copies the team’s answered requirements, with their member fields, onto it',
  },
  {
    why: 'by design',
    kind: 'value',
    path: 'content',
    label: /^teams: continue/,
    reason: 'the leader goes on with the delegation’s result, the member’s answer, as after any delegation; Agno runs the leader again with “Member results after human-in-the-loop resolution”',
  },
  {
    why: 'by design',
    kind: 'missing',
    path: '[].members[].db_id',
    label: /^teams: list$/,
    reason: 'a team’s member shows no `db_id`: its runs are kept inside its team’s run, in the team’s store; Agno names the member’s own database when it has one (the trade desk, served on its own too)',
  },
];
