/**
 * Typed client of the HTTP API (fetch only, so it runs in Node, browsers and edge runtimes):
 * start, get, list, cancel, retry, fork, wait until done, approvals, schedules, and an event stream that reconnects by itself from
 * the last event it saw.
 */
import type { RunEvent, RunnableRunOutputDict, RunOutputDict, RunStatus, RunSummary } from '../contracts/events.ts';
import type { Approval, ApprovalsPage, ApprovalStatus } from '../contracts/wire-schemas/approvals.ts';
import { isEndOfLog, TERMINAL_STATUSES } from '../contracts/events.ts';
import type { StreamedEvent } from '../contracts/live.ts';
import type { ScheduleRecord, ScheduleRunRecord } from '../contracts/schedules.ts';
import type { MultitaskStrategy } from '../contracts/multitask-strategies.ts';
import type { JobStatus, QueueJob, QueueStats } from '../contracts/wire-schemas/queue.ts';
import { parseSse } from './sse-parser.ts';

export interface ClientOptions {
  /** e.g. `http://localhost:7777` */
  baseUrl: string;
  /** Bearer credential: a static key (`OS_SECURITY_KEY`, a user key), a JWT, or a service account's token. */
  apiKey?: string;
  fetch?: typeof fetch;
}

export interface StartRunOptions {
  message: string;
  sessionId?: string;
  userId?: string;
  additionalData?: Record<string, unknown>;
  /** The same key always names the same run; retrying a start with it is safe. */
  idempotencyKey?: string;
  /** Longest the run may take (s) before it ends ERROR; default the deployment's. */
  timeoutSeconds?: number;
  /** Temporal's priority key, 1 (first) to 5 (last); default 3. */
  priority?: number;
  /** When the session has a live run: enqueue, reject, interrupt, rollback or concurrent; default the deployment's. */
  multitaskStrategy?: MultitaskStrategy;
}

/** Where to fork an ended run (`POST …/fork`): a top-level step by name or index, at a Loop an iteration. */
export interface ForkRunOptions {
  stepName?: string;
  stepIndex?: number;
  iteration?: number;
  /** The fork's input; default the source run's. */
  message?: string;
  /** The fork's session; default the source run's. */
  sessionId?: string;
}

/** Filters of `listJobs` (Agno's `GET /queue/jobs`). */
export interface ListJobsOptions {
  /** Any of these. */
  status?: JobStatus[];
  /** Any of these. */
  sessionId?: string[];
  userId?: string;
  limit?: number;
  page?: number;
  sortBy?: 'created_at' | 'updated_at';
  sortOrder?: 'asc' | 'desc';
}

export type { JobStatus, MultitaskStrategy, QueueJob, QueueStats };

export type { RunEvent, RunnableRunOutputDict, RunOutputDict, RunSummary, ScheduleRecord, ScheduleRunRecord, StreamedEvent };
/** A run's question to a person as AgentOS's approvals show it. */
export type { Approval, ApprovalsPage, ApprovalStatus };

/** A schedule of runs of a workflow (`POST /schedules`). */
export interface ScheduleOptions {
  name: string;
  workflowId: string;
  /** The input of each run. */
  message: string;
  /** Temporal's cron (5 fields; 7 with seconds first); none: runs only when triggered. */
  cronExpr?: string;
  /** IANA time zone the cron is read in; default UTC. */
  timezone?: string;
  description?: string;
  /** The runs' session; default the schedule's id. */
  sessionId?: string;
  userId?: string;
  additionalData?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  timeoutSeconds?: number;
  overlapPolicy?: ScheduleRecord['overlap_policy'];
  catchupWindowSeconds?: number;
}

/** AgentOS's pages of schedules and of their runs. */
export interface Page<T> {
  data: T[];
  meta: { page: number; limit: number; total_pages: number; total_count: number; search_time_ms: number };
}
/** Token usage and timings of runs, steps and model calls, in Agno's metrics shapes. */
export type { ExecutorRunMetrics, ModelTokens, RunMetrics, StepResult, ToolExecution } from '../contracts/events.ts';
/** Each run of a step's agent or team (`step_executor_runs`, a team's `member_responses`), with its messages. */
export type { ExecutorRunOutput, RunMessage } from '../contracts/executor-runs.ts';

