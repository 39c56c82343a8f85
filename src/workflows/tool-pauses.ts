/**
 * Tools that wait for a person (Agno's human in the loop): before a model's turn of tool calls
 * runs, the calls of tools that ask for a confirmation, for input or for an external result are
 * put to a person, and the run waits (durably, on an update) for the answers. What each answer
 * does to its call, as Agno does it: confirmed or given input, the tool runs (with the input);
 * rejected, it does not and the model is told; run elsewhere, the given result is the output.
 *
 * Deterministic code: `uuid4()` and `Date.now()` are the workflow's.
 */
import { uuid4 } from '@temporalio/workflow';
import type { ToolPlan } from '../contracts/plan.ts';
import type { AgentIdentity, ExecutorIdentity, ExecutorRunMetrics, ExecutorRunRecord, RunRequirement, StepFields, TeamIdentity, ToolExecution } from '../contracts/events.ts';
import type { ModelToolCall } from '../contracts/activities.ts';
import type { ExecutionContext, ToolOutcome } from './context.ts';

/** What the model is told of a rejected call (Agno's words, when the person gave no note). */
const REJECTED_CALL = 'Function call was rejected by the user';

/** A call a person answered: run it with `call` (its arguments as given), or do not and give the model `outcome`. */
export interface AnsweredCall {
  /** The call's tool execution with the person's answer, as the run records it. */
  tool: Partial<ToolExecution>;
  call?: ModelToolCall;
  outcome?: ToolOutcome;
}

/** The turn of an agent's (or team leader's) loop whose tool calls are about to run. */
export interface TurnOfTools {
  tools: ToolPlan[];
  /** The agent's events of a pause; absent for a team's leader, which has no tool that pauses (its members' pause through it: `askThroughTeam`). */
  events?: { contentCompleted: 'RunContentCompleted'; paused: 'RunPaused'; continued: 'RunContinued' };
  fields: StepFields & ExecutorIdentity;
  /** The run so far, and its metrics now: a paused run shows them. */
  record: ExecutorRunRecord;
  metrics(): ExecutorRunMetrics;
  calls: ModelToolCall[];
  parse(call: ModelToolCall): Record<string, unknown> | undefined;
}

/**
 * What a person is asked about the turn's calls: none when no call needs one. Synchronous, so
 * that a turn without such calls schedules its tools exactly as before (recorded histories replay).
 */
export function requirementsOf(turn: TurnOfTools): RunRequirement[] {
  const plans = new Map(turn.tools.map((tool) => [tool.name, tool]));
  return turn.calls.flatMap((call) => {
    const pause = plans.get(call.name)?.pause;
    const args = turn.parse(call);
    return pause && args ? [requirementOf(call, args, pause)] : [];
  });
}

/**
 * Puts the calls `asked` about (`requirementsOf`) to a person, and waits for the answers: the
 * answered calls by call id. Where nobody can be asked (an agent inside a workflow step, or in a
 * team that is), such a call is not run and the model is told why.
 */
export async function askAboutToolCalls(ctx: ExecutionContext, turn: TurnOfTools, asked: RunRequirement[]): Promise<Map<string, AnsweredCall>> {
  const { events, fields, calls, record } = turn;
  const answered = new Map<string, AnsweredCall>();
  if (!ctx.askTools || !events) {
    for (const requirement of asked) {
      const name = requirement.tool_execution.tool_name;
      answered.set(requirement.tool_execution.tool_call_id, { tool: {}, outcome: { output: `Error: ${name} waits for a person, and only an agent’s or team’s own run can ask one.`, isError: true } });
    }
    return answered;
  }
  // `events` are given for an agent's loop only: its fields are an agent's.
  const agent = fields as StepFields & AgentIdentity;
  const tools = asked.map((requirement) => requirement.tool_execution);
  const content = pausedContent(tools);
  // As Agno's: the model's answer is complete, and the run says what it waits for.
  ctx.log.emit(events.contentCompleted, agent);
  ctx.log.emit(events.paused, { ...agent, content, tools, requirements: asked });
  record.requirements = [...(record.requirements ?? []), ...asked];
  const paused: ExecutorRunRecord = { ...record, status: 'PAUSED', content, metrics: turn.metrics(), tools: [...record.tools, ...tools] };
  const answers = await ctx.askTools(asked, paused);
  ctx.log.emit(events.continued, agent);
  for (const answer of answers) answered.set(answer.tool_execution.tool_call_id, answeredCall(answer, calls));
  return answered;
}

/** The team whose members' tool calls are asked about through its own run: what its pause shows. */
export interface AskingTeam {
  fields: StepFields & TeamIdentity;
  record: ExecutorRunRecord;
  metrics(): ExecutorRunMetrics;
}

/**
 * How a team's members ask about their tool calls: through the team's own run (`ctx.askTools`),
 * which pauses as the team's (`TeamRunPaused`, Agno's requirements naming the member) and goes on
 * with the answers (`TeamRunContinued`). Absent where the team's run has nobody to ask.
 */
