/**
 * `Workflow`, as users write it: a workflow definition plus Agno's run methods (`arun`,
 * `arunStream`, `getRun`, …). The run methods hand the definition's plan to an engine; they live
 * here, above both, so that definitions never import the engine that runs them.
 */
import type { RunEvent } from '../contracts/events.ts';
import { WorkflowDefinition } from '../definitions/workflow.ts';
import { getDefaultEngine } from '../engine/engine.ts';
import type { Engine, RunOptions, StreamOptions } from '../engine/engine.ts';
import type { WorkflowRunOutput } from '../engine/run-output.ts';

export interface ArunOptions extends RunOptions {
  /** Return at once with status PENDING instead of waiting for the result. */
  background?: boolean;
  /** Engine to run on; default: one connected from the environment (TEMPORAL_ADDRESS, ...). */
  engine?: Engine;
}

export class Workflow extends WorkflowDefinition {
  /** Starts a run. With `background: true` it returns at once (status PENDING); otherwise it waits for the end. */
  async arun(options: ArunOptions): Promise<WorkflowRunOutput> {
    const engine = options.engine ?? (await getDefaultEngine());
    const started = await engine.start(this.toPlan(), options);
    return options.background ? started : engine.waitForRun(started.run_id);
  }

  /** Starts a run and yields its events as they happen, ending with the terminal event. */
  async *arunStream(options: ArunOptions): AsyncGenerator<RunEvent> {
    const engine = options.engine ?? (await getDefaultEngine());
    const started = await engine.start(this.toPlan(), options);
    yield* engine.streamEvents(started.run_id);
  }

  /** The run's current output, or undefined when no run has this id. */
  async getRun(runId: string, engine?: Engine): Promise<WorkflowRunOutput | undefined> {
    return (engine ?? (await getDefaultEngine())).getRun(runId);
  }

  async cancelRun(runId: string, engine?: Engine): Promise<void> {
    await (engine ?? (await getDefaultEngine())).cancel(runId);
  }

  /** Events of a run, from `options.after` on, until its terminal event. */
  async *streamRun(runId: string, options: StreamOptions & { engine?: Engine } = {}): AsyncGenerator<RunEvent> {
    yield* (options.engine ?? (await getDefaultEngine())).streamEvents(runId, options);
  }
}