export interface ListRunsOptions {
  workflowId?: string;
  status?: RunStatus;
  sessionId?: string;
  userId?: string;
  limit?: number;
}

/**
 * A whole run as `GET /workflows/{id}/runs` lists it (AgentOS's `WorkflowRunSchema`): the run's
 * output with its input as `run_input` and `created_at` in ISO 8601; while it waits for a person,
 * which step paused it.
 */
export type WorkflowRunRecord = Pick<RunOutputDict, 'run_id' | 'workflow_id' | 'user_id' | 'content' | 'content_type' | 'status' | 'step_results' | 'step_executor_runs' | 'step_requirements' | 'metrics' | 'events'> & {
  run_input: string;
  created_at: string;
  pause_kind?: 'step';
  paused_step_name?: string;
  paused_step_index?: number;
  reasoning_content: string;
  reasoning_steps: unknown[];
  reasoning_messages: unknown[];
  references: unknown[];
  images: unknown[];
  videos: unknown[];
  audio: unknown[];
  files: unknown[];
};

export interface ListApprovalsOptions {
  workflowId?: string;
  userId?: string;
  runId?: string;
  pauseType?: 'confirmation' | 'user_input';
  /** Approvals per page; default 100. */
  limit?: number;
  /** From 1. */
  page?: number;
}

export interface ApprovalResolution {
  status: 'approved' | 'rejected';
  resolvedBy?: string;
  /** For a step asking for input: the input. */
  resolutionData?: Record<string, unknown>;
}

export interface EventStreamOptions {
  /** Start after this event index; default -1 (from the first event). */
  after?: number;
  signal?: AbortSignal;
  /** Consecutive failed reconnects before giving up; default 30. */
  maxReconnects?: number;
}

/** Agents (`/agents`) or teams (`/teams`): run on their own, in Agno's shapes. */
export type RunnableCollection = 'agents' | 'teams';

/** A run's event as Agno streams an agent's or team's own run (`RunStarted`, `RunContent`, …, `RunCompleted`). */
export type RunnableEvent = Record<string, unknown> & { event: string; run_id?: string; event_index?: number };

/** The events that end an agent's or team's own run, when its own (not a member's). */
/** Where a stream of an agent's or team's run ends: its end, or its pause for a person (`continueRunnableRun` goes on). */
const RUNNABLE_ENDS: ReadonlySet<string> = new Set(['RunCompleted', 'RunError', 'RunCancelled', 'RunPaused', 'TeamRunCompleted', 'TeamRunError', 'TeamRunCancelled', 'TeamRunPaused']);

export class ApiError extends Error {
  readonly status: number;
  readonly detail: unknown;
  constructor(status: number, detail: unknown) {
    super(`HTTP ${status}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
  }
}

/** The server ended a run's event stream with an `error` frame: it cannot go on (an archived part of the log is lost, say). */
export class StreamFailedError extends Error {
  readonly runId: string;
  constructor(runId: string, error: string) {
    super(`The event stream of run ${runId} failed: ${error}`);
    this.name = 'StreamFailedError';
    this.runId = runId;
  }
}

export class DurableAgentsClient {
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    // Called through a wrapper: browsers throw "Illegal invocation" when fetch runs as another object's method.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  private async request<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
    const response = await this.send(method, path, init);
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    if (!response.ok) {
      let detail: unknown = response.statusText;
      try {
        detail = ((await response.json()) as { detail?: unknown }).detail ?? detail;
      } catch {
        // not JSON: keep the status text
      }
      throw new ApiError(response.status, detail);
    }
    return response;
  }

  listWorkflows(): Promise<{ id: string; name: string; description?: string }[]> {
    return this.request('GET', '/workflows');
  }

  /** Starts a run in the background; resolves as soon as it is accepted (status PENDING). */
  startRun(workflowId: string, options: StartRunOptions): Promise<{ run_id: string; session_id: string; status: 'PENDING' }> {
    return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs`, {
      body: { ...runBody(options), stream: false, background: true },
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    });
  }

