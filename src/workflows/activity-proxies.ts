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
import { packRunRecord, type RecordCarrier } from '../contracts/run-record-packing.ts';
import type { RunRecorder } from './run-recorder.ts';

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
  /** Writes to the run store alone (`recordRun`): retried until the store takes them, so the run waits for it. */
  store: ActivityStubs;
}

/**
 * The run's activity stubs. With `recorder`, each call carries the run's unsent events and row
 * to the run store in its input (see run-recorder.ts): `record`, written by the worker before the
 * activity's own work.
 */
export function runActivities(timeouts: ActivityTimeouts = {}, recorder?: RunRecorder): RunActivities {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const retry: ActivityOptions['retry'] = {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: t.maximumAttempts,
  };
  const stubs: RunActivities = {
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
    // No `maximumAttempts`: retried for as long as the store is down.
    store: proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { initialInterval: retry.initialInterval, backoffCoefficient: retry.backoffCoefficient, maximumInterval: retry.maximumInterval } }),
  };
  if (!recorder) return stubs;
  const carrying = (group: ActivityStubs) => withRecords(group, recorder);
  return { model: carrying(stubs.model), tool: carrying(stubs.tool), userFunction: carrying(stubs.userFunction), data: carrying(stubs.data), store: carrying(stubs.store) };
}

type ActivityStub = ActivityStubs[keyof ActivityStubs];

/**
 * Stubs whose calls carry the recorder's record, packed, as `record`, a field of their input object (an
 * activity called with none, such as `carryResetBase`, carries nothing). The record counts as
 * written once the call completes; a call that fails lets the next one carry it again.
 */
function withRecords(stubs: ActivityStubs, recorder: RunRecorder): ActivityStubs {
  const carry = (stub: ActivityStub, options: ActivityOptions | undefined, args: unknown[]) => {
    const [input, ...rest] = args;
    const record = typeof input === 'object' && input !== null ? recorder.take() : undefined;
    const call = (sent: unknown[]) => (options ? stub.executeWithOptions(options, sent as never) : (stub as (...a: unknown[]) => Promise<unknown>)(...sent));
    if (!record) return call(args);
    return call([{ ...(input as object), record: packRunRecord(record) } satisfies RecordCarrier, ...rest]).then(
      (result) => {
        recorder.written(record);
        return result;
      },
      (err: unknown) => {
        recorder.notWritten();
        throw err;
      },
    );
  };
  return new Proxy(stubs, {
    get(target, name) {
      const stub = Reflect.get(target, name) as ActivityStub;
      if (typeof stub !== 'function') return stub;
      return Object.assign((...args: unknown[]) => carry(stub, undefined, args), {
        executeWithOptions: (options: ActivityOptions, args: unknown[]) => carry(stub, options, args),
      });
    },
  });
}
