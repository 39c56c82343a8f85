/**
 * A run as AgentOS lists it in a session and in a workflow's runs (`WorkflowRunSchema`): the
 * run's output under AgentOS's names, its datetimes in ISO 8601, and the empty values of what
 * nothing here produces. One shape for both lists.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../../contracts/events.ts';
import type { RunOutputDict } from '../../contracts/events.ts';
import { none } from './common.ts';
import { RunEvent } from '../../contracts/wire-schemas/events.ts';
import { ExecutorRunOutput, RunMetrics, StepRequirement, StepResult } from '../../contracts/wire-schemas/run-parts.ts';

/** ISO 8601 in UTC, whole seconds, as AgentOS's datetimes read. */
export const timestamp = z.iso.datetime();

/** Unix seconds as AgentOS's datetimes read: ISO 8601, UTC, whole seconds. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What no model here produces (visible reasoning, citations, media), on every run a session lists: AgentOS's empty values. */
export const NothingProduced = {
  reasoning_content: z.literal(''),
  reasoning_steps: none,
  reasoning_messages: none,
  references: none,
  images: none,
  videos: none,
  audio: none,
  files: none,
};

/** The values of `NothingProduced`, new arrays each time. */
export function nothingProduced(): z.output<z.ZodObject<typeof NothingProduced>> {
  return { reasoning_content: '', reasoning_steps: [], reasoning_messages: [], references: [], images: [], videos: [], audio: [], files: [] };
}

export const WorkflowSessionRun = z.object({
  run_id: z.string(),
  run_input: z.string(),
  events: z.array(RunEvent).optional().describe('The run’s events from its start, within a budget per list (see RunOutput.events).'),
  events_truncated: z.literal(true).optional().describe('The log goes on after `events`: read the rest from the run’s event stream.'),
  events_truncated_reason: z.string().optional().describe('Why `events` stops short (see RunOutput.events_truncated_reason).'),
  workflow_id: z.string(),
  user_id: z.string().optional(),
  content: z.string().optional(),
  content_type: z.string(),
  status: z.enum(RUN_STATUSES),
  step_results: z.array(StepResult),
  step_executor_runs: z.array(ExecutorRunOutput).optional().describe('Each run of a step’s agent or team.'),
  step_requirements: z.array(StepRequirement).optional(),
  pause_kind: z.literal('step').optional().describe('While the run waits for a person.'),
  paused_step_name: z.string().optional(),
  paused_step_index: z.number().int().optional(),
  cancellation_stage: z.enum(['PENDING', 'EXECUTING', 'PAUSED']).optional(),
  metrics: RunMetrics.optional(),
  created_at: timestamp,
  ...NothingProduced,
});

/** `WorkflowRunSchema`: a run as `GET /sessions/{id}/runs` lists it. */
export function workflowRunSchema(output: RunOutputDict): z.output<typeof WorkflowSessionRun> {
  // Fields left undefined are left out of the JSON answer.
  return {
    run_id: output.run_id,
    run_input: output.input,
    events: output.events,
    events_truncated: output.events_truncated,
    events_truncated_reason: output.events_truncated_reason,
    workflow_id: output.workflow_id,
    user_id: output.user_id,
    content: output.content,
    content_type: output.content_type,
    status: output.status,
    step_results: output.step_results,
    step_executor_runs: output.step_executor_runs,
    step_requirements: output.step_requirements,
    pause_kind: output.pause_kind,
    paused_step_name: output.paused_step_name,
    paused_step_index: output.paused_step_index,
    cancellation_stage: output.cancellation_stage,
    metrics: output.metrics,
    created_at: isoSeconds(output.created_at),
    ...nothingProduced(),
  };
}
