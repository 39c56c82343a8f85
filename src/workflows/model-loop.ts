/**
 * The loop shared by agents and team leaders: model call → tool calls (in parallel) → model call
 * … until the model answers without tool calls, bounded by a number of turns.
 *
 * Every model call and every tool call is its own activity, so after a crash the loop resumes
 * from history without sending any finished call again.
 */
import type { ModelPlan, ModelProvider, ToolPlan } from '../contracts/plan.ts';
import type { ExecutorIdentity, ExecutorRunMetrics, ExecutorRunRecord, StepFields, TeamIdentity, ToolExecution } from '../contracts/events.ts';
import type { ConversationState, ModelToolCall, SessionHistoryInput } from '../contracts/activities.ts';
import { contentChunkFields } from '../contracts/content-chunks.ts';
import { executorRunOutput, reasoningOf } from '../contracts/executor-runs.ts';
import { ContinueAsNew, isCancellation, patched } from '@temporalio/workflow';
import { summaryPrefix } from './context.ts';
import type { ExecutionContext, ToolOutcome, TurnCheckpoints } from './context.ts';
import { errorMessage, errorType } from './error-message.ts';
import { endExecutorRun, newExecutorRun, orderTools, recordTool, recordTurn } from './executor-runs.ts';
import { addModelCall, emptyMetrics } from './run-metrics.ts';
import { resetsObserved } from './reset-observer.ts';
import { afterModelCall, callModelOnce } from './reused-calls.ts';
import { askAboutToolCalls, askThroughTeam, requirementsOf, settleRequirements } from './tool-pauses.ts';
import type { AnsweredCall, TurnOfTools } from './tool-pauses.ts';

/**
 * The empty RunContent that starts each of an agent's model answers: runs recorded before it have
 * none, and replaying them must rebuild their logs with the same event indexes.
 */
const RESPONSE_START_PATCH = 'response-start-content';

export type LoopKind = 'agent' | 'team';

interface LoopEventNames {
  started: 'RunStarted' | 'TeamRunStarted';
  modelStarted: 'ModelRequestStarted' | 'TeamModelRequestStarted';
  content: 'RunContent' | 'TeamRunContent';
  modelCompleted: 'ModelRequestCompleted' | 'TeamModelRequestCompleted';
  contentCompleted: 'RunContentCompleted' | 'TeamRunContentCompleted';
  completed: 'RunCompleted' | 'TeamRunCompleted';
  error: 'RunError' | 'TeamRunError';
  toolStarted: 'ToolCallStarted' | 'TeamToolCallStarted';
  toolCompleted: 'ToolCallCompleted' | 'TeamToolCallCompleted';
}

const EVENT_NAMES: Record<LoopKind, LoopEventNames> = {
  agent: {
    started: 'RunStarted',
    modelStarted: 'ModelRequestStarted',
    content: 'RunContent',
    modelCompleted: 'ModelRequestCompleted',
    contentCompleted: 'RunContentCompleted',
    completed: 'RunCompleted',
    error: 'RunError',
    toolStarted: 'ToolCallStarted',
    toolCompleted: 'ToolCallCompleted',
  },
  team: {
    started: 'TeamRunStarted',
    modelStarted: 'TeamModelRequestStarted',
    content: 'TeamRunContent',
    modelCompleted: 'TeamModelRequestCompleted',
    contentCompleted: 'TeamRunContentCompleted',
    completed: 'TeamRunCompleted',
    error: 'TeamRunError',
    toolStarted: 'TeamToolCallStarted',
    toolCompleted: 'TeamToolCallCompleted',
  },
};

const AGENT_PAUSE_EVENTS = { contentCompleted: 'RunContentCompleted', paused: 'RunPaused', continued: 'RunContinued' } as const;

