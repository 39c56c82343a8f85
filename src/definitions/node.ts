/**
 * What every building block of a workflow (Step, Parallel, Condition, Loop, Router, Steps) does:
 * compile to a plan node, and hand the worker's registry the code it holds (agents' tools and
 * models, user functions), under keys that are unique within the workflow.
 */
import type { StepNodePlan, WorkflowPlan } from '../contracts/plan.ts';
import type { Agent } from './agent.ts';
import type { Team } from './team.ts';

/** A user function run as an activity: step executors, evaluators, selectors, end conditions. */
export type UserFunction = (...args: never[]) => unknown;

export interface NodeContents {
  /** An agent or team, at the scope its models are keyed under. */
  member(member: Agent | Team, scope: string): void;
  function(ref: string, fn: UserFunction): void;
  /** A nested workflow (run as a child workflow). */
  workflow(workflow: NestedWorkflow): void;
}

/** A workflow definition as a step of another workflow sees it (run as a child workflow). */
export interface NestedWorkflow {
  readonly id: string;
  readonly name: string;
  readonly steps: WorkflowNode[];
  toPlan(): WorkflowPlan;
}

export interface WorkflowNode {
  readonly id: string;
  readonly name: string;
  /** `scope`: the parent's scope (the workflow id at the top level). */
  toPlan(scope: string): StepNodePlan;
  collect(scope: string, into: NodeContents): void;
}
