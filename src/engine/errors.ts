/** Errors the engine raises to its callers; the HTTP layer maps them to status codes. */
export class RunNotFoundError extends Error {
  readonly runId: string;
  constructor(runId: string) {
    super(`No run with id ${runId}.`);
    this.name = 'RunNotFoundError';
    this.runId = runId;
  }
}

/** The run id (or idempotency key) is taken by a run started with a different request. */
export class RunConflictError extends Error {
  readonly runId: string;
  constructor(runId: string, message: string) {
    super(message);
    this.name = 'RunConflictError';
    this.runId = runId;
  }
}

export class InvalidRunRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRunRequestError';
  }
}
