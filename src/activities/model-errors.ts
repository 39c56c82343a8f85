/**
 * Maps provider errors to Temporal failures. Temporal owns retries (the OpenAI client is built
 * with `maxRetries: 0`): 408/409/429/5xx and network errors are retryable, waiting as long as
 * `retry-after` asks; other 4xx (400/401/403/404/422) repeat on every attempt, so they fail the
 * run at once with the provider's own message.
 */
import { ApplicationFailure } from '@temporalio/activity';
import OpenAI from 'openai';

const RETRYABLE_STATUSES = new Set([408, 409, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function modelFailure(err: unknown, provider: string): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const message = `${provider} returned ${err.status}: ${providerMessage(err)}`;
    if (isRetryableStatus(err.status)) {
      const delay = retryAfterMs(err.headers);
      return ApplicationFailure.create({
        message,
        type: `ModelHttp${err.status}`,
        nonRetryable: false,
        ...(delay !== undefined ? { nextRetryDelay: delay } : {}),
      });
    }
    return ApplicationFailure.create({ message, type: `ModelHttp${err.status}`, nonRetryable: true });
  }
  if (err instanceof OpenAI.APIUserAbortError) return err;
  // Connection errors, timeouts, a stream cut short or a malformed chunk: all worth another attempt.
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ message: `${provider} call failed: ${message}`, type: 'ModelTransient', nonRetryable: false, cause: err instanceof Error ? err : undefined });
}

/** The provider's own words: `error.message` of the response body, without the client's status prefix. */
function providerMessage(err: InstanceType<typeof OpenAI.APIError>): string {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : err.message;
}
