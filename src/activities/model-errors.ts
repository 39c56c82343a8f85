/**
 * The retry policy every model provider follows; adapters translate their own errors into these
 * failures. Temporal owns retries (provider clients are built not to retry): 408/409/429/5xx and
 * network errors are retryable, waiting as long as `retry-after` asks; other 4xx
 * (400/401/403/404/422) repeat on every attempt, so they fail the run at once with the
 * provider's own message.
 */
import { ApplicationFailure } from '@temporalio/activity';

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

/** An HTTP error answer of the provider, `message` in the provider's own words. */
export interface ProviderHttpError {
  status: number;
  message: string;
  headers: Headers | undefined;
}

export function httpFailure(displayName: string, error: ProviderHttpError): ApplicationFailure {
  const message = `${displayName} returned ${error.status}: ${error.message}`;
  const type = `ModelHttp${error.status}`;
  if (!isRetryableStatus(error.status)) return ApplicationFailure.create({ message, type, nonRetryable: true });
  const delay = retryAfterMs(error.headers);
  return ApplicationFailure.create({ message, type, nonRetryable: false, ...(delay !== undefined ? { nextRetryDelay: delay } : {}) });
}

/**
 * The model stopped before its answer was complete (its output token limit, a content filter).
 * The same request stops the same way, so it is not retried, and a partial answer is never
 * passed on as a whole one.
 */
export function incompleteAnswerFailure(displayName: string, reason: string): ApplicationFailure {
  return ApplicationFailure.create({ message: `${displayName} stopped before the answer was complete: ${reason}`, type: 'ModelIncomplete', nonRetryable: true });
}

/** Connection errors, timeouts, a stream cut short or a malformed chunk: all worth another attempt. */
export function transientFailure(displayName: string, err: unknown): ApplicationFailure {
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({
    message: `${displayName} call failed: ${message}`,
    type: 'ModelTransient',
    nonRetryable: false,
    cause: err instanceof Error ? err : undefined,
  });
}