export interface ModelLoopSpec {
  kind: LoopKind;
  model: ModelPlan;
  instructions: string;
  tools: ToolPlan[];
  maxTurns: number;
  input: string;
  /** Identity fields on every event of this loop: agent or team id and name, its own `run_id`. */
  fields: ExecutorIdentity;
  /**
   * The run a tool call will start (a team member's, on a delegation to one member), named before
   * the call so that its started event can point to it; `executeTool` gets it back.
   */
  childRunId?(call: ModelToolCall, args: Record<string, unknown>): string | undefined;
  /** `at`: the loop's context where the call stands (after its model call), for the calls the tool makes. */
  executeTool(call: ModelToolCall, args: Record<string, unknown>, childRunId: string | undefined, at: ExecutionContext): Promise<ToolOutcome>;
  /** Set for the agent of a top-level step: it may continue the run as new between turns. */
  turns?: TurnCheckpoints;
  /** An agent's or team's own run that adds its session's earlier runs to its context: where they are. */
  history?: SessionHistoryInput;
  /** A team's: where its members' runs go as they end, its run's `member_responses`. */
  memberRuns?: ExecutorRunRecord[];
}

/** `model_provider` of RunStarted events: the name of the model's definition class. */
const PROVIDER_LABELS: Record<ModelProvider, string> = {
  'openai-responses': 'OpenAIResponses',
  'openai-chat': 'OpenAIChat',
};

export function providerName(model: ModelPlan): string {
  return PROVIDER_LABELS[model.provider];
}

