/**
 * The agents and teams an AgentOS serves on their own (`/agents`, `/teams`): the ones registered
 * with it, as Agno's AgentOS serves them (not those of its workflows' steps, which Agno shows in
 * the workflow's detail only). Two of one id would be one route for two agents: refused.
 */
import type { Agent } from '../definitions/agent.ts';
import { Runnable } from '../definitions/runnable.ts';
import type { Team } from '../definitions/team.ts';

export function servedRunnables(options: { agents?: readonly Agent[]; teams?: readonly Team[] }): Runnable[] {
  const served = new Map<string, Runnable>();
  for (const member of [...(options.agents ?? []), ...(options.teams ?? [])]) {
    const runnable = new Runnable(member);
    const existing = served.get(runnable.id);
    if (existing && existing.member !== member) throw new Error(`Two ${member.kind}s have the id ${member.id}; give them distinct names.`);
    served.set(runnable.id, runnable);
  }
  return [...served.values()];
}
