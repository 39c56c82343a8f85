/**
 * The client side of the engine: starts runs on Temporal, reads their state and events through
 * queries, cancels them. Used by `Workflow.arun`, the HTTP API and the CLI alike.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { ActivityTimeouts, RunInput } from '../plan/types.ts';
import type { RunEvent, RunState, RunStatus } from '../events/types.ts';
import { TERMINAL_EVENTS } from '../events/types.ts';
import { EVENTS_PAGE_LIMIT, eventsQuery, RUN_WORKFLOW_TYPE, stateQuery } from '../workflows/api.ts';
import type { WorkflowRun } from '../workflows/run-workflow.ts';
import type { Workflow } from '../steps/workflow.ts';
import { temporalConfigFromEnv } from './config.ts';
import type { TemporalConfig } from './config.ts';
import { InvalidRunRequestError, RunNotFoundError } from './errors.ts';
import { WorkflowRunOutput } from './run-output.ts';

export interface RunOptions {
  input: string;
  sessionId?: string;
  userId?: string;
  /** Run id to use (it becomes the Temporal workflow id); default a new UUID. */
  runId?: string;
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
}

const INPUT_EXCERPT = 120;

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
    return new Engine({ client: new Client({ connection, namespace }), taskQueue, connection });
  }

  async start(workflow: Workflow, options: RunOptions): Promise<WorkflowRunOutput> {
    if (typeof options?.input !== 'string') throw new InvalidRunRequestError('input must be a string.');
    const runId = options.runId ?? randomUUID();
    const run: RunInput = {
      plan: workflow.toPlan(),
      input: options.input,
      sessionId: options.sessionId ?? randomUUID(),
    };
    if (options.userId !== undefined) run.userId = options.userId;
    if (options.additionalData !== undefined) run.additionalData = options.additionalData;
    if (options.timeouts !== undefined) run.timeouts = options.timeouts;
    const memo: RunMemo = {
      workflow_id: workflow.id,
      workflow_name: workflow.name,
      session_id: run.sessionId,
      input: excerpt(run.input),
    };
    if (run.userId !== undefined) memo.user_id = run.userId;
    await this.client.workflow.start<typeof WorkflowRun>(RUN_WORKFLOW_TYPE, {
      workflowId: runId,
      taskQueue: this.taskQueue,
      args: [run],
      memo: { ...memo },
      staticSummary: `${workflow.name}: ${excerpt(run.input)}`,
      staticDetails: workflow.description,
    });
    return new WorkflowRunOutput({
      ...memo,
      input: run.input,
      run_id: runId,
      status: 'PENDING',
      step_results: [],
      metrics: { steps: {} },
      created_at: Math.floor(Date.now() / 1000),
      last_event_index: -1,
    });
  }

  /** The run's current output, or undefined when no run has this id. */
  async getRun(runId: string): Promise<WorkflowRunOutput | undefined> {
    const handle = this.client.workflow.getHandle(runId);
    try {
      return new WorkflowRunOutput(await handle.query(stateQuery));
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
        if (TERMINAL_EVENTS.includes(event.event)) return;
      }
      if (page.length < EVENTS_PAGE_LIMIT) await delay(pollMs, undefined, { signal: options.signal });
    }
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

function statusOf(description: WorkflowExecutionDescription): RunStatus {
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
