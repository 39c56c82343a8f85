/**
 * `POST /agui/{kind}/{id}`: AG-UI's endpoint (as Agno's `POST /agui`, for a workflow, agent or team). A new
 * AG-UI run starts a run here in the thread's session; the same AG-UI run id again takes that same
 * run up from `forwardedProps.cursor` (a reconnect: nothing lost, nothing twice); resume entries
 * answer the interrupts of a run waiting for a person, which then goes on in this request.
 */
import type { StepRequirement, ToolExecution } from '../../contracts/events.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, protocolSse, bodyErrors, error, jsonBody, unavailable } from '../openapi/parts.ts';
import { visibleRun } from '../runs/access.ts';
import { FRONT_END_KIND_PATTERN, frontEndTargetOfPath, frontEndTargetParameters } from '../runs/front-end-targets.ts';
import { aguiStream } from './agui-stream.ts';
import { cursorOf, lastUserText, RunAgentInput } from './schemas.ts';
import type { ResumeEntry } from './schemas.ts';

export const runAgent = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/agui/{kind}/{id}',
  paramPatterns: { kind: FRONT_END_KIND_PATTERN },
  operation: (context) => ({
    summary: 'Run for AG-UI (HttpAgent, CopilotKit): the run as AG-UI’s events',
    description: 'The same runId again with forwardedProps.cursor (an event’s metadata.cursor) takes the run up after that event; resume entries answer its interrupts.',
    parameters: frontEndTargetParameters(context.workflowIds),
    requestBody: jsonBody('AguiRunAgentInput'),
    responses: {
      '200': answer('AG-UI events over SSE, ending with RUN_FINISHED or RUN_ERROR', protocolSse),
      ...bodyErrors('json'),
      '404': error('Unknown workflow, agent or team, or an interrupt of an unknown run'),
      '409': error('The run is not waiting for that answer, or the runId was used for another request'),
      '503': unavailable(),
    },
  }),
  find: frontEndTargetOfPath,
  body: { schema: RunAgentInput, accepts: 'json' },
  async handle(c, deps, { found: target, body }) {
    const ids = { threadId: body.threadId, runId: body.runId };
    const caller = c.get('caller');
    if (body.resume?.length) {
      const { runId, answers } = answersOf(body.resume);
      // The target is served (the path found it): the run must be one of its runs (an agent's or team's runs too, which no workflow names).
      if ((await visibleRun(deps, caller, runId))?.workflow_id !== target.id) throw new HttpError(404, 'Run not found.');
      // An agent's run waits at its tools (the interrupts name its tool calls), a workflow's at a step.
      const last = target.kind === 'workflows' ? await deps.engine.continueRun(runId, answers) : await deps.engine.continueTools(runId, answers.map(toolAnswerOf));
      return aguiStream(c, deps, runId, ids, { after: last, calls: [] });
    }
    const from = cursorOf(body);
    if (!from) throw new HttpError(422, 'forwardedProps.cursor must be the metadata.cursor of an event of this run.');
    // A thread whose last user message has no text runs with an empty input, as AG-UI allows such messages.
    const message = lastUserText(body) ?? '';
    // AG-UI's run id names one run here: asked again (a reconnect), it is the same run.
    const { output } = await target.start(caller, { message, sessionId: body.threadId, idempotencyKey: `agui:${body.threadId}:${body.runId}` });
    c.set('runId', output.run_id);
    return aguiStream(c, deps, output.run_id, ids, from);
  },
});

/**
 * A resume entry's answer as the tool call's answer: resolved is confirmed (unless the payload
 * says `confirmed: false`), `user_input` fills the call's fields, `result` is a result from elsewhere.
 */
function toolAnswerOf(answer: StepRequirement & { result?: string }): ToolExecution {
  const input = answer.user_input ? { user_input_schema: Object.entries(answer.user_input).map(([name, value]) => ({ name, field_type: 'str', value })) } : {};
  return { tool_call_id: answer.step_id, tool_name: '', tool_args: {}, created_at: 0, confirmed: answer.confirmed ?? false, ...input, ...(answer.result !== undefined ? { result: answer.result } : {}) };
}

/** The step answers resume entries give; all must be of one run (interrupt ids name it). */
function answersOf(entries: ResumeEntry[]): { runId: string; answers: (StepRequirement & { result?: string })[] } {
  const runIds = new Set<string>();
  const answers = entries.map((entry) => {
    // `<run id>/<step id>`, as the request schema says.
    const slash = entry.interruptId.lastIndexOf('/');
    runIds.add(entry.interruptId.slice(0, slash));
    const payload = (entry.payload ?? {}) as { confirmed?: unknown; user_input?: unknown; result?: unknown };
    const confirmed = entry.status === 'resolved' && payload.confirmed !== false;
    const userInput = payload.user_input && typeof payload.user_input === 'object' ? { user_input: payload.user_input as Record<string, unknown> } : {};
    const result = typeof payload.result === 'string' ? { result: payload.result } : {};
    return { step_id: entry.interruptId.slice(slash + 1), confirmed, ...userInput, ...result } as StepRequirement & { result?: string };
  });
  // One AG-UI run answers one run's interrupts: a set naming several names no run that has them all.
  if (runIds.size !== 1) throw new HttpError(404, `No run has all these interrupts (they name runs ${[...runIds].join(', ')}): answer one run's at a time.`);
  return { runId: [...runIds][0]!, answers };
}
