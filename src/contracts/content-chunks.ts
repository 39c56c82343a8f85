/**
 * What Agno's content chunks (`RunContent`, `TeamRunContent`) carry beside their text: the same
 * values on every chunk here, as no model here streams reasoning or structured content. The run's
 * log and the live lane build chunks from the same fields (the model call's stream), so live and
 * logged chunks stay identical.
 */

/** Absent on chunks recorded before they were sent. */
export interface ContentChunkFields {
  content_type?: string;
  reasoning_content?: string;
}

/** An agent's chunks also say whether the agent is a workflow's own agent (Agno's `workflow_agent`): never here. */
export interface AgentContentChunkFields extends ContentChunkFields {
  workflow_agent?: boolean;
}

/** The fields every chunk of a `RunContent` or `TeamRunContent` stream carries. */
export function contentChunkFields(event: 'RunContent' | 'TeamRunContent'): AgentContentChunkFields {
  const fields = { content_type: 'str', reasoning_content: '' };
  return event === 'RunContent' ? { ...fields, workflow_agent: false } : fields;
}
