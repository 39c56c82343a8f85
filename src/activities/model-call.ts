/**
 * The model call activity: one request to the model, with token deltas streamed to the run's
 * workflow, heartbeats while it runs, and cancellation that aborts the HTTP request.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import OpenAI from 'openai';
import type { Registry } from '../registry/registry.ts';
import { contentDeltaSignal } from '../contracts/run-workflow-api.ts';
import { DeltaPublisher } from './delta-publisher.ts';
import { modelFailure } from './model-errors.ts';
import { callChat, callResponses } from './openai-requests.ts';
import type { ModelCallInput, ModelCallResult } from '../contracts/activities.ts';

export interface ModelCallDeps {
  registry: Registry;
  /** Temporal client the activity signals its workflow with. */
  temporal: Client;
  env?: NodeJS.ProcessEnv;
  /** Interval of delta batches (ms); default 200. */
  deltaIntervalMs?: number;
}

/** Heartbeats while waiting on the model, so a dead worker is noticed and cancellation arrives. */
const HEARTBEAT_EVERY_MS = 1000;

export function createModelCall(deps: ModelCallDeps) {
  const clients = new Map<string, OpenAI>();

  function clientFor(input: ModelCallInput): OpenAI {
    const env = deps.env ?? process.env;
    const model = deps.registry.model(input.model.ref);
    const apiKey = model?.apiKey ?? env.OPENAI_API_KEY;
    if (!apiKey) {
      throw ApplicationFailure.create({
        message: 'OPENAI_API_KEY is not set on the worker: set it (or give the model an apiKey) and retry the run.',
        type: 'MissingApiKey',
        nonRetryable: true,
      });
    }
    // `||`: an empty variable (as docker-compose passes unset ones) means "not set".
    const baseURL = input.model.baseURL || model?.baseURL || env.OPENAI_BASE_URL || undefined;
    const key = `${baseURL ?? ''}\n${apiKey}`;
    let client = clients.get(key);
    if (!client) {
      // Temporal owns retries: the client must not retry on its own.
      client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 10 * 60_000 });
      clients.set(key, client);
    }
    return client;
  }

  return async function callModel(input: ModelCallInput): Promise<ModelCallResult> {
    const ctx = Context.current();
    const provider = input.model.provider === 'openai-chat' ? 'OpenAI Chat Completions' : 'OpenAI Responses';
    const client = clientFor(input);
    const workflow = deps.temporal.workflow.getHandle(input.workflowId);
    const publisher = new DeltaPublisher({
      callId: input.callId,
      attempt: ctx.info.attempt,
      intervalMs: deps.deltaIntervalMs,
      send: (batch) => workflow.signal(contentDeltaSignal, batch),
      onSent: () => ctx.heartbeat(),
    });
    const heartbeats = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      const request = { signal: ctx.cancellationSignal, onDelta: input.stream ? (text: string) => publisher.push(text) : () => {} };
      const result = input.model.provider === 'openai-chat' ? await callChat(client, input, request) : await callResponses(client, input, request);
      // Text not yet sent is not signalled: the workflow appends whatever the deltas did not
      // deliver from the result itself (EventLog.closeStream), which saves a signal and a
      // workflow task per call. A batch still in flight that lands after the result is ignored.
      return result;
    } catch (err) {
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      throw modelFailure(err, provider);
    } finally {
      clearInterval(heartbeats);
      publisher.close();
    }
  };
}
