/**
 * What a run started in a session that has a live run does (LangGraph's `multitask_strategy`):
 * - `enqueue` (Agno's): it starts when the runs before it have ended; a PAUSED run holds the session;
 * - `reject`: refused (409), nothing started;
 * - `interrupt`: the live run and the queued ones are cancelled, then the new one starts;
 * - `rollback`: as `interrupt`, and the cancelled runs are deleted;
 * - `concurrent`: it starts at once, beside the live run (no queue).
 * Apart from the queue's Temporal contract (session-queue-api.ts), so that the CLI and the client use them without Temporal.
 */
export const MULTITASK_STRATEGIES = ['enqueue', 'reject', 'interrupt', 'rollback', 'concurrent'] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];
export type QueuedStrategy = Exclude<MultitaskStrategy, 'concurrent'>;
