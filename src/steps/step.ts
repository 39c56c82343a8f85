import type { StepExecutorPlan, StepPlan } from '../plan/types.ts';
import type { StepInput, StepOutput } from '../activities/types.ts';
import type { Agent } from '../agents/agent.ts';
import type { Team } from '../teams/team.ts';
import { urlSafeId } from '../naming/ids.ts';

export type { StepInput, StepOutput };

/** A function step: runs as an activity on the worker, so it may do I/O. Returning a string means `{ content }`. */
export type StepFunction = (input: StepInput) => StepOutput | string | Promise<StepOutput | string>;

export interface StepOptions {
  name: string;
  description?: string;
  agent?: Agent;
  team?: Team;
  executor?: StepFunction;
}

export class Step {
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly agent: Agent | undefined;
  readonly team: Team | undefined;
  readonly executor: StepFunction | undefined;

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
  }

  /** Registry key of this step's function within a workflow. */
  functionRef(workflowId: string): string {
    return `${workflowId}/${this.id}`;
  }

  toPlan(workflowId: string): StepPlan {
    const scope = `${workflowId}/${this.id}`;
    let executor: StepExecutorPlan;
    if (this.agent) executor = { kind: 'agent', agent: this.agent.toPlan(scope) };
    else if (this.team) executor = { kind: 'team', team: this.team.toPlan(scope) };
    else executor = { kind: 'function', ref: this.functionRef(workflowId) };
    const plan: StepPlan = { id: this.id, name: this.name, executor };
    if (this.description !== undefined) plan.description = this.description;
    return plan;
  }
}
