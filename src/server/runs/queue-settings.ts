/**
 * A deployment's queue settings (docs/adr/0017-session-queue.md), read from the environment in
 * src/os/api-env.ts: what a run started in a session with a live run does when its request does
 * not say, and how many runs may wait to start before a start is refused (429).
 */
import type { MultitaskStrategy } from '../../contracts/multitask-strategies.ts';

export interface QueueSettings {
  /** `multitask_strategy` of a start that names none: Agno's one live run per session, in order (`enqueue`). */
  multitaskStrategy: MultitaskStrategy;
  /** Runs waiting to start (PENDING) past which a start answers 429 (Agno's `max_queue_depth`); 0: no bound. */
  maxQueueDepth: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { multitaskStrategy: 'enqueue', maxQueueDepth: 1000 };
