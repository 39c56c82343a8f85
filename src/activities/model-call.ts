/**
 * The model call activity: one request to the model through its provider's adapter, with token
 * deltas streamed to the run's workflow, heartbeats while it runs, and cancellation that aborts
 * the HTTP request.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Registry } from '../registry/registry.ts';
import { contentDeltaSignal } from '../contracts/run-workflow-api.ts';
import { DeltaPublisher } from './delta-publisher.ts';
import { withHeartbeats } from './heartbeat.ts';
import { modelProvider } from './providers/index.ts';
import type { ModelCallInput, ModelCallResult } from '../contracts/activities.ts';

export interface ModelCallDeps {
  registry: Registry;
  /** Temporal client the activity signals its workflow with. */
  temporal: Client;
  env?: NodeJS.ProcessEnv;
  /** Interval of delta batches (ms); default 200. */
  deltaIntervalMs?: number;
}

export function createModelCall(deps: ModelCallDeps) {
  return async function callModel(input: ModelCallInput): Promise<ModelCallResult> {
    const ctx = Context.current();
    const provider = modelProvider(input.model.provider);
    const workflow = deps.temporal.workflow.getHandle(input.workflowId);
    const publisher = new DeltaPublisher({
      callId: input.callId,
      attempt: ctx.info.attempt,
      intervalMs: deps.deltaIntervalMs,
      send: (batch) => workflow.signal(contentDeltaSignal, batch),
      onSent: () => ctx.heartbeat(),
    });
    try {
      // Text not yet sent is not signalled: the workflow appends whatever the deltas did not
      // deliver from the result itself (EventLog.closeStream), which saves a signal and a
      // workflow task per call. A batch still in flight that lands after the result is ignored.
      return await withHeartbeats(() =>
        provider.call({
          input,
          definition: deps.registry.model(input.model.ref),
          env: deps.env ?? process.env,
          signal: ctx.cancellationSignal,
          onDelta: input.stream ? (text) => publisher.push(text) : () => {},
        }),
      );
    } catch (err) {
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      // A failure the adapter decided on itself (a missing API key) goes out as it is.
      throw err instanceof ApplicationFailure ? err : provider.failure(err);
    } finally {
      publisher.close();
    }
  };
}
