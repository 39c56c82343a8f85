/**
 * What Agno's content chunks (`RunContent`, `TeamRunContent`) carry beside their text: the same
 * values on every chunk of text, as no model here streams structured content (a model's reasoning
 * is logged in chunks of its own, see src/workflows/event-log.ts `closeStream`). The run's
 * log and the live lane build chunks from the same fields (the model call's stream), so live and
 * logged chunks stay identical.
 */
import type { z } from 'zod';
import type * as wire from './wire-schemas/events.ts';

/** Absent on chunks recorded before they were sent (declared once, with the events, in wire-schemas/events.ts). */
export type ContentChunkFields = z.output<z.ZodObject<typeof wire.chunkFields>>;

/** An agent's chunks also say whether the agent is a workflow's own agent (Agno's `workflow_agent`): never here. */
export type AgentContentChunkFields = z.output<z.ZodObject<typeof wire.agentChunkFields>>;

/** The fields every chunk of a `RunContent` or `TeamRunContent` stream carries. */
export function contentChunkFields(event: 'RunContent' | 'TeamRunContent'): AgentContentChunkFields {
  const fields = { content_type: 'str', reasoning_content: '' };
  return event === 'RunContent' ? { ...fields, workflow_agent: false } : fields;
}
