/**
 * Sessions of agents and teams run on their own (src/definitions/runnable.ts) as AgentOS shows
 * them: `AgentSessionDetailSchema` / `TeamSessionDetailSchema` for one session, and its runs as
 * `RunSchema` / `TeamRunSchema` (Agno's `from_dict` of each run's `RunOutput`), a team's members'
 * runs listed before the team's, as Agno's session keeps them. Each run is the run of its one
 * step's agent or team (`step_executor_runs`), as the agent and team routes show it.
 */
import type { z } from 'zod';
import type { RunOutputDict } from '../../contracts/events.ts';
import type { ExecutorRunOutput } from '../../contracts/executor-runs.ts';
import type { TokenTotals } from '../../contracts/token-totals.ts';
import { runnableKindOf } from '../../definitions/runnable.ts';
import { isoSeconds, nothingProduced } from '../wire/workflow-run.ts';
import type { WorkflowSession } from './find-sessions.ts';
import type { AgentSessionDetail, AgentSessionRun, TeamSessionDetail, TeamSessionRun } from './schemas.ts';

type OwnSessionRun = z.output<typeof AgentSessionRun> | z.output<typeof TeamSessionRun>;

/** The run of the agent or team itself; undefined before it started (a run failed or cancelled before its step). */
function ownRunOf(output: RunOutputDict): ExecutorRunOutput | undefined {
  // A retried run records its step's run again under the same id: the newest is the run's.
  return output.step_executor_runs?.findLast((executor) => executor.run_id === output.run_id);
}

/** The session's runs as AgentOS lists them: for a team, each run's members' runs, then the team's. */
export function ownSessionRuns(outputs: RunOutputDict[]): OwnSessionRun[] {
  return outputs.flatMap((output) => {
    const own = ownRunOf(output);
    const members = (own?.member_responses ?? []).map((member) => runSchema(member, output, false));
    return [...members, runSchema(own, output, true)];
  });
}

/** `RunSchema` of an agent's run, `TeamRunSchema` of a team's: `top` for the session's own run (not a member's). */
function runSchema(run: ExecutorRunOutput | undefined, output: RunOutputDict, top: boolean): OwnSessionRun {
  const team = top ? runnableKindOf(output.workflow_id) === 'team' : run?.team_id !== undefined;
  const common = {
    run_id: run?.run_id ?? output.run_id,
    parent_run_id: top ? '' : (run?.parent_run_id ?? ''),
    // The run's own status is the workflow run's (an ERROR outside the agent's loop is the run's too).
    status: top ? output.status : (run?.status ?? output.status),
    ...(top && output.cancellation_stage !== undefined ? { cancellation_stage: output.cancellation_stage } : {}),
    ...(!top && run?.cancellation_stage !== undefined ? { cancellation_stage: run.cancellation_stage } : {}),
    run_input: run?.input.input_content ?? output.input,
    content: run?.content ?? (top ? (output.content ?? output.error ?? '') : ''),
    run_response_format: 'text' as const,
    metrics: run?.metrics ?? {},
    ...(run && run.messages.length > 0 ? { messages: run.messages } : {}),
    ...(run?.tools?.length ? { tools: run.tools } : {}),
    // As Agno's: metadata only when the run was given some.
    ...(top && Object.keys(output.metadata ?? {}).length > 0 ? { metadata: output.metadata } : {}),
    created_at: isoSeconds(run?.created_at ?? output.created_at),
    input_media: { images: [], videos: [], audios: [], files: [] },
    ...nothingProduced(),
  };
  const userId = top ? output.user_id : undefined;
  if (team) return { ...common, team_id: run?.team_id ?? ownIdOf(output), ...(userId !== undefined ? { user_id: userId } : {}) };
  // An agent's run always names a user, empty when it has none, and its session state (a member's names its session and run).
  return { ...common, agent_id: run?.agent_id ?? ownIdOf(output), user_id: userId ?? '', session_state: run?.session_state ?? {} };
}

/** `agent:<id>` → `<id>`. */
function ownIdOf(output: Pick<RunOutputDict, 'workflow_id'>): string {
  return output.workflow_id.slice(output.workflow_id.indexOf(':') + 1);
}

/** `AgentSessionDetailSchema` / `TeamSessionDetailSchema` of a session of an agent's or team's own runs. */
export function ownSessionDetail(
  session: WorkflowSession,
  outputs: RunOutputDict[],
  name: string,
  metrics: TokenTotals,
): z.output<typeof AgentSessionDetail> | z.output<typeof TeamSessionDetail> {
  const id = ownIdOf(session);
  const runs = outputs.map(ownRunOf);
  // The model the newest run was answered by.
  const newest = runs.findLast((run) => run !== undefined);
  const model = newest ? { model: { name: newest.model_provider, provider: 'OpenAI' as const, id: newest.model } } : {};
  const common = {
    session_id: session.session_id,
    session_name: name,
    ...(session.user_id !== undefined ? { user_id: session.user_id } : {}),
    session_state: {},
    total_tokens: metrics.total_tokens,
    metrics,
    // Agno's chat history: what the user said and the model answered, without system and tool messages.
    chat_history: runs.flatMap((run) => (run?.messages ?? []).filter((message) => message.role === 'user' || message.role === 'assistant')),
    created_at: isoSeconds(session.created_at),
    updated_at: isoSeconds(session.updated_at),
  };
  if (runnableKindOf(session.workflow_id) === 'team') return { ...common, team_id: id, team_data: { name: session.workflow_name, team_id: id, ...model } };
  return { ...common, agent_session_id: session.session_id, agent_id: id, agent_data: { name: session.workflow_name, agent_id: id, ...model } };
}
