/**
 * A run's output as Agno's `WorkflowRunOutput` shows it: the same keys in `toDict()`, so our
 * API's responses read like AgentOS's.
 */
import type { CancellationStage, RunEvent, RunMetrics, RunOutputDict, RunState, RunStatus, StepRequirement, StepResult } from '../contracts/events.ts';
import { TERMINAL_STATUSES } from '../contracts/events.ts';
import { executorRunOutput } from '../contracts/executor-runs.ts';
import type { ExecutorRunOutput } from '../contracts/executor-runs.ts';

export class WorkflowRunOutput {
  /** Also the Temporal workflow id of the run's execution. */
  run_id: string;
  /** The workflow definition's id, as Agno names it (not a Temporal workflow id). */
  workflow_id: string;
  workflow_name: string;
  session_id: string;
  user_id: string | undefined;
  input: string;
  content: string | undefined;
  content_type = 'str';
  status: RunStatus;
  step_results: StepResult[];
  /** Each run of a step's agent or team, with its messages, tool calls and metrics (absent before the first ends). */
  step_executor_runs: ExecutorRunOutput[] | undefined;
  metrics: RunMetrics | undefined;
  error: string | undefined;
  created_at: number;
  /** The run's log from its start, when read with it (see read-run.ts); `events_truncated` when cut short. */
  events: RunEvent[] | undefined;
  events_truncated: true | undefined;
  events_truncated_reason: string | undefined;
  /** What the run asked people (the newest is the question while it waits for one), with their answers. */
  step_requirements: StepRequirement[] | undefined;
  pause_kind: 'step' | undefined;
  paused_step_name: string | undefined;
  paused_step_index: number | undefined;
  metadata: Record<string, unknown>;
  cancellation_stage: CancellationStage | undefined;

  constructor(state: RunState, events?: { events: RunEvent[]; truncated: boolean; reason?: string }) {
    this.run_id = state.run_id;
    this.workflow_id = state.workflow_id;
    this.workflow_name = state.workflow_name;
    this.session_id = state.session_id;
    this.user_id = state.user_id;
    this.input = state.input;
    this.content = state.content;
    this.status = state.status;
    this.step_results = state.step_results;
    this.step_executor_runs = state.step_executor_runs?.length ? state.step_executor_runs.map((run) => executorRunOutput(run, state.session_id)) : undefined;
    this.metrics = Object.keys(state.metrics.steps).length > 0 ? state.metrics : undefined;
    this.error = state.error;
    this.created_at = state.created_at;
    this.events = events?.events;
    this.events_truncated = events?.truncated ? true : undefined;
    this.events_truncated_reason = events?.truncated ? events.reason : undefined;
    this.step_requirements = state.step_requirements?.length ? state.step_requirements : undefined;
    this.pause_kind = state.pause_kind;
    this.paused_step_name = state.paused_step_name;
    this.paused_step_index = state.paused_step_index;
    this.metadata = state.metadata ?? {};
    this.cancellation_stage = state.cancellation_stage;
  }

  get runId(): string {
    return this.run_id;
  }

  /** True once the run has ended: completed, failed or cancelled. */
  hasCompleted(): boolean {
    return TERMINAL_STATUSES.includes(this.status);
  }

  isPending(): boolean {
    return this.status === 'PENDING';
  }

  toDict(): RunOutputDict {
    const out: RunOutputDict = {
      run_id: this.run_id,
      workflow_id: this.workflow_id,
      workflow_name: this.workflow_name,
      session_id: this.session_id,
      input: this.input,
      content: this.content,
      content_type: this.content_type,
      images: [],
      videos: [],
      audio: [],
      files: [],
      status: this.status,
      step_results: this.step_results,
      created_at: this.created_at,
      metadata: this.metadata,
    };
    if (this.user_id !== undefined) out.user_id = this.user_id;
    if (this.step_executor_runs !== undefined) out.step_executor_runs = this.step_executor_runs;
    if (this.metrics !== undefined) out.metrics = this.metrics;
    if (this.error !== undefined) out.error = this.error;
    if (this.events !== undefined) out.events = this.events;
    if (this.events_truncated) out.events_truncated = true;
    if (this.events_truncated_reason !== undefined) out.events_truncated_reason = this.events_truncated_reason;
    if (this.step_requirements !== undefined) out.step_requirements = this.step_requirements;
    if (this.pause_kind !== undefined) out.pause_kind = this.pause_kind;
    if (this.paused_step_name !== undefined) out.paused_step_name = this.paused_step_name;
    if (this.paused_step_index !== undefined) out.paused_step_index = this.paused_step_index;
    if (this.cancellation_stage !== undefined) out.cancellation_stage = this.cancellation_stage;
    return out;
  }
}
