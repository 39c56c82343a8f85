/**
 * `Workflow`, as users write it: a workflow definition plus Agno's run methods (`arun`,
 * `arunStream`, `getRun`, …). The run methods hand the definition's plan to an engine; they live
 * here, above both, so that definitions never import the engine that runs them.
 */
import type { StreamedEvent } from '../contracts/live.ts';
import { WorkflowDefinition } from '../definitions/workflow.ts';
import { getDefaultEngine } from '../engine/engine.ts';
import type { Engine, RunOptions, StreamOptions } from '../engine/engine.ts';
import type { WorkflowRunOutput } from '../engine/run-output.ts';
import { followRun } from '../live/follow-run.ts';
import type { LiveLane } from '../live/lane.ts';

export interface ArunOptions extends RunOptions {
  /** Return at once with status PENDING instead of waiting for the result. */
  background?: boolean;
  /** Engine to run on; default: one connected from the environment (TEMPORAL_ADDRESS, ...). */
  engine?: Engine;
  /** Where streamed text arrives live; default the process's lane (LIVE_LANE, REDIS_URL). */
  live?: LiveLane;
}

export class Workflow extends WorkflowDefinition {
  /** Starts a run. With `background: true` it returns at once (status PENDING); otherwise it waits for the end. */
  async arun(options: ArunOptions): Promise<WorkflowRunOutput> {
    const engine = options.engine ?? (await getDefaultEngine());
    const started = await engine.start(this.toPlan(), options);
    return options.background ? started : engine.waitForRun(started.run_id);
  }

  /**
   * Starts a run and yields its events as they happen, ending with the terminal event, and
   * between them the model's text as it writes it (content events without `event_index`; see
   * `DurableAgentsClient.events`).
   */
  async *arunStream(options: ArunOptions): AsyncGenerator<StreamedEvent> {
    const engine = options.engine ?? (await getDefaultEngine());
    const started = await engine.start(this.toPlan(), options);
    yield* followRun(engine, started.run_id, { lane: options.live });
  }

  /** The run's current output, or undefined when no run has this id. */
  async getRun(runId: string, engine?: Engine): Promise<WorkflowRunOutput | undefined> {
    return (engine ?? (await getDefaultEngine())).getRun(runId);
  }

  async cancelRun(runId: string, engine?: Engine): Promise<void> {
    await (engine ?? (await getDefaultEngine())).cancel(runId);
  }

  /** Events of a run, from `options.after` on, until its terminal event, with live text as `arunStream`. */
  async *streamRun(runId: string, options: StreamOptions & { engine?: Engine; live?: LiveLane } = {}): AsyncGenerator<StreamedEvent> {
    const engine = options.engine ?? (await getDefaultEngine());
    yield* followRun(engine, runId, { cursor: { after: options.after ?? -1, calls: [] }, lane: options.live, signal: options.signal });
  }
}
