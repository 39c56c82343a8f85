import type { HumanCheckPlan, JsonSchema, StepErrorPolicy, StepExecutorPlan, StepPlan } from '../contracts/plan.ts';
import type { NestedWorkflow, NodeContents, UserFunction, WorkflowNode } from './node.ts';
import type { StepInputData, StepOutput } from '../contracts/activities.ts';
import type { Agent } from './agent.ts';
import type { Team } from './team.ts';
import { urlSafeId } from './ids.ts';

export type { StepOutput };

/** Agno's `StepInput`: the workflow input, the previous step's content, every earlier step's content by name. */
export interface StepInput extends StepInputData {
  getStepContent(name: string): string | undefined;
}

/** A function step: runs as an activity on the worker, so it may do I/O. Returning a string means `{ content }`. */
export type StepFunction = (input: StepInput) => StepOutput | string | Promise<StepOutput | string>;

export interface StepOptions {
  name: string;
  description?: string;
  agent?: Agent;
  team?: Team;
  executor?: StepFunction;
  /** Another workflow, run as a child workflow of this run. */
  workflow?: NestedWorkflow;
  /** Ask a person to confirm before the step runs (Agno's requires_confirmation). */
  requiresConfirmation?: boolean;
  confirmationMessage?: string;
  /** Ask a person for input before the step runs; `userInputSchema` is a JSON Schema of type object. */
  requiresUserInput?: boolean;
  userInputMessage?: string;
  userInputSchema?: JsonSchema;
  /** When the person rejects the step: skip it (default) or fail the run. */
  onReject?: 'skip' | 'fail';
  /** How long to wait for the person (ms); default for ever. */
  humanTimeoutMs?: number;
  /** When nobody answers in time: skip (default), fail, or run the step as if confirmed. */
  onTimeout?: 'skip' | 'fail' | 'approve';
  /** Retries of the step's model, tool and function calls on transient failures; default the run's policy. */
  retries?: number;
  /** On failure: `fail` the run (default), `skip` the step (the next step gets the previous content), or `pause` the run until retried. */
  onError?: StepErrorPolicy;
  /** Agno's shorthand for `onError: 'skip'`. */
  skipOnFailure?: boolean;
}

export class Step implements WorkflowNode {
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly agent: Agent | undefined;
  readonly team: Team | undefined;
  readonly executor: StepFunction | undefined;
  readonly workflow: NestedWorkflow | undefined;
  readonly human: HumanCheckPlan | undefined;
  readonly retries: number | undefined;
  readonly onError: StepErrorPolicy;

  constructor(options: StepOptions) {
    if (!options?.name) throw new Error('A step needs a name.');
    const given = [options.agent, options.team, options.executor, options.workflow].filter((value) => value !== undefined).length;
    if (given !== 1) {
      throw new Error(`Step ${options.name} needs exactly one of agent, team, executor or workflow (got ${given}).`);
    }
    this.id = urlSafeId(options.name);
    this.name = options.name;
    this.description = options.description;
    this.agent = options.agent;
    this.team = options.team;
    this.executor = options.executor;
    this.workflow = options.workflow;
    this.human = humanCheck(options);
    if (options.retries !== undefined && (!Number.isInteger(options.retries) || options.retries < 0)) {
      throw new Error(`Step ${options.name}: retries must be a non-negative integer.`);
    }
    this.retries = options.retries;
    this.onError = options.onError ?? (options.skipOnFailure ? 'skip' : 'fail');
    if (!['fail', 'skip', 'pause'].includes(this.onError)) throw new Error(`Step ${options.name}: onError must be fail, skip or pause.`);
  }

  /** Registry key of this step's function: `parentScope` is the workflow id at the top level. */
  functionRef(parentScope: string): string {
    return `${parentScope}/${this.id}`;
  }

  toPlan(parentScope: string): StepPlan {
    const scope = `${parentScope}/${this.id}`;
    let executor: StepExecutorPlan;
    if (this.agent) executor = { kind: 'agent', agent: this.agent.toPlan(scope) };
    else if (this.team) executor = { kind: 'team', team: this.team.toPlan(scope) };
    else if (this.workflow) executor = { kind: 'workflow', workflow: this.workflow.toPlan() };
    else executor = { kind: 'function', ref: this.functionRef(parentScope), ...functionName(this.executor) };
    const plan: StepPlan = { id: this.id, name: this.name, executor };
    if (this.description !== undefined) plan.description = this.description;
    if (this.retries !== undefined) plan.retries = this.retries;
    if (this.onError !== 'fail') plan.onError = this.onError;
    if (this.human) plan.human = this.human;
    return plan;
  }

  collect(parentScope: string, into: NodeContents): void {
    const scope = `${parentScope}/${this.id}`;
    if (this.agent) into.member(this.agent, scope);
    if (this.team) into.member(this.team, scope);
    if (this.executor) into.function(this.functionRef(parentScope), this.executor as UserFunction);
    if (this.workflow) into.workflow(this.workflow);
  }
}

/**
 * A step function's own name, shown in the Web UI's activity summaries. An inline arrow function
 * takes the name of the option it is given in (`executor`), which says nothing, so it has none.
 */
function functionName(fn: StepFunction | undefined): { name?: string } {
  const name = fn?.name;
  return name && name !== 'executor' && /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name) ? { name } : {};
}

function humanCheck(options: StepOptions): HumanCheckPlan | undefined {
  if (!options.requiresConfirmation && !options.requiresUserInput) return undefined;
  const check: HumanCheckPlan = { onReject: options.onReject ?? 'skip', onTimeout: options.onTimeout ?? 'skip' };
  if (options.requiresConfirmation) check.confirmationMessage = options.confirmationMessage ?? `Run step ${options.name}?`;
  if (options.requiresUserInput) {
    const schema = options.userInputSchema ?? { type: 'object' };
    if (schema.type !== 'object') throw new Error(`Step ${options.name}: userInputSchema must be a JSON Schema of type object.`);
    check.userInput = { message: options.userInputMessage ?? `Input for step ${options.name}`, schema };
  }
  if (options.humanTimeoutMs !== undefined) {
    if (!Number.isInteger(options.humanTimeoutMs) || options.humanTimeoutMs < 1) throw new Error(`Step ${options.name}: humanTimeoutMs must be a positive integer.`);
    check.timeoutMs = options.humanTimeoutMs;
  }
  return check;
}
