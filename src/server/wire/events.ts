/**
 * The run's events as zod schemas, one per event name: what an SSE `data:` line holds, for the
 * OpenAPI document. The types in src/contracts/events.ts stay the source of truth (workflow code
 * cannot carry zod); the check at the bottom fails the type-check when the two drift apart.
 */
import { z } from 'zod';
import { EVENT_NAMES } from '../../contracts/events.ts';
import type { EventName, RunEventOf } from '../../contracts/events.ts';
import type { ContentDiscardedEvent, LiveContentEvent } from '../../contracts/live.ts';
import { int, jsonObject } from './common.ts';
import { ExecutorRunMetrics, ExecutorRunOutput, RunMetrics, StepRequirement, StepResult, tokenDetails, tokens, ToolExecution } from './run-parts.ts';
import type { SameShape } from './same-shape.ts';

const base = {
  event_index: int,
  created_at: int,
  run_id: z.string(),
  workflow_id: z.string(),
  workflow_name: z.string(),
  session_id: z.string(),
  nested_depth: int.optional().describe('0: a nested workflow’s events stay in its own run’s log.'),
};
const step = { step_id: z.string(), step_name: z.string(), step_index: int };
const optionalStep = { step_id: z.string().optional(), step_name: z.string().optional(), step_index: int.optional() };
const executorRun = { workflow_run_id: z.string(), parent_run_id: z.string().optional() };
const agent = { ...step, ...executorRun, agent_id: z.string(), agent_name: z.string() };
const team = { ...step, ...executorRun, team_id: z.string(), team_name: z.string() };
const results = { step_results: z.array(StepResult) };
const executorEvents = {
  Started: { model: z.string(), model_provider: z.string() },
  Content: {
    content: z.string(),
    model_call_id: z.string().optional(),
    model_call_attempt: int.optional(),
    model_provider_data: z.object({ response_id: z.string() }).optional().describe('On the empty chunk that starts each of an agent’s model answers.'),
  },
  ModelRequestStarted: { model: z.string(), model_provider: z.string() },
  ModelRequestCompleted: { model: z.string(), model_provider: z.string(), ...tokens, ...tokenDetails, time_to_first_token: z.number().optional() },
  ContentCompleted: {},
  Completed: {
    content: z.string(),
    content_type: z.string(),
    metrics: ExecutorRunMetrics.optional(),
    model_provider_data: z.object({ response_id: z.string() }).optional(),
    session_state: z.object({ current_session_id: z.string(), current_run_id: z.string() }).optional(),
    metadata: jsonObject.optional(),
    member_responses: z.array(ExecutorRunOutput).optional().describe('A team’s members’ whole runs.'),
  },
  Error: { content: z.string(), error_type: z.string().optional() },
  ToolCallStarted: { tool: ToolExecution },
  ToolCallCompleted: { tool: ToolExecution, content: z.string() },
};
/** Agno's fields of every content chunk (src/contracts/content-chunks.ts). */
const chunk = { content_type: z.string().optional(), reasoning_content: z.string().optional() };
const agentChunk = { ...chunk, workflow_agent: z.boolean().optional() };
const paused = { status: z.literal('PAUSED'), paused_step_name: z.string(), paused_step_index: int, ...step };

const event = <N extends EventName, S extends z.ZodRawShape>(name: N, shape: S) => z.object({ event: z.literal(name), ...base, ...shape });

