/**
 * What a front-end protocol's route runs (the AI SDK's chat, AG-UI), its target: a workflow, or an
 * agent or team served on its own, and its id, as the path names them (`/ai-sdk/{kind}/{id}/chat`, `/agui/{kind}/{id}`). One lookup for
 * every protocol, so that each kind served here is served by all of them.
 */
import type { Context } from 'hono';
import type { StartedRun } from '../../engine/engine.ts';
import type { Caller } from '../http/auth.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { runnableOr404 } from '../runnables/access.ts';
import { AGENTS, TEAMS } from '../runnables/kinds.ts';
import type { NestedWorkflow } from '../../definitions/node.ts';
import { startRunFor, workflowOr404 } from './access.ts';

export const FRONT_END_KINDS = ['workflows', 'agents', 'teams'] as const;
export type FrontEndKind = (typeof FRONT_END_KINDS)[number];

/** The path pattern of `{kind}`: a route of another kind is not these routes'. */
export const FRONT_END_KIND_PATTERN = FRONT_END_KINDS.join('|');

/** A run's start as a front end asks for it: the text, and the conversation it belongs to. */
export interface FrontEndInput {
  message: string;
  /** The conversation (the AI SDK's chat id, AG-UI's thread id): the run's session. */
  sessionId: string;
  /** The same key names the same run (a reconnect asks again). */
  idempotencyKey?: string;
}

export interface FrontEndTarget {
  kind: FrontEndKind;
  /** Its runs' `workflow_id`: a workflow's id, `agent:<id>` or `team:<id>`. */
  id: string;
  start(caller: Caller, input: FrontEndInput): Promise<StartedRun>;
}

/** The target of the route's path (`kind`, `id`), or a 404. */
export function frontEndTargetOfPath(c: Context<AppEnv>, deps: ServerDeps): FrontEndTarget {
  const kind = c.req.param('kind') as FrontEndKind;
  const id = c.req.param('id')!;
  if (!FRONT_END_KINDS.includes(kind)) throw new HttpError(404, `Front ends run workflows, agents or teams, not ${kind}.`);
  const served: NestedWorkflow = kind === 'workflows' ? workflowOr404(deps, id) : runnableOr404(deps, kind === 'agents' ? AGENTS : TEAMS, id);
  return {
    kind,
    id: served.id,
    start: (caller, input) => startRunFor(deps, caller, served, { message: input.message, session_id: input.sessionId, stream: true, background: true }, input.idempotencyKey),
  };
}


/** OpenAPI's path parameters of a front end's target. */
export const frontEndTargetParameters = (workflowIds: string[]) => [
  { name: 'kind', in: 'path', required: true, description: 'What runs: a workflow, an agent or a team served on its own.', schema: { type: 'string', enum: [...FRONT_END_KINDS] } },
  { name: 'id', in: 'path', required: true, description: 'Its id: a served workflow’s (listed here), agent’s or team’s (GET /agents, GET /teams).', schema: { type: 'string' } },
];
