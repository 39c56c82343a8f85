/**
 * What both OpenAI adapters share: the `openai` client, built once per base URL and key, and the
 * mapping of its errors onto the retry policy of ../model-errors.ts.
 */
import { ApplicationFailure } from '@temporalio/activity';
import OpenAI from 'openai';
import { httpFailure, transientFailure } from '../model-errors.ts';
import type { ModelRequest } from './adapter.ts';

// A client holds no per-call state, so every call in this process with the same base URL and
// key shares one.
const clients = new Map<string, OpenAI>();

export function openAIClient({ input, definition, env }: ModelRequest): OpenAI {
  const apiKey = definition?.apiKey ?? env.OPENAI_API_KEY;
  if (!apiKey) {
    throw ApplicationFailure.create({
      message: 'OPENAI_API_KEY is not set on the worker: set it (or give the model an apiKey) and retry the run.',
      type: 'MissingApiKey',
      nonRetryable: true,
    });
  }
  // `||`: an empty variable (as docker-compose passes unset ones) means "not set".
  const baseURL = input.model.baseURL || definition?.baseURL || env.OPENAI_BASE_URL || undefined;
  const key = `${baseURL ?? ''}\n${apiKey}`;
  let client = clients.get(key);
  if (!client) {
    // Temporal owns retries: the client must not retry on its own.
    client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 10 * 60_000 });
    clients.set(key, client);
  }
  return client;
}

export function openAIFailure(displayName: string, err: unknown): unknown {
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    return httpFailure(displayName, { status: err.status, message: providerMessage(err), headers: err.headers });
  }
  if (err instanceof OpenAI.APIUserAbortError) return err;
  return transientFailure(displayName, err);
}

/** The provider's own words: `error.message` of the response body, without the client's status prefix. */
function providerMessage(err: InstanceType<typeof OpenAI.APIError>): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : err.message;
}
