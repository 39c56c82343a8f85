/**
 * The run's events, declared once as zod schemas, one per event name: what workflow code emits
 * (its types, src/contracts/events.ts, are these schemas' outputs, imported as types only) and
 * what an SSE `data:` line holds in the OpenAPI document.
 */
import { z } from 'zod';
import { EVENT_NAMES } from '../event-names.ts';
import type { EventName } from '../event-names.ts';
import { int, jsonObject } from './common.ts';
import { ExecutorRunMetrics, ExecutorRunOutput, RunMetrics, RunRequirement, StepRequirement, StepResult, tokenDetails, tokens, ToolExecution } from './run-parts.ts';

/** Fields every event carries. */
export const eventBase = {
  /** Position in the run's log: from 0, gapless, never reused. */
  event_index: int,
  /** Unix time in seconds, as Agno writes it. */
  created_at: int,
  /**
   * The workflow run (the Temporal workflow id) on workflow and step events; on agent and team
   * events, as in Agno, the agent's or team's own run, with the workflow run in `workflow_run_id`.
   */
  run_id: z.string(),
  workflow_id: z.string(),
  workflow_name: z.string(),
  session_id: z.string(),
  /**
   * Agno's nesting of workflows: 0 here, for every event, as a nested workflow runs as a child
   * workflow with a log of its own (Agno adds 1 when it relays a nested workflow's events).
   * Absent on events recorded before it was sent.
   */
  nested_depth: int.optional().describe('0: a nested workflow’s events stay in its own run’s log.'),
  /**
   * On the events a fork carries from the run it was forked from (its log up to the fork point):
   * that run's id. The fork's own events, from the fork point on, have none.
   */
  forked_from_run_id: z.string().optional().describe('Set on the events a fork carries from the run it was made from: that run’s id.'),
};
/** The step (or group: Parallel, Loop, ...) an event belongs to; `step_index` is its top-level position. */
export const stepFields = { step_id: z.string(), step_name: z.string(), step_index: int };
/** The step fields name the step that was running, when one was. */
const optionalStep = { step_id: z.string().optional(), step_name: z.string().optional(), step_index: int.optional() };
/** Agno's identity fields of an agent's or team's events (their `run_id` is the agent's or team's own run). */
export const executorRunFields = {
  /** The workflow run the agent or team runs in. */
  workflow_run_id: z.string(),
  /** On a team member's events: the run of the team that delegated to it. */
  parent_run_id: z.string().optional(),
};
export const agentFields = { ...stepFields, ...executorRunFields, agent_id: z.string(), agent_name: z.string() };
export const teamFields = { ...stepFields, ...executorRunFields, team_id: z.string(), team_name: z.string() };
/** A group's step results, as its completed event lists them. */
const results = { step_results: z.array(StepResult) };
/**
 * What the events of an agent's run and of a team leader's run add to their identity, as Agno's
 * `RunOutputEvent`s and `TeamRunOutputEvent`s name it: the same fields under the agent's and the
 * team's event names.
 */
const executorEvents = {
  Started: { model: z.string(), model_provider: z.string() },
  /**
   * A piece of the model's answer, streamed. `model_call_id` and `model_call_attempt` name the
   * model call and the attempt whose live text it is (absent on events recorded before the live lane).
   * An agent's every model answer starts with one of empty `content` naming the provider's
   * response in `model_provider_data`, as Agno's does (also an answer of tool calls only).
   */
  Content: {
    content: z.string(),
    model_call_id: z.string().optional(),
    model_call_attempt: int.optional(),
    model_provider_data: z.object({ response_id: z.string() }).optional().describe('On the empty chunk that starts each of an agent’s model answers.'),
  },
  ModelRequestStarted: { model: z.string(), model_provider: z.string() },
  /** `time_to_first_token` in seconds (to the first text or reasoning delta), absent when the model streamed neither. */
  ModelRequestCompleted: { model: z.string(), model_provider: z.string(), ...tokens, ...tokenDetails, time_to_first_token: z.number().optional() },
  ContentCompleted: {},
  /**
   * `session_state`: Agno's current session and run; `model_provider_data`: the last response's
   * id; `member_responses`: a team's members' whole runs (absent on an agent's). All but
   * `content` are absent on events recorded before they were sent.
   */
  Completed: {
    content: z.string(),
    content_type: z.string(),
    metrics: ExecutorRunMetrics.optional(),
    model_provider_data: z.object({ response_id: z.string() }).optional(),
    session_state: z.object({ current_session_id: z.string(), current_run_id: z.string() }).optional(),
    metadata: jsonObject.optional(),
    member_responses: z.array(ExecutorRunOutput).optional().describe('A team’s members’ whole runs.'),
    reasoning_content: z.string().optional().describe('What the model showed of its reasoning, its answers’ run together, as on the run; absent when it showed none.'),
  },
  /** Agno carries the error message in `content`, and the failure's kind in `error_type` (absent on older events). */
  Error: { content: z.string(), error_type: z.string().optional() },
  ToolCallStarted: { tool: ToolExecution },
  /** `content` repeats the tool's result. */
  ToolCallCompleted: { tool: ToolExecution, content: z.string() },
};
/**
 * What Agno's content chunks (`RunContent`, `TeamRunContent`) carry beside their text (see
 * src/contracts/content-chunks.ts); absent on chunks recorded before they were sent.
 */
