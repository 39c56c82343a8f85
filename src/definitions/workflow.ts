/**
 * A workflow definition: named steps run in order, Agno style. Compiles to a `WorkflowPlan`, which
 * is all the engine and the Temporal workflow ever see. Users write `new Workflow(...)` (src/os/
 * workflow.ts), which adds Agno's run methods on top of this definition.
 */
import type { FailurePolicy, WorkflowPlan } from '../contracts/plan.ts';
import { urlSafeId } from './ids.ts';
import type { WorkflowNode } from './node.ts';
import { checkNodes } from './primitives.ts';

export interface WorkflowOptions {
  name: string;
  /** Default: derived from the name (`Content Creation Workflow` → `content-creation-workflow`). */
  id?: string;
  description?: string;
  steps: WorkflowNode[];
  /** `fail` (default): a failed step ends the run ERROR. `hold`: the run pauses until retried or aborted. */
  onFailure?: FailurePolicy;
}

export class WorkflowDefinition {
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
}
