/**
 * Agno's building blocks beyond Step: Parallel, Condition, Loop, Router and Steps. User functions
 * (evaluators, selectors, end conditions) run as activities on the worker, so they may do I/O
 * and a replay never calls them again.
 */
import type { StepNodePlan } from '../contracts/plan.ts';
import type { StepOutput } from '../contracts/activities.ts';
import type { StepInput } from './step.ts';
import { urlSafeId } from './ids.ts';
import { positiveInteger } from './positive-integer.ts';
import type { NodeContents, UserFunction, WorkflowNode } from './node.ts';

/** Checks a list of nodes: at least one, names unique among siblings. */
export function checkNodes(owner: string, nodes: WorkflowNode[], allowEmpty = false): WorkflowNode[] {
  if (!Array.isArray(nodes) || (!allowEmpty && nodes.length === 0)) throw new Error(`${owner} needs at least one step.`);
  const ids = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.id)) throw new Error(`${owner} has two steps with the id ${node.id}; give them distinct names.`);
    ids.add(node.id);
  }
  return nodes;
}

abstract class Group implements WorkflowNode {
  readonly id: string;
  readonly name: string;
  constructor(name: string, what: string) {
    if (!name) throw new Error(`A ${what} needs a name.`);
    this.id = urlSafeId(name);
    this.name = name;
  }
  abstract toPlan(scope: string): StepNodePlan;
  abstract collect(scope: string, into: NodeContents): void;
  protected scope(parent: string): string {
    return `${parent}/${this.id}`;
  }
  protected plans(nodes: WorkflowNode[], parent: string): StepNodePlan[] {
    return nodes.map((node) => node.toPlan(this.scope(parent)));
  }
  protected collectAll(nodes: WorkflowNode[], parent: string, into: NodeContents): void {
    for (const node of nodes) node.collect(this.scope(parent), into);
  }
}

/** `new Parallel('Research', stepA, stepB)`: the steps run at the same time on the same input. */
export class Parallel extends Group {
  readonly steps: WorkflowNode[];
  constructor(name: string, ...steps: WorkflowNode[]) {
    super(name, 'Parallel');
    this.steps = checkNodes(`Parallel ${name}`, steps);
  }
  toPlan(scope: string): StepNodePlan {
    return { kind: 'parallel', id: this.id, name: this.name, steps: this.plans(this.steps, scope) };
  }
  collect(scope: string, into: NodeContents): void {
    this.collectAll(this.steps, scope, into);
  }
}

export interface ConditionOptions {
  name: string;
  /** A constant, or a function of the step input (run as an activity). */
  evaluator: boolean | ((input: StepInput) => boolean | Promise<boolean>);
  steps: WorkflowNode[];
  elseSteps?: WorkflowNode[];
}

export class Condition extends Group {
  readonly options: ConditionOptions;
  constructor(options: ConditionOptions) {
    super(options?.name, 'Condition');
    if (typeof options.evaluator !== 'boolean' && typeof options.evaluator !== 'function') throw new Error(`Condition ${options.name}: evaluator must be a boolean or a function.`);
    checkNodes(`Condition ${options.name}`, options.steps);
    checkNodes(`Condition ${options.name} (else)`, options.elseSteps ?? [], true);
    this.options = options;
  }
  toPlan(scope: string): StepNodePlan {
    const evaluator = typeof this.options.evaluator === 'boolean' ? this.options.evaluator : `${this.scope(scope)}#evaluator`;
    return { kind: 'condition', id: this.id, name: this.name, evaluator, steps: this.plans(this.options.steps, scope), elseSteps: this.plans(this.options.elseSteps ?? [], scope) };
  }
  collect(scope: string, into: NodeContents): void {
    if (typeof this.options.evaluator === 'function') into.function(`${this.scope(scope)}#evaluator`, this.options.evaluator as UserFunction);
    this.collectAll([...this.options.steps, ...(this.options.elseSteps ?? [])], scope, into);
  }
}

export interface LoopOptions {
  name: string;
  steps: WorkflowNode[];
  /** Default 3. */
  maxIterations?: number;
  /** Ends the loop when it returns true; gets the iteration's step outputs (run as an activity). */
  endCondition?: (outputs: StepOutput[]) => boolean | Promise<boolean>;
}

export class Loop extends Group {
  readonly options: LoopOptions;
  readonly maxIterations: number;
  constructor(options: LoopOptions) {
    super(options?.name, 'Loop');
    checkNodes(`Loop ${options.name}`, options.steps);
    this.maxIterations = positiveInteger(options.maxIterations ?? 3, `Loop ${options.name}: maxIterations`);
    this.options = options;
  }
  toPlan(scope: string): StepNodePlan {
    return {
      kind: 'loop',
      id: this.id,
      name: this.name,
      steps: this.plans(this.options.steps, scope),
      maxIterations: this.maxIterations,
      ...(this.options.endCondition ? { endCondition: `${this.scope(scope)}#endCondition` } : {}),
    };
  }
  collect(scope: string, into: NodeContents): void {
    if (this.options.endCondition) into.function(`${this.scope(scope)}#endCondition`, this.options.endCondition as UserFunction);
    this.collectAll(this.options.steps, scope, into);
  }
}

export interface RouterOptions {
  name: string;
  /** Picks the choice(s) to run: returns a choice, its name, or a list of them (run as an activity). */
  selector: (input: StepInput) => WorkflowNode | string | (WorkflowNode | string)[] | Promise<WorkflowNode | string | (WorkflowNode | string)[]>;
  choices: WorkflowNode[];
}

export class Router extends Group {
  readonly options: RouterOptions;
  constructor(options: RouterOptions) {
    super(options?.name, 'Router');
    if (typeof options.selector !== 'function') throw new Error(`Router ${options.name}: selector must be a function.`);
    checkNodes(`Router ${options.name}`, options.choices);
    this.options = options;
  }
  toPlan(scope: string): StepNodePlan {
    return { kind: 'router', id: this.id, name: this.name, selector: `${this.scope(scope)}#selector`, choices: this.plans(this.options.choices, scope) };
  }
  collect(scope: string, into: NodeContents): void {
    into.function(`${this.scope(scope)}#selector`, this.options.selector as UserFunction);
    this.collectAll(this.options.choices, scope, into);
  }
}

/** A named sequence of steps, usable wherever a step is. */
export class Steps extends Group {
  readonly steps: WorkflowNode[];
  constructor(name: string, steps: WorkflowNode[]) {
    super(name, 'Steps');
    this.steps = checkNodes(`Steps ${name}`, steps);
  }
  toPlan(scope: string): StepNodePlan {
    return { kind: 'steps', id: this.id, name: this.name, steps: this.plans(this.steps, scope) };
  }
  collect(scope: string, into: NodeContents): void {
    this.collectAll(this.steps, scope, into);
  }
}
