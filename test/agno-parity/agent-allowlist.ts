/**
 * The accepted differences of the agent and team routes (agent-scenario.ts), each with its
 * reason; parity.test.ts puts them first in its allowlist.
 */
import type { Allowed } from './allowlist.ts';

const DESCRIBED = /^(agents|teams): (list|detail)$/;

export const AGENT_ALLOWLIST: Allowed[] = [
  {
    why: 'extension',
    kind: 'extra',
    path: '**tools.tools[].*',
    label: DESCRIBED,
    reason: 'tools show their description and full JSON schema from the plan, as a workflow’s detail shows its steps’ (Agno’s list and detail show them with empty parameters)',
  },
  {
    why: 'by design',
    kind: 'missing',
    path: '**sessions',
    label: DESCRIBED,
    reason: 'Agno names the database table its agent’s sessions are kept in; here sessions are the runs of the run store, which `db_id` names',
  },
];
