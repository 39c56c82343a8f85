/**
 * The model call activity: one request to the model through its provider's adapter, with token
 * deltas published on the live lane as they arrive, heartbeats while it runs, and cancellation
 * that aborts the HTTP request. The answer goes back to the workflow as the result, with how it
 * was cut into deltas; nothing is signalled while the model writes.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Registry } from '../registry/registry.ts';
import { defaultLiveLane } from '../live/config.ts';
import type { LiveLane } from '../live/lane.ts';
import { loadConversation } from './conversation.ts';
import { DeltaPublisher } from './delta-publisher.ts';
import { withHeartbeats } from './heartbeat.ts';
import { modelProvider } from './providers/index.ts';
import type { ModelCallInput, ModelCallResult } from '../contracts/activities.ts';
import type { RunData } from './run-data.ts';
import type { ActivityMetrics } from './activity-metrics.ts';
import { inModelCallSpan } from '../tracing/call-spans.ts';

export interface ModelCallDeps {
  registry: Registry;
  temporal: Client;
  env?: NodeJS.ProcessEnv;
  /** Where token deltas are published; default the process's lane (LIVE_LANE, REDIS_URL). */
  live?: LiveLane;
  /** Where the conversation's texts are read from, and a big reply is kept. */
  data: RunData;
  metrics: ActivityMetrics;
}

export function createModelCall(deps: ModelCallDeps) {
  return async function callModel(input: ModelCallInput): Promise<ModelCallResult> {
    const ctx = Context.current();
    const provider = modelProvider(input.model.provider);
    const model = { provider: input.model.provider, model: input.model.id };
    // The workflow sends the conversation by reference (archive, text references): read it back.
    const conversation = await withHeartbeats(() => loadConversation(deps.data, input));
    const publisher = new DeltaPublisher({
      lane: deps.live ?? defaultLiveLane(),
      runId: input.workflowId,
      callId: input.callId,
      attempt: ctx.info.attempt,
      template: input.live,
    });
    // Counted once: a reply the blob store then refuses is the store's failure, not the model's.
    let answered = false;
    try {
      // Timed from the request, not from the activity's start: reading the conversation back is ours.
      const sentAt = performance.now();
      let firstTokenAt: number | undefined;
      // Reasoning goes to the log with the answer, not on the live lane (whose offsets count the answer's text).
      const reasoningSegments: number[] = [];
      const result = await withHeartbeats(() =>
        inModelCallSpan(input, () =>
          provider.call({
            input: { ...input, messages: conversation.messages },
            definition: deps.registry.model(input.model.ref),
            env: deps.env ?? process.env,
            signal: ctx.cancellationSignal,
            onDelta: (text) => {
              firstTokenAt ??= performance.now();
              if (input.stream) publisher.push(text);
            },
            onReasoningDelta: (text) => {
              firstTokenAt ??= performance.now();
              if (text) reasoningSegments.push(text.length);
            },
          }),
        ),
      );
      const timing = {
        duration: (performance.now() - sentAt) / 1000,
        ...(firstTokenAt !== undefined ? { time_to_first_token: (firstTokenAt - sentAt) / 1000 } : {}),
      };
      answered = true;
      deps.metrics.modelCalls.inc({ ...model, outcome: 'ok' });
      deps.metrics.modelCallDuration.observe(model, timing.duration);
      deps.metrics.modelTokens.inc({ ...model, kind: 'input' }, result.usage.input_tokens);
      deps.metrics.modelTokens.inc({ ...model, kind: 'output' }, result.usage.output_tokens);
      const streamed = input.stream ? publisher.streamed(result.content) : undefined;
      // A big reply goes back to the workflow as a reference (of the same length, so the
      // streamed pieces still add up to it).
      const content = await deps.data.keep(result.content, 'reply', input);
      const reasoning = result.reasoning ? await reasoningKept(deps.data, result.reasoning, reasoningSegments, input) : {};
      return { ...result, content, ...reasoning, timing, ...(streamed ? { streamed } : {}), ...(conversation.archived ? { archived: conversation.archived } : {}) };
    } catch (err) {
      if (!answered) deps.metrics.modelCalls.inc({ ...model, outcome: ctx.cancellationSignal.aborted ? 'cancelled' : 'error' });
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      // A failure the adapter decided on itself (a missing API key) goes out as it is.
      throw err instanceof ApplicationFailure ? err : provider.failure(err);
    } finally {
      publisher.end();
    }
  };
}

/** The reasoning as the workflow keeps it: a reference when big, with its deltas' lengths when they add up to it. */
async function reasoningKept(data: RunData, text: string, segments: number[], input: ModelCallInput): Promise<Pick<ModelCallResult, 'reasoning' | 'reasoningSegments'>> {
  const streamed = segments.length > 0 && segments.reduce((sum, n) => sum + n, 0) === text.length;
  return { reasoning: await data.keep(text, 'reasoning', input), ...(streamed ? { reasoningSegments: segments } : {}) };
}
