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
import type { AgentIdentity, ExecutorIdentity, RunRequirement, StepFields, ToolExecution } from '../contracts/events.ts';
import type { ModelToolCall } from '../contracts/activities.ts';
import type { ExecutionContext } from './context.ts';
import type { ToolOutcome } from './model-loop.ts';

/** What the model is told of a rejected call (Agno's words, when the person gave no note). */
export const REJECTED_CALL = 'Function call was rejected by the user';

/** A call a person answered: run it with `call` (its arguments as given), or do not and give the model `outcome`. */
export interface AnsweredCall {
  /** The call's tool execution with the person's answer, as the run records it. */
  tool: Partial<ToolExecution>;
  call?: ModelToolCall;
  outcome?: ToolOutcome;
}

/**
 * Puts the turn's calls that need a person to one, and waits for the answers: the answered calls
 * by call id (none when no call needs a person). Where nobody can be asked (an agent inside a
 * workflow step or a team), such a call is not run and the model is told why.
 */
export async function askAboutToolCalls(
  ctx: ExecutionContext,
  tools: ToolPlan[],
  events: { paused: 'RunPaused'; continued: 'RunContinued' } | undefined,
  fields: StepFields & ExecutorIdentity,
  calls: ModelToolCall[],
  parse: (call: ModelToolCall) => Record<string, unknown> | undefined,
): Promise<Map<string, AnsweredCall>> {
  const plans = new Map(tools.map((tool) => [tool.name, tool]));
  const asked = calls.flatMap((call) => {
    const pause = plans.get(call.name)?.pause;
    const args = parse(call);
    return pause && args ? [requirementOf(call, args, pause)] : [];
  });
  const answered = new Map<string, AnsweredCall>();
  if (asked.length === 0) return answered;
  if (!ctx.askTools || !events) {
    for (const requirement of asked) {
      const name = requirement.tool_execution.tool_name;
      answered.set(requirement.tool_execution.tool_call_id, { tool: {}, outcome: { output: `Error: ${name} waits for a person, and only an agent's own run can ask one.`, isError: true } });
    }
    return answered;
  }
  // `events` are given for an agent's loop only: its fields are an agent's.
  const agent = fields as StepFields & AgentIdentity;
  ctx.log.emit(events.paused, { ...agent, tools: asked.map((requirement) => requirement.tool_execution), requirements: asked });
  const answers = await ctx.askTools(asked);
  ctx.log.emit(events.continued, agent);
  for (const answer of answers) answered.set(answer.tool_execution.tool_call_id, answeredCall(answer, calls));
  return answered;
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
