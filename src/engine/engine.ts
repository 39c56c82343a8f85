/**
 * The client side of the engine: starts runs on Temporal, reads their state and events, retries,
 * continues and cancels them. Takes plans, never definitions. Used by `Workflow.arun`, the HTTP
 * API and the CLI alike; each job lives in a module of its own, this class holds the connection.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Connection } from '@temporalio/client';
import { connectTemporal } from './temporal-connection.ts';
import type { RunEvent, RunOutputDict, RunSummary, StepRequirement, ToolExecution } from '../contracts/events.ts';
import type { WorkflowPlan } from '../contracts/plan.ts';
import { dataPlaneConfigFromEnv } from '../data-plane/config.ts';
import type { DataPlaneConfig } from '../data-plane/config.ts';
import { createDataConverter } from '../data-plane/data-converter.ts';
import { connectionOptionsOf, resolveTemporalConfig } from './config.ts';
import type { TemporalConfig } from './config.ts';
import { backfillRunStore } from './backfill-runs.ts';
import type { BackfillOptions, BackfillReport } from './backfill-runs.ts';
import { continueRun } from './continue-run.ts';
import { continueTools } from './continue-tools.ts';
import { deleteRun } from './delete-run.ts';
import { RunNotFoundError } from './errors.ts';
import { readEventLog } from './event-reader.ts';
import type { EventLogReadOptions } from './event-reader.ts';
import { listRuns, listStoredRuns } from './list-runs.ts';
import type { RunFilters } from './list-runs.ts';
import { describeRunSummary, getRun, waitForRun } from './read-run.ts';
import type { RunReadOptions } from './read-run.ts';
import { readRunOutputs, runOutputs } from './read-runs.ts';
import type { RunOutputsOptions } from './read-runs.ts';
import { ensureSearchAttributes } from './register-search-attributes.ts';
import { retryRun } from './retry-run.ts';
import { forkRun } from './fork-run.ts';
import type { ForkedRun, ForkOptions } from './fork-run.ts';
import { requeueRun } from './requeue-run.ts';
import type { MultitaskStrategy } from '../contracts/multitask-strategies.ts';
import { createSchedule, deleteSchedule, describeSchedule, listSchedules, scheduledRuns, setScheduleEnabled, triggerSchedule, updateSchedule } from './schedules/schedules.ts';
import type { ScheduleChange, ScheduledRunRef, ScheduleRecord, ScheduleSettings } from './schedules/schedules.ts';
import type { WorkflowRunOutput } from './run-output.ts';
import { startRun } from './start-run.ts';
import { cancelInSessionQueue } from './session-queue.ts';
import type { RunOptions, StartedRun } from './start-run.ts';
import type { RunStore } from '../run-store/run-store.ts';
import type { Tracing } from '../tracing/provider.ts';
import { runStartSpans } from '../tracing/temporal-spans.ts';

export type { EventLogReadOptions, PollPacing } from './event-reader.ts';
export type { RunFilters } from './list-runs.ts';
export type { RunReadOptions } from './read-run.ts';
export type { RunOutputsOptions } from './read-runs.ts';
export type { RunOptions, StartedRun } from './start-run.ts';
export type { ForkedRun, ForkOptions } from './fork-run.ts';
export type { ScheduleChange, ScheduledRunRef, ScheduleRecord, ScheduleSettings } from './schedules/schedules.ts';
export type { RunSummary };

export interface StreamOptions {
  /** Yield events with `event_index` greater than this; default -1 (from the start). */
  after?: number;
  /** Pause between polls when no new events arrived; default 100 ms. */
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export class Engine {
  readonly client: Client;
  readonly taskQueue: string;
  /** Where ended runs are read from (see stored-runs.ts); without one, every read goes through Temporal. */
  readonly runStore: RunStore | undefined;
  private readonly connection: Connection | undefined;

  constructor(options: { client: Client; taskQueue: string; connection?: Connection; runStore?: RunStore }) {
    this.client = options.client;
    this.taskQueue = options.taskQueue;
    this.connection = options.connection;
    this.runStore = options.runStore;
  }

  /**
   * `dataPlane`: where payloads over the claim-check threshold go; default from the environment (BLOB_STORE, ...).
   * `runStore`: where ended runs are read from; none by default (the caller opens and closes it).
   * `tracing`: runs started (and retried, continued) in a span carry its trace into their workflow; none by default.
   */
  static async connect(config: Partial<TemporalConfig> & { dataPlane?: DataPlaneConfig; runStore?: RunStore; tracing?: Tracing } = {}): Promise<Engine> {
    const { namespace, taskQueue, ...reach } = resolveTemporalConfig({ address: config.address, namespace: config.namespace, taskQueue: config.taskQueue, security: config.security });
    const connection = await connectTemporal(connectionOptionsOf(reach));
    await ensureSearchAttributes(connection, namespace);
    const dataConverter = createDataConverter(config.dataPlane ?? dataPlaneConfigFromEnv());
    const interceptors = config.tracing ? { workflow: [runStartSpans(config.tracing.tracer)] } : undefined;
    return new Engine({ client: new Client({ connection, namespace, dataConverter, interceptors }), taskQueue, connection, runStore: config.runStore });
  }

  async start(plan: WorkflowPlan, options: RunOptions): Promise<WorkflowRunOutput> {
    return (await this.startRun(plan, options)).output;
  }

  /** Starts a run; with an idempotency key, returns the run the key already names if there is one. */
  startRun(plan: WorkflowPlan, options: RunOptions): Promise<StartedRun> {
    return startRun(this.client, this.taskQueue, plan, { store: this.runStore, ...options });
  }

  /** Starts an ended run's input again as a new run in its session (see requeue-run.ts). */
  requeueRun(runId: string, options: { multitaskStrategy?: MultitaskStrategy } = {}): Promise<StartedRun> {
    return requeueRun(this.client, this.taskQueue, runId, { ...options, store: this.runStore });
  }

  /** Who a run belongs to and its coarse status, with no worker (the run store's row, else Temporal's describe); undefined if unknown. */
  describeRunSummary(runId: string): Promise<RunSummary | undefined> {
    return describeRunSummary(this.client, runId, this.runStore);
  }

  /** Runs newest first: from the run store, or without one from Temporal visibility (eventually consistent: a run just started may lag). */
  listRuns(filters: RunFilters = {}): Promise<RunSummary[]> {
    return this.runStore ? listStoredRuns(this.client, this.runStore, filters) : listRuns(this.client, filters);
  }

  /** The run's current output, or undefined when no run has this id. */
  getRun(runId: string, options?: RunReadOptions): Promise<WorkflowRunOutput | undefined> {
    return getRun(this.client, runId, { ...options, store: this.runStore });
  }

  /** The outputs of many runs for one answer, in their order, each as soon as it is read (see read-runs.ts). */
  readRuns(runIds: readonly string[], options?: RunOutputsOptions): AsyncGenerator<RunOutputDict> {
    return runOutputs((runId, read) => this.getRun(runId, read), runIds, options);
  }

  /** The outputs of many runs, all at once (see `readRuns`). */
  readAllRuns(runIds: readonly string[], options?: RunOutputsOptions): Promise<RunOutputDict[]> {
    return readRunOutputs((runId, read) => this.getRun(runId, read), runIds, options);
  }

  /** Waits for the run to end and returns its final output (status COMPLETED, ERROR or CANCELLED). */
  waitForRun(runId: string, options?: RunReadOptions): Promise<WorkflowRunOutput> {
    return waitForRun(this.client, runId, { ...options, store: this.runStore });
  }

  /** The run's events after `options.after`, as they happen, ending with the terminal event. */
  async *streamEvents(runId: string, options: StreamOptions = {}): AsyncGenerator<RunEvent> {
    const pages = this.readEventLog(runId, { after: options.after, pacing: { pollMs: options.pollIntervalMs }, signal: options.signal });
    for await (const page of pages) yield* page;
  }

  /** The run's event log one poll at a time (see `readEventLog`), for readers that pace themselves. */
  readEventLog(runId: string, options: EventLogReadOptions = {}): AsyncGenerator<RunEvent[]> {
    return readEventLog(this.client, runId, { store: this.runStore, ...options });
  }

  /** Writes the runs that ended before the run store to it, once per store (see backfill-runs.ts); nothing without a store. */
  async backfillRunStore(options?: BackfillOptions): Promise<BackfillReport | undefined> {
    return this.runStore && backfillRunStore(this.client, this.runStore, options);
  }

  /** Retries a run from the step that failed (see retry-run.ts). */
  retryRun(runId: string): Promise<WorkflowRunOutput> {
    return retryRun(this.client, this.taskQueue, runId, this.runStore);
  }

  /** Forks an ended run at a step: a new run that reuses what came before it (see fork-run.ts). */
  forkRun(runId: string, options: ForkOptions): Promise<ForkedRun> {
    return forkRun(this.client, this.taskQueue, runId, options, this.runStore);
  }

  /**
   * Answers a run waiting for a person (a step requiring confirmation or input). Returns the
   * index of the newest event at that moment: what follows is the continued run.
   */
  continueRun(runId: string, answers: StepRequirement[]): Promise<number> {
    return continueRun(this.client, runId, answers);
  }

  /**
   * Answers the tool calls an agent's own run waits on (see continue-tools.ts). Returns the index
   * of the newest event at that moment: what follows is the continued run.
   */
  continueTools(runId: string, tools: ToolExecution[]): Promise<number> {
    return continueTools(this.client, runId, tools);
  }

  /**
   * Cancels the run: its workflow ends it at the next safe place, CANCELLED. A run whose workflow
   * task keeps failing (a bug, code that no longer replays) can never take the cancellation in,
   * so it is terminated instead, and reads as CANCELLED with that reason. A run waiting in its
   * session's queue leaves the queue and ends CANCELLED.
   */
  async cancel(runId: string): Promise<void> {
    const handle = this.client.workflow.getHandle(runId);
    try {
      await handle.cancel();
      const description = await handle.describe();
      if ((description.raw.pendingWorkflowTask?.attempt ?? 0) > 1) {
        await handle.terminate(`cancelled while its workflow task kept failing (attempt ${description.raw.pendingWorkflowTask!.attempt})`);
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // No execution yet: a run waiting in its session's queue leaves it, CANCELLED.
      const row = await this.runStore?.getRun(runId);
      if (row?.status !== 'PENDING' || !row.session_id) throw new RunNotFoundError(runId);
      await cancelInSessionQueue(this.client, row.session_id, runId);
    }
  }

  /** Schedules of runs on Temporal Schedules (see schedules/schedules.ts); each returns undefined (or false) for an unknown schedule. */
  createSchedule(settings: ScheduleSettings & { userId?: string }): Promise<ScheduleRecord> {
    return createSchedule(this.client, this.taskQueue, settings);
  }

  describeSchedule(id: string): Promise<ScheduleRecord | undefined> {
    return describeSchedule(this.client, id);
  }

  listSchedules(): Promise<ScheduleRecord[]> {
    return listSchedules(this.client);
  }

  updateSchedule(id: string, change: ScheduleChange): Promise<ScheduleRecord | undefined> {
    return updateSchedule(this.client, this.taskQueue, id, change);
  }

  setScheduleEnabled(id: string, enabled: boolean): Promise<ScheduleRecord | undefined> {
    return setScheduleEnabled(this.client, id, enabled);
  }

  deleteSchedule(id: string): Promise<boolean> {
    return deleteSchedule(this.client, id);
  }

  triggerSchedule(id: string): Promise<ScheduledRunRef | undefined> {
    return triggerSchedule(this.client, id);
  }

  scheduledRuns(id: string): Promise<ScheduledRunRef[] | undefined> {
    return scheduledRuns(this.client, id);
  }

  /**
   * Deletes the run's execution, history and visibility record (see delete-run.ts); an unknown run
   * is no error. A run waiting in its session's queue leaves it, and is deleted again once its
   * queue has ended it (its row comes back CANCELLED meanwhile).
   */
  async deleteRun(runId: string): Promise<void> {
    // A run waiting in its session's queue would start later all the same: its queue drops it, and deletes what that leaves.
    const row = await this.runStore?.getRun(runId);
    if (row?.status === 'PENDING' && row.session_id) await cancelInSessionQueue(this.client, row.session_id, runId, { deleteAfter: true }).catch((err: unknown) => {
      if (!(err instanceof RunNotFoundError)) throw err;
    });
    return deleteRun(this.client, runId, this.runStore);
  }

  /**
   * For the API's readiness: Temporal answers its cheapest call (GetSystemInfo) on this engine's
   * connection, within `signal`; resolves with the server's version. While Temporal is unreachable
   * the call fails at once (temporal-reachability.ts).
   */
  async checkTemporal(signal: AbortSignal): Promise<string> {
    const info = await this.client.connection.withAbortSignal(signal, () => this.client.workflowService.getSystemInfo({}));
    return `temporal ${info.serverVersion ?? ''}`.trim();
  }

  /** Closes the connection if this engine opened it. */
  async close(): Promise<void> {
    await this.connection?.close();
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
