/**
 * The client side of the engine: starts runs on Temporal, reads their state and events through
 * queries, cancels them. Takes plans, never definitions. Used by `Workflow.arun`, the HTTP API and the CLI alike.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import type { ActivityTimeouts, RunInput, WorkflowPlan } from '../contracts/plan.ts';
import type { RunEvent, RunState, RunStatus, RunSummary, StepRequirement } from '../contracts/events.ts';

export type { RunSummary };
import { isEndOfLog } from '../contracts/events.ts';
import { continueSignal, EVENTS_PAGE_LIMIT, eventsQuery, inputQuery, retrySignal, RUN_WORKFLOW_TYPE, stateQuery } from '../contracts/run-workflow-api.ts';
import { validateArguments } from '../definitions/validate-arguments.ts';
import type { WorkflowRun } from '../workflows/run-workflow.ts';
import { temporalConfigFromEnv } from './config.ts';
import type { TemporalConfig } from './config.ts';
import { InvalidRunRequestError, RunConflictError, RunNotFoundError } from './errors.ts';
import { ensureSearchAttributes, queryValue } from './register-search-attributes.ts';
import { initialRunAttributes, RUN_STATUS_ATTRIBUTE, SESSION_ID_ATTRIBUTE, USER_ID_ATTRIBUTE, WORKFLOW_ID_ATTRIBUTE } from '../contracts/search-attributes.ts';
import { WorkflowRunOutput } from './run-output.ts';

export interface RunOptions {
  input: string;
  sessionId?: string;
  userId?: string;
  /** Run id to use (it becomes the Temporal workflow id); default a new UUID. */
  runId?: string;
  /**
   * Makes the start idempotent: the same key (per workflow and user) always names the same run,
   * and starting it again returns that run. With a different request it is a `RunConflictError`.
   */
  idempotencyKey?: string;
  additionalData?: Record<string, unknown>;
  timeouts?: ActivityTimeouts;
}

export interface StreamOptions {
  /** Yield events with `event_index` greater than this; default -1 (from the start). */
  after?: number;
  /** Pause between polls when no new events arrived; default 100 ms. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

/** What the memo of a run's execution holds: enough to describe it with no worker running. */
interface RunMemo {
  workflow_id: string;
  workflow_name: string;
  session_id: string;
  user_id?: string;
  input: string;
  /** Hash of the start request, to tell a repeated idempotent start from a conflicting one. */
  request_hash?: string;
}

/** Filters of `listRuns`; all optional, combined with AND. */
export interface RunFilters {
  workflowId?: string;
  sessionId?: string;
  userId?: string;
  status?: RunStatus;
  /** Most runs returned, newest first; default 100. */
  limit?: number;
}

export interface StartedRun {
  output: WorkflowRunOutput;
  /** False when an idempotent start found the run already there. */
  created: boolean;
}

const INPUT_EXCERPT = 120;
/** How long a state query may wait for a worker before the engine describes the run instead. */
const QUERY_DEADLINE_MS = 5000;

export class Engine {
  readonly client: Client;
  readonly taskQueue: string;
  private readonly connection: Connection | undefined;

  constructor(options: { client: Client; taskQueue: string; connection?: Connection }) {
    this.client = options.client;
    this.taskQueue = options.taskQueue;
    this.connection = options.connection;
  }

  static async connect(config: Partial<TemporalConfig> = {}): Promise<Engine> {
    const { address, namespace, taskQueue } = { ...temporalConfigFromEnv(), ...config };
    const connection = await Connection.connect({ address });
    await ensureSearchAttributes(connection, namespace);
    return new Engine({ client: new Client({ connection, namespace }), taskQueue, connection });
  }

  async start(plan: WorkflowPlan, options: RunOptions): Promise<WorkflowRunOutput> {
    return (await this.startRun(plan, options)).output;
  }