/** One schema per event name: `event` and the base fields, then the event's own (EventFieldsByName). */
export const EVENT_SCHEMAS = {
  WorkflowStarted: event('WorkflowStarted', { input: z.string(), attempt: int.optional(), resumed_from_step: z.string().optional() }),
  WorkflowCompleted: event('WorkflowCompleted', { content: z.string(), content_type: z.string(), status: z.literal('COMPLETED'), ...results, metrics: RunMetrics, metadata: jsonObject.optional(), step_executor_runs: z.array(ExecutorRunOutput).optional() }),
  WorkflowError: event('WorkflowError', { status: z.literal('ERROR'), error: z.string(), ...optionalStep }),
  WorkflowCancelled: event('WorkflowCancelled', { status: z.literal('CANCELLED'), reason: z.string(), content: z.string(), ...optionalStep }),
  // Paused for a person (`pause_kind: 'step'`), or held after a failure until a retry or abort.
  WorkflowPaused: z.union([
    event('WorkflowPaused', { ...paused, pause_kind: z.literal('step'), step_requirements: z.array(StepRequirement) }),
    event('WorkflowPaused', { ...paused, pause_kind: z.never().optional(), error: z.string() }),
  ]),
  WorkflowReset: event('WorkflowReset', {
    status: z.literal('RUNNING'),
    reason: z.string(),
    reset_point_index: z.number().int().min(-1),
    base_execution_id: z.string(),
    execution_id: z.string(),
  }),
  StepStarted: event('StepStarted', { ...step, attempt: int.optional() }),
  StepCompleted: event('StepCompleted', { ...step, content: z.string(), content_type: z.string(), step_response: StepResult }),
  StepError: event('StepError', { ...step, error: z.string() }),
  StepContinued: event('StepContinued', { ...step, step_requirements: z.array(StepRequirement) }),
  ParallelExecutionStarted: event('ParallelExecutionStarted', { ...step, parallel_step_count: int }),
  ParallelExecutionCompleted: event('ParallelExecutionCompleted', { ...step, parallel_step_count: int, ...results }),
  ConditionExecutionStarted: event('ConditionExecutionStarted', { ...step, condition_result: z.boolean() }),
  ConditionExecutionCompleted: event('ConditionExecutionCompleted', { ...step, condition_result: z.boolean(), branch: z.enum(['if', 'else']), executed_steps: int, ...results }),
  LoopExecutionStarted: event('LoopExecutionStarted', { ...step, max_iterations: int }),
  LoopIterationStarted: event('LoopIterationStarted', { ...step, iteration: int, max_iterations: int }),
  LoopIterationCompleted: event('LoopIterationCompleted', { ...step, iteration: int, max_iterations: int, should_continue: z.boolean() }),
  LoopExecutionCompleted: event('LoopExecutionCompleted', { ...step, total_iterations: int, max_iterations: int }),
  RouterExecutionStarted: event('RouterExecutionStarted', { ...step, selected_steps: z.array(z.string()) }),
  RouterExecutionCompleted: event('RouterExecutionCompleted', { ...step, selected_steps: z.array(z.string()), executed_steps: int, ...results }),
  StepsExecutionStarted: event('StepsExecutionStarted', { ...step, steps_count: int }),
  StepsExecutionCompleted: event('StepsExecutionCompleted', { ...step, steps_count: int, executed_steps: int, ...results }),
  RunStarted: event('RunStarted', { ...agent, ...executorEvents.Started }),
  ModelRequestStarted: event('ModelRequestStarted', { ...agent, ...executorEvents.ModelRequestStarted }),
  RunContent: event('RunContent', { ...agent, ...executorEvents.Content, ...agentChunk }),
  ModelRequestCompleted: event('ModelRequestCompleted', { ...agent, ...executorEvents.ModelRequestCompleted }),
  RunContentCompleted: event('RunContentCompleted', { ...agent, ...executorEvents.ContentCompleted }),
  RunCompleted: event('RunCompleted', { ...agent, ...executorEvents.Completed }),
  RunError: event('RunError', { ...agent, ...executorEvents.Error }),
  ToolCallStarted: event('ToolCallStarted', { ...agent, ...executorEvents.ToolCallStarted }),
  ToolCallCompleted: event('ToolCallCompleted', { ...agent, ...executorEvents.ToolCallCompleted }),
  TeamRunStarted: event('TeamRunStarted', { ...team, ...executorEvents.Started }),
  TeamModelRequestStarted: event('TeamModelRequestStarted', { ...team, ...executorEvents.ModelRequestStarted }),
  TeamRunContent: event('TeamRunContent', { ...team, ...executorEvents.Content, ...chunk }),
  TeamModelRequestCompleted: event('TeamModelRequestCompleted', { ...team, ...executorEvents.ModelRequestCompleted }),
  TeamRunContentCompleted: event('TeamRunContentCompleted', { ...team, ...executorEvents.ContentCompleted }),
  TeamRunCompleted: event('TeamRunCompleted', { ...team, ...executorEvents.Completed }),
  TeamRunError: event('TeamRunError', { ...team, ...executorEvents.Error }),
  TeamToolCallStarted: event('TeamToolCallStarted', { ...team, ...executorEvents.ToolCallStarted }),
  TeamToolCallCompleted: event('TeamToolCallCompleted', { ...team, ...executorEvents.ToolCallCompleted }),
} satisfies { [N in EventName]: z.ZodType };

