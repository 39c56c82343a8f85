/**
 * What the agent and team routes answer, as AgentOS names it: an agent or team (`AgentResponse`,
 * `TeamResponse`, described as a workflow's steps describe theirs) and a run (`RunOutput`,
 * `TeamRunOutput`, declared with the other run outputs in src/contracts/wire-schemas/run-output.ts). Their requests are the run routes' (`RunRequest`, `RunQuery`, `CancelQuery`).
 */
import { z } from 'zod';

/** An agent or team as `GET /agents` and `GET /teams` describe it (Agno's fields; see describe-workflow.ts). */
export const RunnableDescription = z.looseObject({ id: z.string(), name: z.string() });

export { RunnableRunOutput } from '../../contracts/wire-schemas/run-output.ts';
