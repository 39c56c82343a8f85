/**
 * The run event model, named as Agno names it so that Agno's clients understand our streams.
 *
 * Every event of a run carries the same base fields and an `event_index`: per run, from 0,
 * gapless and never reused. The run's Temporal workflow assigns it, so it survives worker crashes
 * and activity retries.
 */

import type { z } from 'zod';
import type { AgentEventName, EventName, RunStatus, TeamEventName } from './event-names.ts';
import type { RunMetrics } from './metrics.ts';
import type { CancellationStage, StepRequirement, StepResult } from './run-details.ts';
import type { ExecutorRunRecord } from './executor-runs.ts';
import type { RunRequirement } from './tool-execution.ts';
import type * as wire from './wire-schemas/events.ts';
import type * as output from './wire-schemas/run-output.ts';

export type { RunRequirement, ToolExecution, UserInputField } from './tool-execution.ts';
export type { ExecutorRunOutput, ExecutorRunRecord, RunMessage } from './executor-runs.ts';
export type { ExecutorRunMetrics, ModelCallTiming, ModelTokens, RunMetrics, TokenMetrics } from './metrics.ts';
export type { CancellationStage, RequirementStepInput, StepRequirement, StepResult, StepType } from './run-details.ts';
export { flattenStepResults, waitingRequirement } from './run-details.ts';

export { AGENT_EVENTS, EVENT_NAMES, RUN_STATUSES, TEAM_EVENTS, TERMINAL_STATUSES, WORKFLOW_EVENTS } from './event-names.ts';
export type { AgentEventName, EventName, RunStatus, TeamEventName, WorkflowEventName } from './event-names.ts';
/**
 * The events that end a run's log, when they are its last event. A failed run that is retried
 * continues its log after its `WorkflowError`, so readers end a stream at a terminal event only
 * when nothing follows it.
 */
export const TERMINAL_EVENTS: readonly EventName[] = ['WorkflowCompleted', 'WorkflowError', 'WorkflowCancelled'];

/** Whether a log whose newest event is `last` has ended (for now: a retry may continue it). */
export function isEndOfLog(last: RunEvent | undefined): boolean {
  return last !== undefined && TERMINAL_EVENTS.includes(last.event);
}

type FieldsOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** Fields every event carries (declared once, with the events, in wire-schemas/events.ts). */
export type BaseEvent<N extends EventName = EventName> = { event: N } & FieldsOf<typeof wire.eventBase>;

/** The step (or group: Parallel, Loop, ...) an event belongs to; `step_index` is its top-level position. */
export type StepFields = FieldsOf<typeof wire.stepFields>;

/** Agno's identity fields of an agent's or team's events: `run_id` is the agent's or team's own run. */
export type ExecutorRunFields = Pick<BaseEvent, 'run_id'> & FieldsOf<typeof wire.executorRunFields>;

export type AgentIdentity = Pick<BaseEvent, 'run_id'> & Omit<FieldsOf<typeof wire.agentFields>, keyof StepFields>;

export type TeamIdentity = Pick<BaseEvent, 'run_id'> & Omit<FieldsOf<typeof wire.teamFields>, keyof StepFields>;

/** Who produced an agent or team event. */
export type ExecutorIdentity = AgentIdentity | TeamIdentity;

/** The event named `N`: `RunEventOf<'ToolCallStarted'>` has its `tool`. */
export type RunEventOf<N extends EventName> = { [K in N]: z.output<(typeof wire.EVENT_SCHEMAS)[K]> }[N];

/** Any event of a run; `event` tells which, and narrowing on it gives that event's fields. */
export type RunEvent = RunEventOf<EventName>;

/** Events of an agent's or a team leader's run: they carry the agent's or team's identity. */
export type ExecutorEvent = RunEventOf<AgentEventName | TeamEventName>;

/** `Omit` of each member of a union (`WorkflowPaused` is two shapes). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The fields of each event beyond `BaseEvent`: what workflow code emits it with (an agent's or
 * team's event names its own run in `run_id`).
 */
export type EventFieldsByName = {
  [N in EventName]: OmitEach<RunEventOf<N>, N extends AgentEventName | TeamEventName ? Exclude<keyof BaseEvent, 'run_id'> : keyof BaseEvent>;
};

/** The fields event `N` is emitted with (a union of them for a union of names). */
export type EventFields<N extends EventName> = EventFieldsByName[N];

/** What the run's `state` query answers: enough to render a run without reading its events. */
export interface RunState {
  run_id: string;
  workflow_id: string;
  workflow_name: string;
  session_id: string;
  user_id?: string;
  input: string;
  status: RunStatus;
  current_step?: string;
  step_results: StepResult[];
  content?: string;
  error?: string;
  metrics: RunMetrics;
  /** Unix seconds. */
  created_at: number;
  /** Index of the newest event, -1 before the first. */
  last_event_index: number;
  /** What the run asked people, with the answers (Agno keeps them); while it waits for one, the newest (`waitingRequirement`). */
  step_requirements?: StepRequirement[];
  /**
   * While the run's agent waits for a person at its tools (an agent's own run, status PAUSED):
   * the tool calls it waits on, as Agno's `requirements` (`pause_kind` is then absent).
   */
  tool_requirements?: RunRequirement[];
  /** While the run is paused: `step` when it waits for a person (absent when held after a failure), and the step it waits at. */
  pause_kind?: 'step';
  paused_step_name?: string;
  paused_step_index?: number;
  /** The run's metadata, as given on start. */
  metadata?: Record<string, unknown>;
  /** Set when the run was cancelled by its own code (not when terminated). */
  cancellation_stage?: CancellationStage;
  /** The runs of the steps' agents and teams, as recorded: the latest `EXECUTOR_RUNS_KEPT` (absent in runs recorded before). */
  step_executor_runs?: ExecutorRunRecord[];
}

/** A run as the API returns it: Agno's `WorkflowRunOutput.to_dict()` keys (declared once, in wire-schemas/run-output.ts). */
export type RunOutputDict = z.output<typeof output.RunOutput>;

/** An agent's or team's own run as the API returns it: Agno's `RunOutput.to_dict()` / `TeamRunOutput.to_dict()` keys. */
export type RunnableRunOutputDict = z.output<typeof output.RunnableRunOutput>;

/** A run as lists show it, from Temporal visibility alone; `tokens` from its memo (absent in runs recorded before). */
export type RunSummary = z.output<typeof output.RunSummary>;

/** A batch of token deltas sent by one model call attempt to its workflow. */
export interface ContentDeltaBatch {
  /** Identifies the model call inside the run (stable across attempts). */
  callId: string;
  attempt: number;
  /** Character offset of `text` within this attempt's streamed content. */
  offset: number;
  text: string;
}
