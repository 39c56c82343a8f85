/**
 * Queries, signals and updates of a run's Temporal workflow: the contract between the workflow,
 * the engine client and the HTTP API. Queries add nothing to history and still answer after the
 * run has closed, which is why readers use them for events and state.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ContentDeltaBatch, RunEvent, RunRequirement, RunState, StepRequirement, ToolExecution } from './events.ts';
import type { LogSegment, RunInput } from './plan.ts';

/**
 * Events with `event_index > after` that the execution holds in memory, oldest first, at most
 * `limit` and about `EVENT_PAGE_BYTES`. Events archived by an earlier execution (continue-as-new,
 * retry) are not there: readers use `eventPageQuery`.
 */
export const eventsQuery = defineQuery<RunEvent[], [after: number, limit?: number]>('events');

/** One page of a run's log after some index: events from memory, or the archived segments that hold them. */
export interface EventPage {
  /** Events with `event_index > after`, oldest first, within the page's bounds (at least one, if any). */
  events: RunEvent[];
  /** When the events after `after` were archived: the segments that hold them, in order (read them from the blob store). */
  archived: LogSegment[];
  /** Index of the newest event of the log (-1 before the first). */
  lastIndex: number;
}

/** The log after `after`: a page of at most `maxBytes` (default `EVENT_PAGE_BYTES`) of JSON. */
export const eventPageQuery = defineQuery<EventPage, [after: number, maxBytes?: number]>('eventPage');

export const stateQuery = defineQuery<RunState>('state');

/** The run's input (without what a retry carried), for starting a retry of it. */
export const inputQuery = defineQuery<RunInput>('input');

/** Continue a run held after a failure (PAUSED): run the failed step again, or end the run ERROR. */
export const retrySignal = defineSignal('retry');
export const abortSignal = defineSignal('abort');

/** A person's answer to a step waiting for confirmation or input. */
export const continueSignal = defineSignal<[StepRequirement[]]>('continue');

/**
 * What the engine sends instead of the signals above: a person's answers (as `continue` carries
 * them), and the retry of a run held after a failure, each taken at most once. The workflow's
 * validator judges each against the run as it stands and refuses (an `ApplicationFailure` whose
 * type is an `UpdateRefusal`, its message saying why, and which answer was taken) what it cannot
 * take: the run is not waiting for it, another caller's was taken first, or the answer does not fit
 * the question. A refused update writes nothing to history and its caller is told, where a signal
 * is accepted by the server and dropped by the workflow. The signals stay for Web UI and CLI users
 * and for runs recorded with them. See docs/adr/0010-approvals-by-update.md.
 */
export const answerUpdate = defineUpdate<AnswerTaken, [StepRequirement[]]>('answer');
export const retryUpdate = defineUpdate<void>('retryHeld');

/**
 * A person's answers to the tool calls an agent's own run waits on, as Agno's continue sends
 * them: the calls' tool executions with `confirmed` (and `confirmation_note`), the filled
 * `user_input_schema`, or the `result` of a tool run elsewhere. Judged like `answer`.
 */
export const toolAnswersUpdate = defineUpdate<ToolAnswersTaken, [ToolExecution[]]>('answerTools');

/** The answers taken, and the index of the newest event then: what follows is the continued run. */
export interface ToolAnswersTaken {
  answers: RunRequirement[];
  lastEventIndex: number;
}

/** The answer taken, and the index of the newest event then: what follows is the continued run. */
export interface AnswerTaken {
  answer: StepRequirement;
  lastEventIndex: number;
}

/**
 * Why an update was refused: it conflicts with the run as it stands (`AnswerRefused`,
 * `RetryRefused`), or the answer does not fit the question asked (`AnswerInvalid`).
 */
export type UpdateRefusal = 'AnswerRefused' | 'AnswerInvalid' | 'RetryRefused';

/**
 * Whether a `continue` signal's payload is answers the run can use. Signals can be sent by hand
 * (Web UI, CLI) with any payload: the workflow ignores, with a log line, one that is not a list
 * of requirements each naming its step, rather than failing its workflow task on it (a failing
 * task is retried forever: the run would be stuck).
 */
export function isStepAnswers(payload: unknown): payload is StepRequirement[] {
  return Array.isArray(payload) && payload.every((item) => typeof item === 'object' && item !== null && typeof (item as StepRequirement).step_id === 'string');
}

/** Token deltas from a model call activity; deduplicated by the event log. */
export const contentDeltaSignal = defineSignal<[ContentDeltaBatch]>('contentDelta');

/** Whether a `contentDelta` signal's payload is a batch (the same guard: it may come by hand). */
export function isContentDeltaBatch(payload: unknown): payload is ContentDeltaBatch {
  if (typeof payload !== 'object' || payload === null) return false;
  const batch = payload as ContentDeltaBatch;
  return typeof batch.callId === 'string' && Number.isInteger(batch.attempt) && Number.isInteger(batch.offset) && batch.offset >= 0 && typeof batch.text === 'string';
}

/** The Temporal workflow type that interprets a plan. */
export const RUN_WORKFLOW_TYPE = 'WorkflowRun';

/** Its signature (src/workflows/run-workflow.ts checks it), for typed starts that import no workflow code. */
export type RunWorkflow = (run: RunInput) => Promise<RunState>;

/** Most events one `events` query returns, to keep query results far below payload limits. */
export const EVENTS_PAGE_LIMIT = 500;

/**
 * About the most bytes of events (as JSON) one page holds. Query answers over the claim-check
 * threshold go through the blob store, and a gRPC message may not pass 4 MB: pages stay small,
 * and a single bigger event still comes alone (its big texts are references, see text-refs.ts).
 */
export const EVENT_PAGE_BYTES = 256 * 1024;
/** The largest page `eventPageQuery` answers, for a reader that wants the log in few queries. */
export const MAX_EVENT_PAGE_BYTES = 4 * EVENT_PAGE_BYTES;