export const chunkFields = { content_type: z.string().optional(), reasoning_content: z.string().optional() };
/** An agent's chunks also say whether the agent is a workflow's own agent (Agno's `workflow_agent`): never here. */
export const agentChunkFields = { ...chunkFields, workflow_agent: z.boolean().optional() };
const paused = { status: z.literal('PAUSED'), paused_step_name: z.string(), paused_step_index: int, ...stepFields };

const event = <N extends EventName, S extends z.ZodRawShape>(name: N, shape: S) => z.object({ event: z.literal(name), ...eventBase, ...shape });

/**
 * One schema per event name: `event` and the base fields, then the event's own (EventFieldsByName).
 * The names and fields are Agno's, so that Agno's clients read our streams.
 */
export const EVENT_SCHEMAS = {
  /** `attempt` and `resumed_from_step` on the start of a retry of a failed run. */
  WorkflowStarted: event('WorkflowStarted', { input: z.string(), attempt: int.optional(), resumed_from_step: z.string().optional() }),
  /**
   * `metadata`: the run's, as given on start; `step_executor_runs`: the runs of the steps' agents
   * and teams (see executor-runs.ts). Both absent on events recorded before they were sent.
   */
  WorkflowCompleted: event('WorkflowCompleted', { content: z.string(), content_type: z.string(), status: z.literal('COMPLETED'), ...results, metrics: RunMetrics, metadata: jsonObject.optional(), step_executor_runs: z.array(ExecutorRunOutput).optional() }),
  WorkflowError: event('WorkflowError', { status: z.literal('ERROR'), error: z.string(), ...optionalStep }),
  WorkflowCancelled: event('WorkflowCancelled', { status: z.literal('CANCELLED'), reason: z.string(), content: z.string(), ...optionalStep }),
  /** The run waits: for a person (`pause_kind: 'step'`, Agno's `step_requirements`), or for a retry or abort after the step failed. */
  WorkflowPaused: z.union([
    event('WorkflowPaused', { ...paused, pause_kind: z.literal('step'), step_requirements: z.array(StepRequirement) }),
    event('WorkflowPaused', { ...paused, pause_kind: z.never().optional(), error: z.string() }),
  ]),
  /**
   * An operator reset the run in Temporal (Web UI, CLI): the events before this one are the log
   * as it was (the attempt that was reset included); the run goes on after it from its state at
   * event `reset_point_index`, redoing what came after that point.
   */
  WorkflowReset: event('WorkflowReset', {
    status: z.literal('RUNNING'),
    reason: z.string(),
    reset_point_index: z.number().int().min(-1),
    base_execution_id: z.string(),
    execution_id: z.string(),
  }),
  /** `attempt`: 2, 3, ... when the step runs again after a pause. */
  StepStarted: event('StepStarted', { ...stepFields, attempt: int.optional() }),
  StepCompleted: event('StepCompleted', { ...stepFields, content: z.string(), content_type: z.string(), step_response: StepResult }),
  /** The step failed and was skipped, or was not run (rejected, or nobody answered in time). */
  StepError: event('StepError', { ...stepFields, error: z.string() }),
  /** A person answered the paused step; `step_requirements` is empty when nobody did in time. */
  StepContinued: event('StepContinued', { ...stepFields, step_requirements: z.array(StepRequirement) }),
  ParallelExecutionStarted: event('ParallelExecutionStarted', { ...stepFields, parallel_step_count: int }),
  ParallelExecutionCompleted: event('ParallelExecutionCompleted', { ...stepFields, parallel_step_count: int, ...results }),
  ConditionExecutionStarted: event('ConditionExecutionStarted', { ...stepFields, condition_result: z.boolean() }),
  ConditionExecutionCompleted: event('ConditionExecutionCompleted', { ...stepFields, condition_result: z.boolean(), branch: z.enum(['if', 'else']), executed_steps: int, ...results }),
  LoopExecutionStarted: event('LoopExecutionStarted', { ...stepFields, max_iterations: int }),
  LoopIterationStarted: event('LoopIterationStarted', { ...stepFields, iteration: int, max_iterations: int }),
  LoopIterationCompleted: event('LoopIterationCompleted', { ...stepFields, iteration: int, max_iterations: int, should_continue: z.boolean() }),
  LoopExecutionCompleted: event('LoopExecutionCompleted', { ...stepFields, total_iterations: int, max_iterations: int }),
  RouterExecutionStarted: event('RouterExecutionStarted', { ...stepFields, selected_steps: z.array(z.string()) }),
  RouterExecutionCompleted: event('RouterExecutionCompleted', { ...stepFields, selected_steps: z.array(z.string()), executed_steps: int, ...results }),
  StepsExecutionStarted: event('StepsExecutionStarted', { ...stepFields, steps_count: int }),
  StepsExecutionCompleted: event('StepsExecutionCompleted', { ...stepFields, steps_count: int, executed_steps: int, ...results }),
  RunStarted: event('RunStarted', { ...agentFields, ...executorEvents.Started }),
  ModelRequestStarted: event('ModelRequestStarted', { ...agentFields, ...executorEvents.ModelRequestStarted }),
  RunContent: event('RunContent', { ...agentFields, ...executorEvents.Content, ...agentChunkFields }),
  ModelRequestCompleted: event('ModelRequestCompleted', { ...agentFields, ...executorEvents.ModelRequestCompleted }),
  RunContentCompleted: event('RunContentCompleted', { ...agentFields, ...executorEvents.ContentCompleted }),
  RunCompleted: event('RunCompleted', { ...agentFields, ...executorEvents.Completed }),
  RunError: event('RunError', { ...agentFields, ...executorEvents.Error }),
  ToolCallStarted: event('ToolCallStarted', { ...agentFields, ...executorEvents.ToolCallStarted }),
  ToolCallCompleted: event('ToolCallCompleted', { ...agentFields, ...executorEvents.ToolCallCompleted }),
  /**
   * The agent's run waits for a person: the tool calls of the model's turn that need one (`tools`),
   * as Agno's `requirements` too; `content` says what it waits for, in Agno's words.
   */
  RunPaused: event('RunPaused', { ...agentFields, content: z.string(), tools: z.array(ToolExecution), requirements: z.array(RunRequirement) }),
  /** A person answered the paused tool calls: the run goes on with them. */
  RunContinued: event('RunContinued', { ...agentFields }),
  TeamRunStarted: event('TeamRunStarted', { ...teamFields, ...executorEvents.Started }),
  TeamModelRequestStarted: event('TeamModelRequestStarted', { ...teamFields, ...executorEvents.ModelRequestStarted }),
  TeamRunContent: event('TeamRunContent', { ...teamFields, ...executorEvents.Content, ...chunkFields }),
  TeamModelRequestCompleted: event('TeamModelRequestCompleted', { ...teamFields, ...executorEvents.ModelRequestCompleted }),
  TeamRunContentCompleted: event('TeamRunContentCompleted', { ...teamFields, ...executorEvents.ContentCompleted }),
  TeamRunCompleted: event('TeamRunCompleted', { ...teamFields, ...executorEvents.Completed }),
  TeamRunError: event('TeamRunError', { ...teamFields, ...executorEvents.Error }),
  TeamToolCallStarted: event('TeamToolCallStarted', { ...teamFields, ...executorEvents.ToolCallStarted }),
  TeamToolCallCompleted: event('TeamToolCallCompleted', { ...teamFields, ...executorEvents.ToolCallCompleted }),
  /** The team's run waits for a person at its members' tool calls: the requirements name the member. */
  TeamRunPaused: event('TeamRunPaused', { ...teamFields, content: z.string(), tools: z.array(ToolExecution), requirements: z.array(RunRequirement) }),
  /** A person answered: the members' calls go on with the answers, then the team's leader. */
  TeamRunContinued: event('TeamRunContinued', { ...teamFields }),
} satisfies { [N in EventName]: z.ZodType };

