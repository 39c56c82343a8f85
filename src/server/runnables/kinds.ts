/**
 * What tells the agent routes from the team routes: their paths, names and Agno's event names for
 * a run's end. Everything else about them is one code (see docs/adr/0020-agents-and-teams-are-one-step-runs.md).
 */
import type { RunnableKind } from '../../definitions/runnable.ts';

export interface RunnableRoutesKind {
  kind: RunnableKind;
  /** The path's first segment: `/agents`, `/teams`. */
  collection: 'agents' | 'teams';
  /** The path parameter naming one: `agent_id`, `team_id`. */
  param: 'agent_id' | 'team_id';
  /** As people read it: `Agent`, `Team`. */
  label: 'Agent' | 'Team';
  /** Agno's events of a run that failed or was cancelled. */
  errorEvent: 'RunError' | 'TeamRunError';
  cancelledEvent: 'RunCancelled' | 'TeamRunCancelled';
  /** The identity fields Agno's events and outputs name it by. */
  idField: 'agent_id' | 'team_id';
  nameField: 'agent_name' | 'team_name';
}

export const AGENTS: RunnableRoutesKind = {
  kind: 'agent',
  collection: 'agents',
  param: 'agent_id',
  label: 'Agent',
  errorEvent: 'RunError',
  cancelledEvent: 'RunCancelled',
  idField: 'agent_id',
  nameField: 'agent_name',
};

export const TEAMS: RunnableRoutesKind = {
  kind: 'team',
  collection: 'teams',
  param: 'team_id',
  label: 'Team',
  errorEvent: 'TeamRunError',
  cancelledEvent: 'TeamRunCancelled',
  idField: 'team_id',
  nameField: 'team_name',
};