export function askThroughTeam(ctx: ExecutionContext, team: AskingTeam): ExecutionContext['askTools'] {
  const ask = ctx.askTools;
  if (!ask) return undefined;
  const askFor = async (requirements: RunRequirement[], memberRun: ExecutorRunRecord): Promise<RunRequirement[]> => {
    // As Agno's `_propagate_member_pause`: the deepest member that asks keeps its name.
    const member = { member_agent_id: String(memberRun.agent_id ?? memberRun.team_id), member_agent_name: String(memberRun.agent_name ?? memberRun.team_name), member_run_id: memberRun.run_id };
    const named = requirements.map((requirement) => ({ ...member, ...requirement }));
    const tools = named.map((requirement) => requirement.tool_execution);
    const content = teamPausedContent(named);
    ctx.log.emit('TeamRunPaused', { ...team.fields, content, tools, requirements: named });
    const { record } = team;
    const members = [...(record.member_responses ?? []), memberRun];
    const answers = await ask(named, { ...record, status: 'PAUSED', content, metrics: team.metrics(), requirements: named, member_responses: members });
    // As Agno's continued team run: the answered requirements are gone (the member's calls show the answers), an empty list left.
    record.requirements ??= [];
    ctx.log.emit('TeamRunContinued', team.fields);
    return answers;
  };
  // Members that pause together (a broadcast) are asked in turn: the run waits on one member's calls at a time.
  let asking: Promise<unknown> = Promise.resolve();
  return (requirements, memberRun) => {
    const asked = asking.then(() => askFor(requirements, memberRun));
    asking = asked.catch(() => undefined);
    return asked;
  };
}

/**
 * Once the turn's calls ran: each requirement shows its call as it ended (its answer, its
 * result), as Agno's continued run does.
 */
export function settleRequirements(record: ExecutorRunRecord): void {
  if (!record.requirements) return;
  const ended = new Map(record.tools.map((tool) => [tool.tool_call_id, tool]));
  record.requirements = record.requirements.map((requirement) => {
    const tool = ended.get(requirement.tool_execution.tool_call_id);
    return tool ? { ...requirement, tool_execution: tool } : requirement;
  });
}

/** What a paused team's content says, in Agno's words (`_get_team_paused_content`): each member's call and what it needs. */
function teamPausedContent(requirements: RunRequirement[]): string {
  const lines = requirements.map(({ member_agent_name: member = 'team', tool_execution: tool }) => {
    const need = tool.requires_confirmation ? 'confirmation' : tool.requires_user_input ? 'user input' : 'external execution';
    return `- ${member}: ${tool.tool_name} requires ${need}`;
  });
  return `Team run paused. The following require input:\n${lines.join('\n')}`;
}

/** What a paused run's content says, in Agno's words (`get_paused_content`: the last call's). */
function pausedContent(tools: ToolExecution[]): string {
  let content = '';
  for (const tool of tools) {
    const needs = [tool.requires_confirmation && 'confirmation', tool.requires_user_input && 'user input', tool.external_execution_required && 'external execution'].filter(
      (need): need is string => typeof need === 'string',
    );
    if (needs.length === 1 && tool.external_execution_required) content = 'I have tools to execute, but it needs external execution.';
    else if (needs.length > 0) content = `I have tools to execute, but I need ${needs.slice(0, -1).join(', ')}${needs.length > 2 ? ',' : ''}${needs.length > 1 ? ' or ' : ''}${needs.at(-1)}.`;
  }
  return content;
}

/** What a person is asked about one call: Agno's `RunRequirement` of its `ToolExecution`. */
function requirementOf(call: ModelToolCall, args: Record<string, unknown>, pause: NonNullable<ToolPlan['pause']>): RunRequirement {
  const now = Date.now();
  // The model's arguments fill the fields it gave; the person fills the others (and may change these).
  const userInput = pause.userInput?.map((field) => (Object.hasOwn(args, field.name) ? { ...field, value: args[field.name] } : field));
  const tool: ToolExecution = {
    tool_call_id: call.id,
    tool_name: call.name,
    tool_args: args,
    stop_after_tool_call: false,
    created_at: Math.floor(now / 1000),
    ...(pause.requiresConfirmation ? { requires_confirmation: true } : {}),
    ...(userInput ? { requires_user_input: true, user_input_schema: userInput } : {}),
    ...(pause.externalExecution ? { external_execution_required: true } : {}),
  };
  return { id: uuid4(), created_at: new Date(now).toISOString(), tool_execution: tool, ...(userInput ? { user_input_schema: userInput } : {}) };
}

/** What an answer (already judged to fit, see tool-answers.ts) does to its call. */
function answeredCall(answer: RunRequirement, calls: ModelToolCall[]): AnsweredCall {
  const asked = answer.tool_execution;
  const call = calls.find((candidate) => candidate.id === asked.tool_call_id)!;
  if (asked.requires_confirmation && answer.confirmation === false) {
    const note = answer.confirmation_note ?? 'Tool call was rejected';
    return {
      tool: { confirmed: false, confirmation_note: note, requires_confirmation: false, tool_call_error: true },
      outcome: { output: answer.confirmation_note ?? REJECTED_CALL, isError: true },
    };
  }
  if (asked.external_execution_required) {
    const result = answer.external_execution_result ?? '';
    return { tool: { external_execution_required: false, result }, outcome: { output: result, isError: false } };
  }
  const confirmed = asked.requires_confirmation ? { confirmed: true, requires_confirmation: false } : {};
  if (!asked.requires_user_input) return { tool: confirmed, call };
  const args = { ...asked.tool_args, ...Object.fromEntries((answer.user_input_schema ?? []).map((field) => [field.name, field.value])) };
  return {
    tool: { ...confirmed, tool_args: args, requires_user_input: false, answered: true, user_input_schema: answer.user_input_schema ?? [] },
    call: { ...call, arguments: JSON.stringify(args) },
  };
}