/** Any event of a run: the union of the per-event schemas, told apart by `event`. */
export const RunEvent = z.union(EVENT_NAMES.map((name) => EVENT_SCHEMAS[name]));

// ---- live frames: a model call's text before the run's log has it (src/contracts/live.ts) -----
const { event_index: _logOnly, ...liveBase } = eventBase;
const live = { ...liveBase, event_index: z.never().optional().describe('Absent: live text is not in the run’s log yet.'), model_call_id: z.string(), model_call_attempt: int };

/** Live frames of a stream, beside the log's events: their SSE id is a cursor, not an event index. */
export const LIVE_EVENT_SCHEMAS = {
  LiveRunContent: z.object({ event: z.literal('RunContent'), ...live, ...agentFields, content: z.string(), ...agentChunkFields }),
  LiveTeamRunContent: z.object({ event: z.literal('TeamRunContent'), ...live, ...teamFields, content: z.string(), ...chunkFields }),
  RunContentDiscarded: z.object({ event: z.literal('RunContentDiscarded'), ...live, ...agentFields, ...agentChunkFields, discarded_length: int }),
  TeamRunContentDiscarded: z.object({ event: z.literal('TeamRunContentDiscarded'), ...live, ...teamFields, ...chunkFields, discarded_length: int }),
};
