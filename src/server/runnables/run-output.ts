/**
 * An agent's or team's own run as Agno's `RunOutput` / `TeamRunOutput` shows it: the run of its
 * one step's agent or team (as `step_executor_runs` records it, once it has ended), with the
 * run's status, user and metadata. Before the agent or team has ended, its identity, input and
 * status alone.
 */
import type { Runnable } from '../../definitions/runnable.ts';
import type { WorkflowRunOutput } from '../../engine/run-output.ts';
import { AGENTS, TEAMS } from './kinds.ts';
import type { RunnableRunOutputDict } from '../../contracts/events.ts';

export function runnableRunOutput(runnable: Runnable, run: WorkflowRunOutput, options: { answered?: boolean } = {}): RunnableRunOutputDict {
  const kind = runnable.kind === 'agent' ? AGENTS : TEAMS;
  // A retried run records its step's run again under the same id: the newest is the run's.
  const recorded = run.step_executor_runs?.findLast((executor) => executor.run_id === run.run_id);
  const base = recorded
    ? (({ parent_run_id: _parent, workflow_step_id: _step, status: _status, metadata: _metadata, ...rest }) => rest)(recorded)
    : {
        run_id: run.run_id,
        [kind.idField]: runnable.member.id,
        [kind.nameField]: runnable.member.name,
        session_id: run.session_id,
        content_type: 'str',
        session_state: {},
        created_at: run.created_at,
        input: { input_content: run.input },
      };
  const output: Record<string, unknown> = {
    ...base,
    // A run that failed outside its agent's or team's loop has the error only on the run.
    ...(run.content === undefined && run.error !== undefined ? { content: run.error } : {}),
    ...(recorded === undefined && run.content !== undefined ? { content: run.content } : {}),
    ...(run.user_id !== undefined ? { user_id: run.user_id } : {}),
    status: run.status,
    // As Agno's: metadata only when the run was given some.
    ...(Object.keys(run.metadata).length > 0 ? { metadata: run.metadata } : {}),
  };
  // Agno's answer to a run waited for has no events (its read has those it stored), a team's run no session_state.
  if (options.answered) delete output.events;
  if (runnable.kind === 'team') delete output.session_state;
  if (Array.isArray(output.member_responses)) output.member_responses = output.member_responses.map(withoutEmptyMetadata);
  return output as RunnableRunOutputDict;
}

/** A member's run as Agno shows it inside its team's: metadata only when it has some. */
export function withoutEmptyMetadata<T extends { metadata?: object }>(run: T): T {
  if (!run.metadata || Object.keys(run.metadata).length > 0) return run;
  const { metadata: _empty, ...rest } = run;
  return rest as T;
}
