/**
 * `POST /ai-sdk/{kind}/{id}/chat`: `useChat`'s endpoint (the AI SDK's `DefaultChatTransport`).
 * Starts a run of the target (workflow, agent or team) with the chat's last user message, in the chat's session, and
 * answers with the run as the AI SDK's UI message stream.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, protocolSse, bodyErrors, error, jsonBody, unavailable } from '../openapi/parts.ts';
import { FRONT_END_KIND_PATTERN, frontEndTargetOfPath, frontEndTargetParameters } from '../runs/front-end-targets.ts';
import { chatStream } from './chat-stream.ts';
import { ChatRequest, lastUserText } from './schemas.ts';

export const startChat = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/ai-sdk/{kind}/{id}/chat',
  paramPatterns: { kind: FRONT_END_KIND_PATTERN },
  operation: (context) => ({
    summary: 'Run for the AI SDK’s useChat: the answer as its UI message stream',
    description: 'The run’s session is the chat’s id; a page reloaded mid-run resumes it with GET …/chat/{chat_id}/stream.',
    parameters: frontEndTargetParameters(context.workflowIds),
    requestBody: jsonBody('AiSdkChatRequest'),
    responses: {
      '200': answer('The run as the AI SDK’s UI message stream (x-vercel-ai-ui-message-stream: v1)', protocolSse),
      ...bodyErrors('json'),
      '404': error('Unknown workflow, agent or team'),
      '503': unavailable(),
    },
  }),
  find: frontEndTargetOfPath,
  body: { schema: ChatRequest, accepts: 'json' },
  async handle(c, deps, { found: target, body }) {
    // A message of files only (or a chat of no user message) runs with an empty input, as the AI SDK allows such messages.
    const message = lastUserText(body) ?? '';
    const { output } = await target.start(c.get('caller'), { message, sessionId: body.id });
    c.set('runId', output.run_id);
    return chatStream(c, deps, output.run_id);
  },
});