export async function runModelLoop(ctx: ExecutionContext, spec: ModelLoopSpec): Promise<string> {
  const names = EVENT_NAMES[spec.kind];
  const fields = { ...ctx.stepFields, ...spec.fields };
  const resumed = spec.turns?.resume;
  const model = { model: spec.model.id, model_provider: providerName(spec.model) };
  if (!resumed) ctx.log.emit(names.started, { ...fields, ...model });
  // This run's own model calls (a team's members count theirs in their own runs). Only a top-level
  // step's agent continues as new inside its run, and then its step's usage is its own: go on from
  // it (a copy: the step adds the same calls to its own). The duration counts this execution only.
  const metrics = resumed ? (JSON.parse(JSON.stringify(resumed.usage)) as ExecutorRunMetrics) : emptyMetrics();
  const startedAt = Date.now();
  let responseId: string | undefined;
  // The run as `step_executor_runs` and `member_responses` show it; an agent resumed after
  // continue-as-new goes on with the record its earlier turns made.
  const record = resumed?.run ?? newExecutorRun({ fields: spec.fields, input: spec.input, instructions: spec.instructions, ...model });
  if (spec.memberRuns) record.member_responses = spec.memberRuns;
  const runMetrics = (): ExecutorRunMetrics => ({ ...metrics, duration: (Date.now() - startedAt) / 1000 });
  // A team's members ask about their tool calls through the team's run, which pauses as the team's (tool-pauses.ts).
  const toolsCtx: ExecutionContext = spec.kind === 'team' ? { ...ctx, askTools: askThroughTeam(ctx, { fields: fields as StepFields & TeamIdentity, record, metrics: runMetrics }) } : ctx;
  const completed = (content: string) => {
    endExecutorRun(record, 'COMPLETED', content, runMetrics());
    ctx.log.emit(names.contentCompleted, fields);
    ctx.log.emit(names.completed, {
      ...fields,
      content,
      content_type: 'str',
      metrics: record.metrics!,
      ...(responseId !== undefined ? { model_provider_data: { response_id: responseId } } : {}),
      session_state: { current_session_id: ctx.log.sessionId, current_run_id: String(spec.fields.run_id) },
      metadata: {},
      ...(record.member_responses ? { member_responses: record.member_responses.map((member) => executorRunOutput(member, ctx.log.sessionId)) } : {}),
      ...reasoningOf(record),
    });
    ctx.recordRun?.(record);
  };
  // The conversation by reference: model calls archive its earlier messages as it grows (see
  // src/activities/conversation.ts), and its big texts are references, so each call's input stays small.
  // The session's earlier runs come first, read once: a run resumed after continue-as-new carries them in its conversation.
  const earlier = !resumed && spec.history ? await ctx.activities.data.readSessionHistory.executeWithOptions({ summary: `${summaryPrefix(ctx)} · session history` }, [spec.history]) : [];
  const conversation: ConversationState = resumed?.conversation ?? { recent: [...earlier, { role: 'user', content: spec.input }] };
  const firstTurn = resumed?.nextTurn ?? 1;
  try {
    for (let turn = firstTurn; turn <= spec.maxTurns; turn++) {
      if (spec.turns && turn > firstTurn) {
        await spec.turns.checkpoint({ agentRunId: String(spec.fields.run_id), run: record, nextTurn: turn, conversation, usage: ctx.usage });
      }
      // The last turn offers no tools, so the model has to answer in text.
      const tools = turn === spec.maxTurns ? [] : spec.tools;
      // A call made after an operator's reset gets an id of its own: the execution that was reset
      // may have streamed live text under the old id, which must not mix with the new answer.
      const resets = resetsObserved();
      const callId = `${String(spec.fields.run_id)}/model-${turn}${resets > 0 ? `-reset-${resets}` : ''}`;
      ctx.log.emit(names.modelStarted, { ...fields, ...model });
      const live = ctx.log.openStream(callId, names.content, fields);
      // A retry of the run answers the calls its failed attempt completed without making them (reused-calls.ts).
      const result = await callModelOnce(ctx, turn, { summary: `${summaryPrefix(ctx)} · model call ${turn}` }, {
        workflowId: ctx.workflowId,
        callId,
        model: spec.model,
        instructions: spec.instructions,
        ...(conversation.archive ? { earlier: conversation.archive } : {}),
        messages: conversation.recent,
        tools,
        stream: true,
        live,
      });
      // Agno starts each of an agent's answers with an empty RunContent naming the response. It
      // names the model call (and attempt) too, so a stream holding the call's live text keeps it.
      if (spec.kind === 'agent' && patched(RESPONSE_START_PATCH)) {
        ctx.log.emit(names.content, {
          ...fields,
          ...contentChunkFields(names.content),
          content: '',
          model_call_id: callId,
          ...(result.streamed ? { model_call_attempt: result.streamed.attempt } : {}),
          ...(result.responseId !== undefined ? { model_provider_data: { response_id: result.responseId } } : {}),
        });
      }
      ctx.log.closeStream(callId, result);
      recordTurn(record, result);
      const ttft = result.timing?.time_to_first_token;
      const { input_tokens, output_tokens, total_tokens, reasoning_tokens = 0, cache_read_tokens = 0, cache_write_tokens = 0 } = result.usage;
      ctx.log.emit(names.modelCompleted, {
        ...fields,
        ...model,
        ...{ input_tokens, output_tokens, total_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens },
        ...(ttft !== undefined ? { time_to_first_token: ttft } : {}),
      });
      const tokens = { id: spec.model.id, provider: model.model_provider };
      addModelCall(ctx.usage, tokens, result.usage, result.timing);
      addModelCall(metrics, tokens, result.usage, result.timing);
      responseId = result.responseId ?? responseId;
      // The call archived what it was sent: carry the archive's reference in its place.
      if (result.archived) {
        conversation.archive = result.archived;
        conversation.recent = [];
      }
      if (result.toolCalls.length === 0) {
        completed(result.content);
        return result.content;
      }
      conversation.recent.push({ role: 'assistant', content: result.content, toolCalls: result.toolCalls });
      // Calls of tools that wait for a person are answered first (see tool-pauses.ts).
      const turnOfTools: TurnOfTools = {
        tools: spec.tools,
        ...(spec.kind === 'agent' ? { events: AGENT_PAUSE_EVENTS } : {}),
        fields,
        record,
        metrics: runMetrics,
        calls: result.toolCalls,
        parse: (call) => parseArguments(call.arguments),
      };
      const asked = requirementsOf(turnOfTools);
      const answered = asked.length > 0 ? await askAboutToolCalls(ctx, turnOfTools, asked) : new Map<string, AnsweredCall>();
      // Several tool calls of one turn run in parallel; results go back in the model's order.
      const recorded = record.tools.length;
      const outcomes = await Promise.all(result.toolCalls.map((call) => runToolCall(afterModelCall(toolsCtx, turn), spec, names, fields, call, record, answered.get(call.id))));
      orderTools(record, recorded, result.toolCalls);
      settleRequirements(record);
      for (const [i, call] of result.toolCalls.entries()) {
        conversation.recent.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: outcomes[i]!.output });
      }
      const final = outcomes.find((outcome) => outcome.final);
      if (final) {
        completed(final.output);
        return final.output;
      }
    }
  } catch (err) {
    // Agno's RunError and TeamRunError carry the message in `content`; continuing as new is no
    // error, and the run goes on in the next execution.
    if (!(err instanceof ContinueAsNew)) {
      ctx.log.emit(names.error, { ...fields, content: errorMessage(err), error_type: errorType(err) });
      const cancelled = isCancellation(err);
      endExecutorRun(record, cancelled ? 'CANCELLED' : 'ERROR', cancelled ? `Run ${record.run_id} was cancelled` : errorMessage(err), runMetrics());
      ctx.recordRun?.(record);
    }
    throw err;
  }
  // Unreachable: the last turn offers no tools, so it returns above.
  throw new Error(`${'agent_name' in spec.fields ? spec.fields.agent_name : spec.fields.team_name} exceeded ${spec.maxTurns} turns`);
}

