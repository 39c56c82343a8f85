/** HTTP errors as JSON `{"detail": ...}`, and the mapping of engine errors to status codes. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { InvalidRunRequestError, RunConflictError, RunNotFoundError, RunUnavailableError } from '../../engine/errors.ts';
import { temporalUnreachableMessage } from '../../engine/temporal-reachability.ts';

export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly detail: unknown;
  /** Headers of the answer, such as a 429's `Retry-After`. */
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, detail: unknown, headers: Record<string, string> = {}) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
}

/** Temporal answered UNAVAILABLE (14) or DEADLINE_EXCEEDED (4): the cluster or its workers are not reachable. */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return code === 14 || code === 4;
}

/** The status and detail an error is answered with (HTTP responses and WebSocket error frames alike). */
export function describeError(err: unknown, where: string): { status: ContentfulStatusCode; detail: unknown } {
  if (err instanceof HttpError) return { status: err.status, detail: err.detail };
  if (err instanceof RunNotFoundError) return { status: 404, detail: err.message };
  if (err instanceof RunConflictError) return { status: 409, detail: err.message };
  if (err instanceof InvalidRunRequestError) return { status: 422, detail: err.message };
  if (err instanceof RunUnavailableError) return { status: 503, detail: err.message };
  // Routes find the run before acting on it: Temporal not finding its execution now means the run
  // ended in between (a signal to a run that just completed, say), a conflict with its state.
  // Routes find the schedule before acting on it: it was deleted in between.
  if (err instanceof ScheduleNotFoundError) return { status: 404, detail: 'Schedule not found' };
  if (err instanceof WorkflowNotFoundError) return { status: 409, detail: `The run ended while the request was handled: ${err.message}` };
  const unreachable = temporalUnreachableMessage(err);
  if (unreachable !== undefined) return { status: 503, detail: unreachable };
  if (isUnavailable(err)) return { status: 503, detail: 'Temporal or its workers are unavailable; try again shortly.' };
  console.error('unhandled error in', where, err);
  return { status: 500, detail: 'Internal server error.' };
}

export function errorResponse(err: unknown, c: Context): Response {
  const { status, detail } = describeError(err, `${c.req.method} ${c.req.path}`);
  return c.json({ detail }, status, err instanceof HttpError ? err.headers : undefined);
}
