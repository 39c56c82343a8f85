import type { StepErrorPolicy, StepExecutorPlan, StepPlan } from '../plan/types.ts';
import type { NodeContents, UserFunction, WorkflowNode } from './node.ts';
import type { StepInputData, StepOutput } from '../activities/types.ts';
import type { Agent } from '../agents/agent.ts';
import type { Team } from '../teams/team.ts';
import { urlSafeId } from '../naming/ids.ts';

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
  readonly retries: number | undefined;
  readonly onError: StepErrorPolicy;

  constructor(options: StepOptions) {
    if (!options?.name) throw new Error('A step needs a name.');
    const given = [options.agent, options.team, options.executor].filter((value) => value !== undefined).length;
    if (given !== 1) {
      throw new Error(`Step ${options.name} needs exactly one of agent, team or executor (got ${given}).`);
    }
    this.id = urlSafeId(options.name);
    this.name = options.name;
    this.description = options.description;
    this.agent = options.agent;
    this.team = options.team;
    this.executor = options.executor;
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
    else executor = { kind: 'function', ref: this.functionRef(parentScope) };
    const plan: StepPlan = { id: this.id, name: this.name, executor };
    if (this.description !== undefined) plan.description = this.description;
    if (this.retries !== undefined) plan.retries = this.retries;
    if (this.onError !== 'fail') plan.onError = this.onError;
    return plan;
  }

  collect(parentScope: string, into: NodeContents): void {
    const scope = `${parentScope}/${this.id}`;
    if (this.agent) into.member(this.agent, scope);
    if (this.team) into.member(this.team, scope);
    if (this.executor) into.function(this.functionRef(parentScope), this.executor as UserFunction);
  }
}