/** Any event of a run: the union of the per-event schemas, told apart by `event`. */
export const RunEvent = z.union(EVENT_NAMES.map((name) => EVENT_SCHEMAS[name]));

// ---- live frames: a model call's text before the run's log has it (src/contracts/live.ts) -----
const { event_index: _logOnly, ...liveBase } = base;
const live = { ...liveBase, event_index: z.never().optional().describe('Absent: live text is not in the run’s log yet.'), model_call_id: z.string(), model_call_attempt: int };

/** Live frames of a stream, beside the log's events: their SSE id is a cursor, not an event index. */
export const LIVE_EVENT_SCHEMAS = {
  LiveRunContent: z.object({ event: z.literal('RunContent'), ...live, ...agent, content: z.string(), ...agentChunk }),
  LiveTeamRunContent: z.object({ event: z.literal('TeamRunContent'), ...live, ...team, content: z.string(), ...chunk }),
  RunContentDiscarded: z.object({ event: z.literal('RunContentDiscarded'), ...live, ...agent, ...agentChunk, discarded_length: int }),
  TeamRunContentDiscarded: z.object({ event: z.literal('TeamRunContentDiscarded'), ...live, ...team, ...chunk, discarded_length: int }),
};

/** The last frame of a stream that cannot go on: not an event of the run, so no event_index and no SSE id. */
export const StreamError = z
  .object({
    event: z.literal('error'),
    run_id: z.string(),
    error: z.string().describe('What stops the stream, e.g. which events are missing from the blob store.'),
  })
  .describe('Ends a stream that cannot go on (such as a run whose archived log segment is missing from the blob store); the WebSocket sends the same.');

// ---- the schemas above describe exactly the events the contract types allow ------------------
type Drifted = { [N in EventName]: SameShape<z.output<(typeof EVENT_SCHEMAS)[N]>, RunEventOf<N>> extends true ? never : N }[EventName];
/** A type error here names the events whose schema no longer matches src/contracts/events.ts. */
const eventSchemasMatchTheContract: [Drifted] extends [never] ? true : Drifted = true;
type Live = typeof LIVE_EVENT_SCHEMAS;
type LiveDrifted =
  | (SameShape<z.output<Live['LiveRunContent']>, Extract<LiveContentEvent, { event: 'RunContent' }>> extends true ? never : 'LiveRunContent')
  | (SameShape<z.output<Live['LiveTeamRunContent']>, Extract<LiveContentEvent, { event: 'TeamRunContent' }>> extends true ? never : 'LiveTeamRunContent')
  | (SameShape<z.output<Live['RunContentDiscarded']>, Extract<ContentDiscardedEvent, { event: 'RunContentDiscarded' }>> extends true ? never : 'RunContentDiscarded')
  | (SameShape<z.output<Live['TeamRunContentDiscarded']>, Extract<ContentDiscardedEvent, { event: 'TeamRunContentDiscarded' }>> extends true ? never : 'TeamRunContentDiscarded');
const liveSchemasMatchTheContract: [LiveDrifted] extends [never] ? true : LiveDrifted = true;
void eventSchemasMatchTheContract;
void liveSchemasMatchTheContract;
