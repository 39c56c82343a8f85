/**
 * Queries and signals of a run's Temporal workflow: the contract between the workflow, the
 * engine client and the HTTP API. Queries add nothing to history and still answer after the
 * run has closed, which is why readers use them for events and state.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ContentDeltaBatch, RunEvent, RunState, StepRequirement } from './events.ts';
import type { RunInput } from './plan.ts';

/** Events with `event_index > after`, oldest first, at most `limit`. */
export const eventsQuery = defineQuery<RunEvent[], [after: number, limit?: number]>('events');

export const stateQuery = defineQuery<RunState>('state');

/** The run's input (without what a retry carried), for starting a retry of it. */
export const inputQuery = defineQuery<RunInput>('input');

/** Continue a run held after a failure (PAUSED): run the failed step again, or end the run ERROR. */
export const retrySignal = defineSignal('retry');
export const abortSignal = defineSignal('abort');

/** A person's answer to a step waiting for confirmation or input. */
export const continueSignal = defineSignal<[StepRequirement[]]>('continue');

/** Token deltas from a model call activity; deduplicated by the event log. */
export const contentDeltaSignal = defineSignal<[ContentDeltaBatch]>('contentDelta');

/** The Temporal workflow type that interprets a plan. */
export const RUN_WORKFLOW_TYPE = 'WorkflowRun';

/** Most events one `events` query returns, to keep query results far below payload limits. */
export const EVENTS_PAGE_LIMIT = 500;
