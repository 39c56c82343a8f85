/**
 * What the agent and team routes answer, as AgentOS names it: an agent or team (`AgentResponse`,
 * `TeamResponse`, described as a workflow's steps describe theirs) and a run (`RunOutput`,
 * `TeamRunOutput`). Their requests are the run routes' (`RunRequest`, `RunQuery`, `CancelQuery`).
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../../contracts/events.ts';
import { jsonObject } from '../../contracts/wire-schemas/common.ts';
import { ExecutorRunOutput } from '../../contracts/wire-schemas/run-parts.ts';

/** An agent or team as `GET /agents` and `GET /teams` describe it (Agno's fields; see describe-workflow.ts). */
export const RunnableDescription = z.looseObject({ id: z.string(), name: z.string() });

/** An agent's or team's own run: its executor run as Agno's `RunOutput.to_dict()` / `TeamRunOutput.to_dict()`, with the run's status. */
export const RunnableRunOutput = ExecutorRunOutput.omit({ parent_run_id: true, workflow_step_id: true, status: true, metadata: true }).extend({
  status: z.enum(RUN_STATUSES),
  user_id: z.string().optional(),
  metadata: jsonObject,
  content: z.string().optional(),
  model: z.string().optional(),
  model_provider: z.string().optional(),
  messages: ExecutorRunOutput.shape.messages.optional(),
  events: ExecutorRunOutput.shape.events.optional(),
});
export type RunnableRunOutput = z.output<typeof RunnableRunOutput>;
