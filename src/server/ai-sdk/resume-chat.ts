/**
 * `GET /ai-sdk/{kind}/{id}/chat/{chat_id}/stream`: what `useChat({ resume: true })` asks when a
 * page loads. The chat's run still going (its session's newest run of this target) is streamed
 * again from its start, which the AI SDK takes as the whole message; 204 when none is going.
 */
import { TERMINAL_STATUSES } from '../../contracts/events.ts';
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, protocolSse, error, unavailable } from '../openapi/parts.ts';
import { FRONT_END_KIND_PATTERN, frontEndTargetOfPath, frontEndTargetParameters } from '../runs/front-end-targets.ts';
import { chatStream } from './chat-stream.ts';

export const resumeChat = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/ai-sdk/{kind}/{id}/chat/{chat_id}/stream',
  paramPatterns: { kind: FRONT_END_KIND_PATTERN },
  operation: (context) => ({
    summary: 'The chat’s run in progress, again from its start (useChat’s resume)',
    parameters: [...frontEndTargetParameters(context.workflowIds), { name: 'chat_id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      '200': answer('The run as the AI SDK’s UI message stream, from its start', protocolSse),
      '204': answer('The chat has no run in progress'),
      '404': error('Unknown workflow, agent or team'),
      '503': unavailable(),
    },
  }),
  find: frontEndTargetOfPath,
  async handle(c, deps, { found: target }) {
    const caller = c.get('caller');
    // The run store has a run from its start: the newest is the one a reloaded page was showing.
    const [newest] = await deps.engine.listRuns({ definitionId: target.id, sessionId: c.req.param('chat_id')!, userId: caller.userId, limit: 1 });
    if (!newest || TERMINAL_STATUSES.includes(newest.status)) return c.body(null, 204);
    return chatStream(c, deps, newest.run_id);
  },
});
