/**
 * Queries and signals of a run's Temporal workflow: the contract between the workflow, the
 * engine client and the HTTP API. Queries add nothing to history and still answer after the
 * run has closed, which is why readers use them for events and state.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ContentDeltaBatch, RunEvent, RunState } from '../events/types.ts';

/** Events with `event_index > after`, oldest first, at most `limit`. */
export const eventsQuery = defineQuery<RunEvent[], [after: number, limit?: number]>('events');

export const stateQuery = defineQuery<RunState>('state');

/** Token deltas from a model call activity; deduplicated by the event log. */
export const contentDeltaSignal = defineSignal<[ContentDeltaBatch]>('contentDelta');

/** The Temporal workflow type that interprets a plan. */
export const RUN_WORKFLOW_TYPE = 'WorkflowRun';

/** Most events one `events` query returns, to keep query results far below payload limits. */
export const EVENTS_PAGE_LIMIT = 500;