  /** Starts a run; with an idempotency key, returns the run the key already names if there is one. */
  async startRun(plan: WorkflowPlan, options: RunOptions): Promise<StartedRun> {
    if (typeof options?.input !== 'string') throw new InvalidRunRequestError('input must be a string.');
    const requestHash = createHash('sha256')
      .update(JSON.stringify([plan.id, options.input, options.sessionId ?? null, options.userId ?? null, options.additionalData ?? null]))
      .digest('hex');
    const runId = options.idempotencyKey ? idempotentRunId(plan.id, options.userId, options.idempotencyKey) : (options.runId ?? randomUUID());
    const run: RunInput = {
      plan,
      input: options.input,
      sessionId: options.sessionId ?? randomUUID(),
    };
    if (options.userId !== undefined) run.userId = options.userId;
    if (options.additionalData !== undefined) run.additionalData = options.additionalData;
    if (options.timeouts !== undefined) run.timeouts = options.timeouts;
    const memo: RunMemo = {
      workflow_id: plan.id,
      workflow_name: plan.name,
      session_id: run.sessionId,
      input: excerpt(run.input),
      request_hash: requestHash,
    };
    if (run.userId !== undefined) memo.user_id = run.userId;
    try {
      await this.client.workflow.start<typeof WorkflowRun>(RUN_WORKFLOW_TYPE, {
        workflowId: runId,
        taskQueue: this.taskQueue,
        args: [run],
        memo: { ...memo },
        typedSearchAttributes: initialRunAttributes(plan.id, run.sessionId, run.userId),
        // A run id names one run forever, even after it closed: that is what makes keys idempotent.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `${plan.name}: ${excerpt(run.input)}`,
        staticDetails: plan.description,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const existing = await this.client.workflow.getHandle(runId).describe();
      const sameRequest = options.idempotencyKey && (existing.memo as RunMemo | undefined)?.request_hash === requestHash;
      if (!sameRequest) {
        throw new RunConflictError(
          runId,
          options.idempotencyKey
            ? `The Idempotency-Key ${options.idempotencyKey} was used for a different request (run ${runId}).`
            : `A run with id ${runId} already exists.`,
        );
      }
      const output = await this.getRun(runId);
      if (!output) throw new RunNotFoundError(runId);
      return { output, created: false };
    }
    const output = new WorkflowRunOutput({
      ...memo,
      input: run.input,
      run_id: runId,
      status: 'PENDING',
      step_results: [],
      metrics: { steps: {} },
      created_at: Math.floor(Date.now() / 1000),
      last_event_index: -1,
    });
    return { output, created: true };
  }

  /** Who a run belongs to and its coarse status, from Temporal alone (no worker needed); undefined if unknown. */
  async describeRunSummary(runId: string): Promise<RunSummary | undefined> {
    try {
      const description = await this.client.workflow.getHandle(runId).describe();
      return description.type === RUN_WORKFLOW_TYPE ? summaryOf(description) : undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Runs newest first, from Temporal visibility (eventually consistent: a run just started may lag). */
  async listRuns(filters: RunFilters = {}): Promise<RunSummary[]> {
    const clauses = [`WorkflowType = ${queryValue(RUN_WORKFLOW_TYPE)}`];
    if (filters.workflowId) clauses.push(`${WORKFLOW_ID_ATTRIBUTE.name} = ${queryValue(filters.workflowId)}`);
    if (filters.sessionId) clauses.push(`${SESSION_ID_ATTRIBUTE.name} = ${queryValue(filters.sessionId)}`);
    if (filters.userId) clauses.push(`${USER_ID_ATTRIBUTE.name} = ${queryValue(filters.userId)}`);
    if (filters.status) {
      // Open runs say what they are doing through AgentRunStatus; closed runs through Temporal's status.
      const open = ['PENDING', 'RUNNING', 'PAUSED'].includes(filters.status);
      clauses.push(
        open
          ? `ExecutionStatus = 'Running' AND ${RUN_STATUS_ATTRIBUTE.name} = ${queryValue(filters.status)}`
          : `(${EXECUTION_STATUSES[filters.status as ClosedStatus].map((s) => `ExecutionStatus = ${queryValue(s)}`).join(' OR ')})`,
      );
    }
    const limit = Math.max(1, Math.min(filters.limit ?? 100, 1000));
    const runs: RunSummary[] = [];
    for await (const execution of this.client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
      runs.push(summaryOf(execution));
      if (runs.length >= limit) break;
    }
    return runs;
  }

  /** The run's current output, or undefined when no run has this id. */
  async getRun(runId: string): Promise<WorkflowRunOutput | undefined> {
    const handle = this.client.workflow.getHandle(runId);
    try {
      return new WorkflowRunOutput(await this.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(stateQuery)));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      // No worker to answer (or the run has not begun): describe the execution instead.
      return this.describeRun(runId);
    }
  }

  private async describeRun(runId: string): Promise<WorkflowRunOutput | undefined> {
    let description: WorkflowExecutionDescription;
    try {
      description = await this.client.workflow.getHandle(runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    if (description.type !== RUN_WORKFLOW_TYPE) return undefined;
    const memo = (description.memo ?? {}) as unknown as RunMemo;
    let status = statusOf(description);
    let error: string | undefined;
    if (status === 'COMPLETED') {
      return new WorkflowRunOutput(await this.client.workflow.getHandle(runId).result());
    }
    if (status === 'ERROR') error = await this.failureMessage(runId);
    if (status === 'RUNNING' && (description.historyLength ?? 0) <= 2) status = 'PENDING';
    return new WorkflowRunOutput({
      ...memo,
      run_id: runId,
      status,
      error,
      step_results: [],
      metrics: { steps: {} },
      created_at: Math.floor(description.startTime.getTime() / 1000),
      last_event_index: -1,
    });
  }

  private async failureMessage(runId: string): Promise<string | undefined> {
    try {
      await this.client.workflow.getHandle(runId).result();
      return undefined;
    } catch (err) {
      return err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : String(err);
    }
  }

  /** Waits for the run to end and returns its final output (status COMPLETED, ERROR or CANCELLED). */
  async waitForRun(runId: string): Promise<WorkflowRunOutput> {
    try {
      await this.client.workflow.getHandle(runId).result();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      if (!(err instanceof WorkflowFailedError)) throw err;
    }
    const output = await this.getRun(runId);
    if (!output) throw new RunNotFoundError(runId);
    return output;
  }

  /** The run's events after `options.after`, as they happen, ending with the terminal event. */
  async *streamEvents(runId: string, options: StreamOptions = {}): AsyncGenerator<RunEvent> {
    const handle = this.client.workflow.getHandle(runId);
    const pollMs = options.pollIntervalMs ?? 100;
    let after = options.after ?? -1;
    let failures = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      let page: RunEvent[];
      try {
        page = await handle.query(eventsQuery, after, EVENTS_PAGE_LIMIT);
        failures = 0;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
        // A worker restarting, or none polling yet: wait and ask again, backing off to 2 s.
        failures += 1;
        await delay(Math.min(2000, pollMs * 2 ** failures), undefined, { signal: options.signal });
        continue;
      }
      for (const event of page) {
        yield event;
        after = event.event_index;
      }
      if (page.length < EVENTS_PAGE_LIMIT) {
        if (isEndOfLog(page.at(-1))) return;
        await delay(pollMs, undefined, { signal: options.signal });
      }
    }
  }

  /**
   * Retries a run from the step that failed. A run held after a failure (PAUSED) runs that step
   * again in place. A run that ended ERROR starts again under the same run id, carrying its event
   * log and the results of its completed steps: no finished step's model or tool calls are made
   * again, and its events continue after the failed attempt's last index.
   * See docs/adr/0004-retry-from-the-failed-step.md.
   */
  async retryRun(runId: string): Promise<WorkflowRunOutput> {
    const summary = await this.describeRunSummary(runId);
    if (!summary) throw new RunNotFoundError(runId);
    const handle = this.client.workflow.getHandle(runId);
    if (summary.status === 'PAUSED') {
      await handle.signal(retrySignal);
      return (await this.getRun(runId))!;
    }
    if (summary.status !== 'ERROR') throw new RunConflictError(runId, `Only failed or paused runs can be retried; run ${runId} is ${summary.status}.`);
    const deadline = Date.now() + QUERY_DEADLINE_MS;
    const [input, state] = await this.client.withDeadline(deadline, () => Promise.all([handle.query(inputQuery), handle.query(stateQuery)]));
    const events: RunEvent[] = [];
    for (;;) {
      const page = await this.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(eventsQuery, events.length - 1, EVENTS_PAGE_LIMIT));
      events.push(...page);
      if (page.length < EVENTS_PAGE_LIMIT) break;
    }
    const description = await handle.describe();
    const attempt = (events.filter((event) => event.event === 'WorkflowStarted').length || 1) + 1;
    const retry: RunInput = {
      ...input,
      resume: { attempt, events, stepResults: state.step_results.filter((result) => result.success), createdAt: state.created_at },
    };
    try {
      await this.client.workflow.start<typeof WorkflowRun>(RUN_WORKFLOW_TYPE, {
        workflowId: runId,
        taskQueue: this.taskQueue,
        args: [retry],
        memo: description.memo ?? {},
        typedSearchAttributes: initialRunAttributes(summary.workflow_id, summary.session_id, summary.user_id),
        // Only a failed run may be followed by another execution with its id.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        staticSummary: `${summary.workflow_name}: ${excerpt(input.input)} (retry ${attempt - 1})`,
        staticDetails: input.plan.description,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new RunConflictError(runId, `Run ${runId} is already being retried.`);
      throw err;
    }
    return new WorkflowRunOutput({ ...state, status: 'PENDING', error: undefined, last_event_index: events.length - 1 });
  }

  /**
   * Answers a run waiting for a person (a step requiring confirmation or input). Returns the
   * index of the newest event at that moment: what follows is the continued run.
   */
  async continueRun(runId: string, answers: StepRequirement[]): Promise<number> {
    const handle = this.client.workflow.getHandle(runId);
    let state: RunState;
    try {
      state = await this.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(stateQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      throw err;
    }
    const waiting = state.step_requirements?.[0];
    if (state.status !== 'PAUSED' || !waiting) throw new RunConflictError(runId, `Run ${runId} is not waiting for a person (it is ${state.status}).`);
    const answer = answers.find((candidate) => candidate.step_id === waiting.step_id);
    if (!answer) throw new InvalidRunRequestError(`step_requirements must answer step_id ${waiting.step_id} (${waiting.step_name}).`);
    if (waiting.requires_confirmation && typeof answer.confirmed !== 'boolean') throw new InvalidRunRequestError(`Step ${waiting.step_name} needs confirmed: true or false.`);
    if (waiting.requires_user_input && answer.confirmed !== false) {
      const problems = validateArguments(waiting.user_input_schema ?? { type: 'object' }, answer.user_input ?? {});
      if (problems.length > 0) throw new InvalidRunRequestError(`user_input for step ${waiting.step_name}: ${problems.map((p) => p.replace(/^arguments/, 'user_input')).join('; ')}.`);
    }
    await handle.signal(continueSignal, [answer]);
    return state.last_event_index;
  }

  async cancel(runId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(runId).cancel();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      throw err;
    }
  }

  /** Closes the connection if this engine opened it. */
  async close(): Promise<void> {
    await this.connection?.close();
  }
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > INPUT_EXCERPT ? `${line.slice(0, INPUT_EXCERPT - 1)}…` : line;
}

/** The run id an idempotency key names: a UUID derived from workflow, user and key. */
function idempotentRunId(workflowId: string, userId: string | undefined, key: string): string {
  const hex = createHash('sha256').update(JSON.stringify([workflowId, userId ?? null, key])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** Temporal execution statuses that mean each run status, for visibility queries. */
type ClosedStatus = 'COMPLETED' | 'ERROR' | 'CANCELLED';
const EXECUTION_STATUSES: Record<ClosedStatus, string[]> = {
  COMPLETED: ['Completed'],
  ERROR: ['Failed', 'TimedOut'],
  CANCELLED: ['Canceled', 'Terminated'],
};

function summaryOf(execution: Pick<WorkflowExecutionInfo, 'workflowId' | 'memo' | 'status' | 'startTime' | 'typedSearchAttributes'>): RunSummary {
  const memo = (execution.memo ?? {}) as unknown as RunMemo;
  const summary: RunSummary = {
    run_id: execution.workflowId,
    workflow_id: memo.workflow_id,
    workflow_name: memo.workflow_name,
    session_id: memo.session_id,
    input: memo.input,
    status: statusOf(execution),
    created_at: Math.floor(execution.startTime.getTime() / 1000),
  };
  // An open run's own word on its status (PENDING, RUNNING, PAUSED) is finer than Temporal's "Running".
  const own = execution.typedSearchAttributes?.get(RUN_STATUS_ATTRIBUTE);
  if (summary.status === 'RUNNING' && (own === 'PENDING' || own === 'PAUSED')) summary.status = own;
  if (memo.user_id !== undefined) summary.user_id = memo.user_id;
  return summary;
}

function statusOf(description: Pick<WorkflowExecutionInfo, 'status'>): RunStatus {
  switch (description.status.name) {
    case 'RUNNING':
      return 'RUNNING';
    case 'COMPLETED':
      return 'COMPLETED';
    case 'CANCELLED':
    case 'TERMINATED':
      return 'CANCELLED';
    default:
      return 'ERROR';
  }
}

let defaultEngine: Promise<Engine> | undefined;

/** The engine `Workflow.arun` uses when given none: connected from the environment on first use. */
export function getDefaultEngine(): Promise<Engine> {
  defaultEngine ??= Engine.connect();
  return defaultEngine;
}

export function setDefaultEngine(engine: Engine): void {
  defaultEngine = Promise.resolve(engine);
}
