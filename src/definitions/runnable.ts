/**
 * An agent or a team run on its own (AgentOS's `/agents` and `/teams`): a plan of one step that
 * runs it, so that its runs are the runs of every workflow — the same workflow code, engine and
 * event log (see docs/adr/0020-agents-and-teams-are-one-step-runs.md).
 */
import type { WorkflowPlan } from '../contracts/plan.ts';
import type { Agent } from './agent.ts';
import type { NestedWorkflow, WorkflowNode } from './node.ts';
import { Step } from './step.ts';
import type { Team } from './team.ts';

export type RunnableKind = 'agent' | 'team';

export class Runnable implements NestedWorkflow {
  readonly kind: RunnableKind;
  /** `agent:<agent_id>` or `team:<team_id>`: the runs' `workflow_id`, apart from any workflow's. */
  readonly id: string;
  readonly name: string;
  readonly steps: WorkflowNode[];
  readonly member: Agent | Team;

  constructor(member: Agent | Team) {
    this.member = member;
    this.kind = member.kind;
    this.id = runnableId(member.kind, member.id);
    this.name = member.name;
    this.steps = [new Step(member.kind === 'agent' ? { name: member.name, agent: member } : { name: member.name, team: member })];
  }

  /** Whether its runs may pause for a person: an agent with a tool that asks for one, or a team with such a member (at any depth). */
  get mayPause(): boolean {
    return asksAPerson(this.member);
  }

  toPlan(): WorkflowPlan {
    return { id: this.id, name: this.name, steps: this.steps.map((step) => step.toPlan(this.id)), runnable: this.kind };
  }
}

function asksAPerson(member: Agent | Team): boolean {
  if (member.kind === 'team') return member.members.some(asksAPerson);
  return member.tools.some((tool) => tool.requiresConfirmation || tool.requiresUserInput || tool.externalExecution);
}

export function runnableId(kind: RunnableKind, memberId: string): string {
  return `${kind}:${memberId}`;
}

/** The kind of runnable whose runs carry this `workflow_id`, if any. */
export function runnableKindOf(workflowId: string): RunnableKind | undefined {
  const kind = workflowId.slice(0, workflowId.indexOf(':'));
  return kind === 'agent' || kind === 'team' ? kind : undefined;
}