  /** Starts a run and waits for its end in one request. */
  run(workflowId: string, options: StartRunOptions): Promise<RunOutputDict> {
    return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs`, {
      body: { ...runBody(options), stream: false, background: false },
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    });
  }

  getRun(workflowId: string, runId: string): Promise<RunOutputDict> {
    return this.request('GET', `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}`);
  }

  /** Runs across workflows and sessions, newest first, as summaries (read from Temporal visibility alone). */
  listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    return this.request('GET', `/runs${listQuery(options)}`);
  }

  /**
   * When the run list may have changed (`GET /runs/changes`): `ready` once the server listens (read
   * the list then), `changed` after a run started, changed status or was deleted (read it again);
   * no run is named. Ends when the connection does, or `signal` aborts: a caller that follows the
   * list opens it again, and reads the list meanwhile. An API without a run store answers 501.
   */
  async *runListChanges(options: { signal?: AbortSignal } = {}): AsyncGenerator<'ready' | 'changed'> {
    const response = await this.send('GET', '/runs/changes', { headers: { accept: 'text/event-stream' }, signal: options.signal });
    for await (const frame of parseSse(response.body!)) {
      if (frame.event === 'ready' || frame.event === 'changed') yield frame.event;
    }
  }

  /** One workflow's runs, newest first, whole (each run's state is read: prefer a session and a limit). */
  listWorkflowRuns(workflowId: string, options: Omit<ListRunsOptions, 'workflowId'> = {}): Promise<WorkflowRunRecord[]> {
    return this.request('GET', `/workflows/${encodeURIComponent(workflowId)}/runs${listQuery(options)}`);
  }

  /** Runs as queue jobs, queued ones with their place in their session's queue. */
  listJobs(options: ListJobsOptions = {}): Promise<Page<QueueJob>> {
    const query = new URLSearchParams();
    for (const status of options.status ?? []) query.append('status', status);
    for (const session of options.sessionId ?? []) query.append('session_id', session);
    if (options.userId) query.set('user_id', options.userId);
    if (options.limit) query.set('limit', String(options.limit));
    if (options.page) query.set('page', String(options.page));
    if (options.sortBy) query.set('sort_by', options.sortBy);
    if (options.sortOrder) query.set('sort_order', options.sortOrder);
    return this.request('GET', `/jobs${query.size ? `?${query}` : ''}`);
  }

  getJob(jobId: string): Promise<QueueJob> {
    return this.request('GET', `/jobs/${encodeURIComponent(jobId)}`);
  }

  /** Starts a failed or cancelled run's input again as a new run in its session; resolves with the new run's job. */
  requeueJob(jobId: string, options: { multitaskStrategy?: MultitaskStrategy } = {}): Promise<QueueJob> {
    return this.request('POST', `/jobs/${encodeURIComponent(jobId)}/requeue${queryOf({ multitask_strategy: options.multitaskStrategy })}`);
  }

  /** Jobs by status, the oldest queued job's age, the queue's depth and bound. */
  queueStats(): Promise<QueueStats> {
    return this.request('GET', '/stats');
  }

  createSchedule(options: ScheduleOptions): Promise<ScheduleRecord> {
    return this.request('POST', '/schedules', { body: scheduleBody(options) });
  }

  listSchedules(options: { enabled?: boolean; limit?: number; page?: number } = {}): Promise<Page<ScheduleRecord>> {
    return this.request('GET', `/schedules${queryOf(options)}`);
  }

  getSchedule(scheduleId: string): Promise<ScheduleRecord> {
    return this.request('GET', `/schedules/${encodeURIComponent(scheduleId)}`);
  }

  /** Changes what `changes` names; the payload (message, session, user, data) is replaced whole when `message` is given. */
  updateSchedule(scheduleId: string, changes: Partial<ScheduleOptions>): Promise<ScheduleRecord> {
    return this.request('PATCH', `/schedules/${encodeURIComponent(scheduleId)}`, { body: scheduleBody(changes) });
  }

  async deleteSchedule(scheduleId: string): Promise<void> {
    await this.send('DELETE', `/schedules/${encodeURIComponent(scheduleId)}`);
  }

  setScheduleEnabled(scheduleId: string, enabled: boolean): Promise<Pick<ScheduleRecord, 'id' | 'name' | 'enabled' | 'next_run_at' | 'updated_at'>> {
    return this.request('POST', `/schedules/${encodeURIComponent(scheduleId)}/${enabled ? 'enable' : 'disable'}`);
  }

  /** Starts a run of the schedule now: an ordinary run (`getRun`, `events`, `retryRun` take its `run_id`). */
  triggerSchedule(scheduleId: string): Promise<ScheduleRunRecord> {
    return this.request('POST', `/schedules/${encodeURIComponent(scheduleId)}/trigger`);
  }

  listScheduleRuns(scheduleId: string, options: { limit?: number; page?: number } = {}): Promise<Page<ScheduleRunRecord>> {
    return this.request('GET', `/schedules/${encodeURIComponent(scheduleId)}/runs${queryOf(options)}`);
  }

  getScheduleRun(scheduleId: string, runId: string): Promise<ScheduleRunRecord> {
    return this.request('GET', `/schedules/${encodeURIComponent(scheduleId)}/runs/${encodeURIComponent(runId)}`);
  }

  /** Answers a run waiting for a person: confirm or reject its paused step, with input if asked. */
  async continueRun(workflowId: string, runId: string, answer: { stepId: string; confirmed?: boolean; userInput?: Record<string, unknown> }): Promise<RunOutputDict> {
    const requirement: Record<string, unknown> = { step_id: answer.stepId };
    if (answer.confirmed !== undefined) requirement.confirmed = answer.confirmed;
    if (answer.userInput !== undefined) requirement.user_input = answer.userInput;
    return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}/continue`, {
      body: { step_requirements: [requirement], stream: false },
    });
  }

  /** Retries a failed run from its failed step (or continues a paused one). */
  retryRun(workflowId: string, runId: string): Promise<{ run_id: string; session_id: string; status: RunStatus }> {
    return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}/retry`);
  }

  /** Forks an ended run at a step: a new run, started in the background, that reuses the steps before it. */
  forkRun(workflowId: string, runId: string, options: ForkRunOptions): Promise<{ run_id: string; session_id: string; status: 'PENDING' }> {
    const body = { step_name: options.stepName, step_index: options.stepIndex, iteration: options.iteration, message: options.message, session_id: options.sessionId };
    return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}/fork`, { body: JSON.parse(JSON.stringify(body)) as Record<string, unknown> });
  }

  /** Cancels a running (or paused) run; rejects with 404 for an unknown run and 409 for one that has already ended. */
  async cancelRun(workflowId: string, runId: string): Promise<void> {
    // strict: the API's own answers (AgentOS answers 200 to both, telling the caller nothing).
    await this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}/cancel?strict=true`);
  }

  /** The approvals pending (runs waiting for a person), newest first, a page at a time. */
  listApprovals(options: ListApprovalsOptions = {}): Promise<ApprovalsPage> {
    const query = new URLSearchParams();
    if (options.workflowId) query.set('workflow_id', options.workflowId);
    if (options.userId) query.set('user_id', options.userId);
    if (options.runId) query.set('run_id', options.runId);
    if (options.pauseType) query.set('pause_type', options.pauseType);
    if (options.limit) query.set('limit', String(options.limit));
    if (options.page) query.set('page', String(options.page));
    return this.request('GET', `/approvals${query.size ? `?${query}` : ''}`);
  }

  async countApprovals(options: { userId?: string } = {}): Promise<number> {
    const query = options.userId ? `?${new URLSearchParams({ user_id: options.userId })}` : '';
    return (await this.request<{ count: number }>('GET', `/approvals/count${query}`)).count;
  }

  getApproval(approvalId: string): Promise<Approval> {
    return this.request('GET', `/approvals/${encodeURIComponent(approvalId)}`);
  }

  getApprovalStatus(approvalId: string): Promise<ApprovalStatus> {
    return this.request('GET', `/approvals/${encodeURIComponent(approvalId)}/status`);
  }

  /** Approves or rejects: answers the run's step, and resolves once the run has ended or paused again. */
  resolveApproval(approvalId: string, resolution: ApprovalResolution): Promise<Approval> {
    const body: Record<string, unknown> = { status: resolution.status };
    if (resolution.resolvedBy !== undefined) body.resolved_by = resolution.resolvedBy;
    if (resolution.resolutionData !== undefined) body.resolution_data = resolution.resolutionData;
    return this.request('POST', `/approvals/${encodeURIComponent(approvalId)}/resolve`, { body });
  }

  /** The served agents or teams, as AgentOS describes them. */
  listRunnables(collection: RunnableCollection): Promise<({ id: string; name: string } & Record<string, unknown>)[]> {
    return this.request('GET', `/${collection}`);
  }

  /** Starts a run of an agent or team in the background; resolves as soon as it is accepted (status PENDING). */
  startRunnableRun(collection: RunnableCollection, id: string, options: StartRunOptions): Promise<{ run_id: string; session_id: string; status: 'PENDING' }> {
    return this.request('POST', `/${collection}/${encodeURIComponent(id)}/runs`, {
      body: { ...runBody(options), stream: false, background: true },
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    });
  }

  /** Runs an agent or team and waits for its end (or its agent's pause for a person: PAUSED, with `requirements`) in one request: Agno's `RunOutput` / `TeamRunOutput`. */
  runRunnable(collection: RunnableCollection, id: string, options: StartRunOptions): Promise<RunnableRunOutputDict> {
    return this.request('POST', `/${collection}/${encodeURIComponent(id)}/runs`, {
      body: { ...runBody(options), stream: false, background: false },
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    });
  }

  getRunnableRun(collection: RunnableCollection, id: string, runId: string): Promise<RunnableRunOutputDict> {
    return this.request('GET', `/${collection}/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}`);
  }

  /**
   * Answers the tool calls an agent's run paused at, and waits until it ends or pauses again:
   * `tools` are the paused run's `tools` with the answers set (`confirmed`, `confirmation_note`,
   * the filled `user_input_schema`, or `result`).
   */
  continueRunnableRun(collection: RunnableCollection, id: string, runId: string, tools: Record<string, unknown>[]): Promise<RunnableRunOutputDict> {
    return this.request('POST', `/${collection}/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/continue`, { body: { tools, stream: false } });
  }

  async cancelRunnableRun(collection: RunnableCollection, id: string, runId: string): Promise<void> {
    await this.send('POST', `/${collection}/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/cancel`);
  }

  /**
   * Runs an agent or team, yielding its events as Agno streams them, to its end (`RunCompleted`,
   * `RunError`, `RunCancelled`, or the team's) or its pause for a person (`RunPaused`, `TeamRunPaused`). A dropped connection is picked up where it was:
   * through `/resume` with the SSE id of the last frame once the run's id is known, else by
   * starting again with the same idempotency key (the same run).
   */
  async *streamRunnableRun(collection: RunnableCollection, id: string, options: StartRunOptions & Omit<EventStreamOptions, 'after'>): AsyncGenerator<RunnableEvent> {
    const base = `/${collection}/${encodeURIComponent(id)}/runs`;
    const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();
    let runId: string | undefined;
    let cursor = '-1';
    let last = -1;
    let failures = 0;
    const maxReconnects = options.maxReconnects ?? 30;
    for (;;) {
      try {
        const response = runId
          ? await this.send('POST', `${base}/${encodeURIComponent(runId)}/resume`, { body: { last_event_index: cursor }, headers: { accept: 'text/event-stream' }, signal: options.signal })
          : await this.send('POST', base, { body: { ...runBody(options), stream: true }, headers: { accept: 'text/event-stream', 'idempotency-key': idempotencyKey }, signal: options.signal });
        for await (const frame of parseSse(response.body!)) {
          const event = JSON.parse(frame.data) as RunnableEvent;
          if (frame.event === 'error') throw new StreamFailedError(runId ?? '', String(event.error));
          if (frame.id !== undefined) cursor = frame.id;
          failures = 0;
          // A start repeated with the key streams the run from its first event: skip those already seen.
          if (typeof event.event_index === 'number') {
            if (event.event_index <= last) continue;
            last = event.event_index;
          }
          runId ??= event.run_id;
          yield event;
          if (RUNNABLE_ENDS.has(event.event) && event.parent_run_id === undefined) return;
        }
      } catch (err) {
        if ((err instanceof ApiError && err.status < 500) || err instanceof StreamFailedError) throw err;
        if (options.signal?.aborted) throw err;
      }
      failures += 1;
      if (failures > maxReconnects) throw new Error(`Lost the event stream of ${collection}/${id} after ${maxReconnects} reconnects.`);
      await sleep(Math.min(5000, 100 * 2 ** failures), options.signal);
    }
  }

  /** Polls until the run has ended (COMPLETED, ERROR or CANCELLED) and returns it. */
  async waitUntilDone(workflowId: string, runId: string, options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<RunOutputDict> {
    for (;;) {
      const run = await this.getRun(workflowId, runId);
      if (TERMINAL_STATUSES.includes(run.status)) return run;
      await sleep(options.pollMs ?? 500, options.signal);
    }
  }

  /**
   * The run's events, ending with its terminal event, and between them the text of model calls
   * as the model writes it: `RunContent` / `TeamRunContent` frames without an `event_index`
   * (the run's log later has the same text; the stream does not repeat it), and, should a model
   * call be retried after part of its answer, a `RunContentDiscarded` / `TeamRunContentDiscarded`
   * saying to drop the text of that call so far. A dropped connection is reopened with
   * `Last-Event-ID` set to the SSE id of the last frame received, so no event and no text is
   * missed or repeated.
   */
  async *events(workflowId: string, runId: string, options: EventStreamOptions = {}): AsyncGenerator<StreamedEvent> {
    let last = options.after ?? -1;
    let cursor = String(last);
    let failures = 0;
    const maxReconnects = options.maxReconnects ?? 30;
    const path = `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}/events`;
    for (;;) {
      try {
        const response = await this.send('GET', path, { headers: { accept: 'text/event-stream', 'last-event-id': cursor }, signal: options.signal });
        let newest: RunEvent | undefined;
        for await (const frame of parseSse(response.body!)) {
          if (frame.event === 'error') throw new StreamFailedError(runId, String((JSON.parse(frame.data) as { error?: unknown }).error));
          const event = JSON.parse(frame.data) as StreamedEvent;
          if (frame.id !== undefined) cursor = frame.id;
          failures = 0;
          if (typeof event.event_index === 'number') {
            if (event.event_index <= last) continue;
            last = event.event_index;
            newest = event;
          }
          yield event;
        }
        // The server ends the stream after the log's terminal event; any other end is a lost connection.
        if (isEndOfLog(newest)) return;
      } catch (err) {
        // Errors the server meant (404, 401, a stream that cannot go on) are final; network trouble is retried.
        if ((err instanceof ApiError && err.status < 500) || err instanceof StreamFailedError) throw err;
        if (options.signal?.aborted) throw err;
      }
      failures += 1;
      if (failures > maxReconnects) throw new Error(`Lost the event stream of run ${runId} after ${maxReconnects} reconnects.`);
      await sleep(Math.min(5000, 100 * 2 ** failures), options.signal);
    }
  }
}

function listQuery(options: ListRunsOptions): string {
  const query = new URLSearchParams();
  if (options.workflowId) query.set('workflow_id', options.workflowId);
  if (options.status) query.set('status', options.status);
  if (options.sessionId) query.set('session_id', options.sessionId);
  if (options.userId) query.set('user_id', options.userId);
  if (options.limit) query.set('limit', String(options.limit));
  return query.size ? `?${query}` : '';
}

function queryOf(options: Record<string, string | number | boolean | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) if (value !== undefined) query.set(key, String(value));
  return query.size ? `?${query}` : '';
}

/** A schedule's fields as `POST /schedules` and `PATCH` read them; only those given. */
function scheduleBody(options: Partial<ScheduleOptions>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: options.name,
    endpoint: options.workflowId === undefined ? undefined : `/workflows/${encodeURIComponent(options.workflowId)}/runs`,
    cron_expr: options.cronExpr,
    timezone: options.timezone,
    description: options.description,
    timeout_seconds: options.timeoutSeconds,
    overlap_policy: options.overlapPolicy,
    catchup_window_seconds: options.catchupWindowSeconds,
  };
  if (options.message !== undefined) {
    body.payload = { message: options.message, session_id: options.sessionId, user_id: options.userId, additional_data: options.additionalData, metadata: options.metadata };
  }
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

function runBody(options: StartRunOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { message: options.message };
  if (options.sessionId) body.session_id = options.sessionId;
  if (options.userId) body.user_id = options.userId;
  if (options.additionalData) body.additional_data = options.additionalData;
  if (options.timeoutSeconds !== undefined) body.timeout_seconds = options.timeoutSeconds;
  if (options.priority !== undefined) body.priority = options.priority;
  if (options.multitaskStrategy) body.multitask_strategy = options.multitaskStrategy;
  return body;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
