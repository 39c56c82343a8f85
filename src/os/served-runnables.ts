/**
 * The agents and teams an AgentOS serves on their own (`/agents`, `/teams`): the ones registered,
 * then, as Agno lists them, those of the registered workflows' steps, unless one of the same id
 * is registered (the first of an id is served).
 */
import type { Agent } from '../definitions/agent.ts';
import type { NestedWorkflow } from '../definitions/node.ts';
import { Runnable } from '../definitions/runnable.ts';
import type { Team } from '../definitions/team.ts';

export function servedRunnables(options: { workflows: readonly NestedWorkflow[]; agents?: readonly Agent[]; teams?: readonly Team[] }): Runnable[] {
  const served = new Map<string, Runnable>();
  const add = (member: Agent | Team) => {
    const runnable = new Runnable(member);
    if (!served.has(runnable.id)) served.set(runnable.id, runnable);
  };
  for (const agent of options.agents ?? []) add(agent);
  for (const team of options.teams ?? []) add(team);
  const into = {
    member: (member: Agent | Team) => add(member),
    function: () => {},
    // A nested workflow's agents are its own, served with it when it is registered.
    workflow: () => {},
  };
  for (const workflow of options.workflows) for (const node of workflow.steps) node.collect(workflow.id, into);
  return [...served.values()];
}
