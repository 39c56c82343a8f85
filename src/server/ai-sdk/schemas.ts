/** What `useChat`'s transport (the AI SDK's `DefaultChatTransport`) posts: the chat's id and its messages. */
import { z } from 'zod';
import { id } from '../wire/common.ts';

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const OtherPart = z.looseObject({ type: z.string() });

const UiMessage = z.looseObject({
  id: z.string(),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(z.union([TextPart, OtherPart])).max(100),
});

export const ChatRequest = z.looseObject({
  /** The chat's id: the session of its runs, and what a reloaded page resumes by. */
  id: id.describe('The chat’s id: the session its runs belong to.'),
  // Bounded so that one over the bound still fits the body limit (and is refused for its length).
  messages: z.array(UiMessage).min(1).max(500),
  trigger: z.enum(['submit-message', 'regenerate-message']).optional(),
  messageId: z.string().optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

/** The run's input: the text of the chat's last user message. */
export function lastUserText(request: ChatRequest): string | undefined {
  const last = request.messages.findLast((message) => message.role === 'user');
  const text = last?.parts.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('\n');
  return text ? text : undefined;
}
