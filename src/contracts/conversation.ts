/**
 * A model's conversation as the run keeps it: provider-neutral messages (the model activity
 * translates them per API), the earlier ones archived in the blob store so that a model call's
 * input stays small however long the conversation grows.
 */

export interface ModelToolCall {
  /** Provider's call id (`call_...`), echoed back with the tool's output. */
  id: string;
  name: string;
  /** JSON text exactly as the model produced it. */
  arguments: string;
}

/** Provider-neutral conversation message; contents may be text references (see text-refs.ts). */
export type ConversationMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ModelToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string };

/** The earlier messages of a conversation, stored as one JSON array by a model call activity. */
export interface ConversationArchive {
  key: string;
  messages: number;
  bytes: number;
}

/** A conversation in workflow state: the archived messages, then the recent ones inline. */
export interface ConversationState {
  archive?: ConversationArchive;
  recent: ConversationMessage[];
}
