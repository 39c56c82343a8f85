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

/** The run could not act on the request now (no worker took it in time); the message says what becomes of it. */
export class RunUnavailableError extends Error {
  readonly runId: string;
  constructor(runId: string, message: string) {
    super(message);
    this.name = 'RunUnavailableError';
    this.runId = runId;
  }
}

/** A run refused by the `reject` strategy: its session has a run in progress. */
export class SessionBusyError extends RunConflictError {
  constructor(runId: string, sessionId: string) {
    super(runId, `Session ${sessionId} has a run in progress; this run was not started (multitask_strategy=reject).`);
    this.name = 'SessionBusyError';
  }
}
