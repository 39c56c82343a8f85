/**
 * A workflow definition: named steps run in order, Agno style. Compiles to a `WorkflowPlan`; its
 * run methods hand the plan to the engine, which starts it on Temporal.
 */
import type { FailurePolicy, WorkflowPlan } from '../plan/types.ts';
import type { RunEvent } from '../events/types.ts';
import { urlSafeId } from '../naming/ids.ts';
import type { WorkflowNode } from './node.ts';
import { checkNodes } from './primitives.ts';
import { getDefaultEngine } from '../engine/engine.ts';
import type { Engine, RunOptions, StreamOptions } from '../engine/engine.ts';
import type { WorkflowRunOutput } from '../engine/run-output.ts';

export interface WorkflowOptions {
  name: string;
  /** Default: derived from the name (`Content Creation Workflow` → `content-creation-workflow`). */
  id?: string;
  description?: string;
  steps: WorkflowNode[];
  /** `fail` (default): a failed step ends the run ERROR. `hold`: the run pauses until retried or aborted. */
  onFailure?: FailurePolicy;
}

export interface ArunOptions extends RunOptions {
  /** Return at once with status PENDING instead of waiting for the result. */
  background?: boolean;
  /** Engine to run on; default: one connected from the environment (TEMPORAL_ADDRESS, ...). */
  engine?: Engine;
}

export class Workflow {
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly steps: WorkflowNode[];
  readonly onFailure: FailurePolicy;

  constructor(options: WorkflowOptions) {
    if (!options?.name) throw new Error('A workflow needs a name.');
    if (!options.steps?.length) throw new Error(`Workflow ${options.name} needs at least one step.`);
    this.id = options.id ? urlSafeId(options.id) : urlSafeId(options.name);
    this.name = options.name;
    this.description = options.description;
    this.steps = checkNodes(`Workflow ${this.name}`, options.steps);
    this.onFailure = options.onFailure ?? 'fail';
    if (this.onFailure !== 'fail' && this.onFailure !== 'hold') throw new Error(`Workflow ${this.name}: onFailure must be fail or hold.`);
    // Compile once now, so a definition error shows when the workflow is defined, not when it runs.
    this.toPlan();
  }

  toPlan(): WorkflowPlan {
    const plan: WorkflowPlan = { id: this.id, name: this.name, steps: this.steps.map((step) => step.toPlan(this.id)) };
    if (this.description !== undefined) plan.description = this.description;
    if (this.onFailure !== 'fail') plan.onFailure = this.onFailure;
    return plan;
  }

  /** Starts a run. With `background: true` it returns at once (status PENDING); otherwise it waits for the end. */
  async arun(options: ArunOptions): Promise<WorkflowRunOutput> {
    const engine = options.engine ?? (await getDefaultEngine());
    const started = await engine.start(this, options);
    return options.background ? started : engine.waitForRun(started.run_id);
  }

  /** Starts a run and yields its events as they happen, ending with the terminal event. */
  async *arunStream(options: ArunOptions): AsyncGenerator<RunEvent> {
    const engine = options.engine ?? (await getDefaultEngine());
    const started = await engine.start(this, options);
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
