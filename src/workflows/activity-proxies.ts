/**
 * Activity stubs with the retry and timeout policy of a run.
 *
 * Temporal owns retries: the model client never retries by itself. Errors the provider will
 * repeat (bad request, auth) are raised by the activity as non-retryable, so they fail the run at
 * once; transient ones (429, 5xx, network) are retried here, honouring `retry-after` through the
 * failure's next retry delay.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { ActivityTimeouts } from '../contracts/plan.ts';

export const DEFAULT_TIMEOUTS: Required<ActivityTimeouts> = {
  heartbeatTimeoutMs: 10_000,
  modelCallTimeoutMs: 10 * 60_000,
  toolCallTimeoutMs: 2 * 60_000,
  // User functions heartbeat while they run, so a crashed worker is noticed after the heartbeat
  // timeout; this bound only stops a function that hangs, and leaves room for slow I/O in it.
  userFunctionTimeoutMs: 10 * 60_000,
  maximumAttempts: 8,
};

export type ActivityStubs = ReturnType<typeof proxyActivities<Activities>>;

export interface RunActivities {
  model: ActivityStubs;
  tool: ActivityStubs;
  /** Function steps, Condition evaluators, Router selectors and Loop end conditions. */
  userFunction: ActivityStubs;
  /** The run's own bookkeeping in the blob store: archiving its event log. */
  data: ActivityStubs;
}

export function runActivities(timeouts: ActivityTimeouts = {}): RunActivities {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const retry: ActivityOptions['retry'] = {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: t.maximumAttempts,
  };
  return {
    // Model calls heartbeat while they stream: a dead worker is noticed after heartbeatTimeout
    // rather than after the whole call timeout, and cancellation reaches the call on its next heartbeat.
    model: proxyActivities<Activities>({
      startToCloseTimeout: t.modelCallTimeoutMs,
      heartbeatTimeout: t.heartbeatTimeoutMs,
      retry,
    }),
    tool: proxyActivities<Activities>({
      startToCloseTimeout: t.toolCallTimeoutMs,
      heartbeatTimeout: t.heartbeatTimeoutMs,
      retry,
    }),
    userFunction: proxyActivities<Activities>({
      startToCloseTimeout: t.userFunctionTimeoutMs,
      heartbeatTimeout: t.heartbeatTimeoutMs,
      retry,
    }),
    // A store that stays down fails the call for good (non-retryable): no heartbeat, a plain bound.
    data: proxyActivities<Activities>({ startToCloseTimeout: '2m', retry }),
  };
}
