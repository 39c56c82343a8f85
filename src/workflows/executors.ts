/**
 * Agents and teams run in the run's own workflow (not as child workflows): one history and one
 * event log per run keep `event_index` ordering trivial. See docs/adr/0001-members-in-parent-workflow.md.
 */
import { uuid4 } from '@temporalio/workflow';
import type { AgentPlan, MemberPlan, TeamPlan } from '../contracts/plan.ts';
import type { ExecutorRunFields, ExecutorRunRecord } from '../contracts/events.ts';
import type { ModelToolCall, SessionHistoryInput } from '../contracts/activities.ts';
import type { ExecutionContext, ToolOutcome, TurnCheckpoints } from './context.ts';
import { runModelLoop } from './model-loop.ts';
import { agentInstructions, delegationTool, teamInstructions } from './prompts.ts';
import { callToolOnce, withinToolCall } from './reused-calls.ts';

function within(ctx: ExecutionContext, name: string): ExecutionContext {
  return { ...ctx, path: [...ctx.path, name] };
}

/** Agno's identity fields of an executor's events: its own run id, the workflow run, the delegating team's run. */
function executorFields(ctx: ExecutionContext, parentRunId: string | undefined, runId?: string): ExecutorRunFields {
  const fields: ExecutorRunFields = { run_id: runId ?? uuid4(), workflow_run_id: ctx.workflowId };
  if (parentRunId !== undefined) fields.parent_run_id = parentRunId;
  return fields;
}

/** The session's earlier runs to read for an agent's or team's own run that adds them to its context. */
function historyOf(ctx: ExecutionContext, member: MemberPlan, parentRunId: string | undefined): { history?: SessionHistoryInput } {
  if (!member.history || !ctx.sessionHistory || parentRunId !== undefined) return {};
  return { history: { ...ctx.sessionHistory, runId: ctx.workflowId, runs: member.history.runs } };
}

export function runMember(ctx: ExecutionContext, member: MemberPlan, input: string, parentRunId?: string, runId?: string): Promise<string> {
  return member.kind === 'agent' ? runAgent(ctx, member, input, parentRunId, undefined, runId) : runTeam(ctx, member, input, parentRunId, runId);
}

/** `turns`: set when the agent is a top-level step's executor, so the run may continue as new between its turns. */
export function runAgent(ctx: ExecutionContext, agent: AgentPlan, input: string, parentRunId?: string, turns?: TurnCheckpoints, runId?: string): Promise<string> {
  const inner = within(ctx, agent.name);
  const known = new Set(agent.tools.map((tool) => tool.name));
  return runModelLoop(inner, {
    kind: 'agent',
    model: agent.model,
    instructions: agentInstructions(agent),
    tools: agent.tools,
    maxTurns: agent.maxTurns,
    input,
    fields: { ...executorFields(ctx, parentRunId, turns?.resume?.agentRunId ?? runId), agent_id: agent.id, agent_name: agent.name },
    ...historyOf(ctx, agent, parentRunId),
    ...(turns ? { turns } : {}),
    async executeTool(call: ModelToolCall, _args, _childRunId, at): Promise<ToolOutcome> {
      // A tool the agent does not have is the model's mistake: tell it, rather than fail the run.
      if (!known.has(call.name)) {
        return { output: `Error: ${agent.name} has no tool named ${call.name}.`, isError: true };
      }
      const result = await callToolOnce(at, call.id, { summary: `${agent.name} · tool ${call.name}` }, { toolName: call.name, arguments: call.arguments });
      return { output: result.output, isError: result.isError };
    },
  });
}

export function runTeam(ctx: ExecutionContext, team: TeamPlan, input: string, parentRunId?: string, runId?: string): Promise<string> {
  const inner = within(ctx, team.name);
  const fields = { ...executorFields(ctx, parentRunId, runId), team_id: team.id, team_name: team.name };
  const teamRunId = String(fields.run_id);
  const members = new Map(team.members.map((member) => [member.id, member]));
  const tool = delegationTool(team);
  // The members' runs end up in the team's (its `member_responses`), not among the step's.
  const memberRuns: ExecutorRunRecord[] = [];
  // Each member's calls stand under the delegation that ran it (their reuse keys, see reused-calls.ts).
  const memberCtx = (at: ExecutionContext, call: ModelToolCall, member: MemberPlan): ExecutionContext =>
    withinToolCall({ ...at, recordRun: (run) => memberRuns.push(run), sessionHistory: undefined }, call.id, member.id);
  return runModelLoop(inner, {
    kind: 'team',
    model: team.model,
    instructions: teamInstructions(team),
    tools: [tool],
    maxTurns: team.maxTurns,
    input,
    fields,
    ...historyOf(ctx, team, parentRunId),
    memberRuns,
    // A delegation to one member names the member's run; uuid4() is called exactly when a member
    // runs, where runAgent called it before, so runs recorded earlier replay with the same ids.
    childRunId(call: ModelToolCall, args: Record<string, unknown>): string | undefined {
      const delegates = call.name === tool.name && team.mode !== 'broadcast' && typeof args.task === 'string' && args.task !== '';
      return delegates && members.has(String(args.member_id)) ? uuid4() : undefined;
    },
    async executeTool(call: ModelToolCall, args: Record<string, unknown>, memberRunId: string | undefined, at: ExecutionContext): Promise<ToolOutcome> {
      if (call.name !== tool.name) return { output: `Error: the team has no tool named ${call.name}.`, isError: true };
      const task = typeof args.task === 'string' ? args.task : '';
      if (!task) return { output: 'Error: the task is missing.', isError: true };
      if (team.mode === 'broadcast') {
        const answers = await Promise.all(team.members.map((member) => runMember(memberCtx(at, call, member), member, task, teamRunId)));
        const output = team.members.map((member, i) => `Agent ${member.name}: ${answers[i]}`).join('\n\n');
        return { output, isError: false };
      }
      const member = members.get(String(args.member_id));
      if (!member) {
        return {
          output: `Member with ID ${String(args.member_id)} not found in the team. Please choose one of: ${[...members.keys()].join(', ')}.`,
          isError: true,
        };
      }
      const output = await runMember(memberCtx(at, call, member), member, task, teamRunId, memberRunId);
      return { output, isError: false, final: team.mode === 'route' };
    },
  });
}