async function runToolCall(
  ctx: ExecutionContext,
  spec: ModelLoopSpec,
  names: LoopEventNames,
  fields: StepFields & ExecutorIdentity,
  asked: ModelToolCall,
  record: ExecutorRunRecord,
  answer?: AnsweredCall,
): Promise<ToolOutcome> {
  // A call a person rejected, or ran elsewhere, is not run: as Agno, no events, only its record.
  if (answer?.outcome && !answer.call) {
    recordTool(record, { tool_call_id: asked.id, tool_name: asked.name, tool_args: parseArguments(asked.arguments) ?? {}, stop_after_tool_call: false, created_at: Math.floor(Date.now() / 1000), result: answer.outcome.output, tool_call_error: answer.outcome.isError, ...answer.tool });
    return answer.outcome;
  }
  const call = answer?.call ?? asked;
  const args = parseArguments(call.arguments);
  // Timed by the workflow's clock: the times of the workflow tasks that started and ended the call.
  const startedAt = Date.now();
  const childRunId = args ? spec.childRunId?.(call, args) : undefined;
  const tool: ToolExecution = {
    tool_call_id: call.id,
    tool_name: call.name,
    tool_args: args ?? {},
    ...(childRunId !== undefined ? { child_run_id: childRunId } : {}),
    stop_after_tool_call: false,
    created_at: Math.floor(startedAt / 1000),
    ...answer?.tool,
  };
  ctx.log.emit(names.toolStarted, { ...fields, tool });
  const outcome: ToolOutcome = args
    ? await spec.executeTool(call, args, childRunId, ctx)
    : { output: `Error: the arguments of ${call.name} are not a JSON object: ${call.arguments}`, isError: true };
  const endedAt = Date.now();
  const ended: ToolExecution = {
    ...tool,
    result: outcome.output,
    tool_call_error: outcome.isError,
    metrics: { start_time: startedAt / 1000, end_time: endedAt / 1000, duration: (endedAt - startedAt) / 1000 },
  };
  ctx.log.emit(names.toolCompleted, { ...fields, tool: ended, content: outcome.output });
  recordTool(record, ended);
  return outcome;
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
