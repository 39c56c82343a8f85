/** What AG-UI's client (`HttpAgent`) posts: `RunAgentInput`, as far as a run here reads it. */
import { z } from 'zod';
import { CURSOR_PATTERN, parseCursor } from '../../live/cursor.ts';
import { id } from '../wire/common.ts';

const TextContent = z.looseObject({ type: z.literal('text'), text: z.string() });
const Message = z.looseObject({
  id: z.string(),
  role: z.string(),
  content: z.union([z.string(), z.array(z.union([TextContent, z.looseObject({ type: z.string() })]))]).optional(),
});

/** An answer to an interrupt (AG-UI's resume entry). */
const ResumeEntry = z.looseObject({
  interruptId: z.string().max(600).regex(/^[^/]+\/[^/]+$/, 'must be an interrupt’s id: <run id>/<step id> (or <run id>/<tool call id>)'),
  status: z.enum(['resolved', 'cancelled']),
  payload: z.unknown().optional(),
});

export const RunAgentInput = z.looseObject({
  threadId: id.describe('The conversation: the session of its runs.'),
  runId: id.describe('AG-UI’s run: the same id again (with forwardedProps.cursor) takes the same run up where the client stands.'),
  messages: z.array(Message).max(10_000).default([]),
  forwardedProps: z.looseObject({ cursor: z.string().max(20_000).regex(new RegExp(CURSOR_PATTERN), 'must be the metadata.cursor of an event').optional() }).optional(),
  resume: z.array(ResumeEntry).max(100).optional(),
});
export type RunAgentInput = z.infer<typeof RunAgentInput>;
export type ResumeEntry = z.infer<typeof ResumeEntry>;

/** The run's input: the text of the thread's last user message. */
export function lastUserText(input: RunAgentInput): string | undefined {
  const last = input.messages.findLast((message) => message.role === 'user');
  const content = last?.content;
  const text = typeof content === 'string' ? content : content?.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('\n');
  return text ? text : undefined;
}

/** Where the client stands in the run (`forwardedProps.cursor`: the `metadata.cursor` of the last event it has); -1: nothing yet. */
export function cursorOf(input: RunAgentInput) {
  const text = input.forwardedProps?.cursor;
  return text === undefined ? { after: -1, calls: [] } : parseCursor(text);
}
