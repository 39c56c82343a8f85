/** HTTP errors as JSON `{"detail": ...}`, and the mapping of engine errors to status codes. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { WorkflowNotFoundError } from '@temporalio/client';
import { InvalidRunRequestError, RunConflictError, RunNotFoundError } from '../engine/errors.ts';

export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly detail: unknown;
  constructor(status: ContentfulStatusCode, detail: unknown) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
  }
}

/** Temporal answered UNAVAILABLE (14) or DEADLINE_EXCEEDED (4): the cluster or its workers are not reachable. */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return code === 14 || code === 4;
}

export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof HttpError) return c.json({ detail: err.detail }, err.status);
  if (err instanceof RunNotFoundError) return c.json({ detail: err.message }, 404);
  if (err instanceof RunConflictError) return c.json({ detail: err.message }, 409);
  if (err instanceof InvalidRunRequestError) return c.json({ detail: err.message }, 422);
  // Routes find the run before acting on it: Temporal not finding its execution now means the run
  // ended in between (a signal to a run that just completed, say), a conflict with its state.
  if (err instanceof WorkflowNotFoundError) return c.json({ detail: `The run ended while the request was handled: ${err.message}` }, 409);
  if (isUnavailable(err)) return c.json({ detail: 'Temporal or its workers are unavailable; try again shortly.' }, 503);
  console.error('unhandled error in', c.req.method, c.req.path, err);
  return c.json({ detail: 'Internal server error.' }, 500);
}
