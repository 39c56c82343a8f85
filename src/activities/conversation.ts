/**
 * The conversation a model call sends, loaded from what the workflow carries: the archived earlier
 * messages (one blob), then the recent ones, with every text reference read back.
 *
 * When the recent messages have grown past `ARCHIVE_AFTER_BYTES`, the call archives the whole
 * conversation (as the workflow knows it, references and all) and tells the workflow, which then
 * carries the archive's reference instead. So a model call's input stays a few KB however long the
 * conversation grows, and the blob store receives each message's text once plus small archives.
 */
import { createHash } from 'node:crypto';
import type { ConversationArchive, ConversationMessage, ModelCallInput } from '../contracts/activities.ts';
import type { RunData } from './run-data.ts';
import { storeFailure } from './run-data.ts';

/** Recent messages (as JSON, references unexpanded) beyond which a call archives its conversation. */
export const ARCHIVE_AFTER_BYTES = 8 * 1024;

export interface LoadedConversation {
  /** Every message, texts read back: what the provider is sent. */
  messages: ConversationMessage[];
  /** Set when this call archived the conversation. */
  archived?: ConversationArchive;
}

export async function loadConversation(data: RunData, input: ModelCallInput): Promise<LoadedConversation> {
  const earlier = input.earlier ? await readArchive(data, input.earlier) : [];
  const all = earlier.concat(input.messages);
  const archived = JSON.stringify(input.messages).length > ARCHIVE_AFTER_BYTES ? await writeArchive(data, all, input) : undefined;
  return { messages: await data.expandAll(all), ...(archived ? { archived } : {}) };
}

async function readArchive(data: RunData, archive: ConversationArchive): Promise<ConversationMessage[]> {
  const bytes = await data.blobs.get(archive.key);
  if (!bytes) throw new Error(`The conversation ${archive.key} (${archive.messages} messages) is missing from the blob store (${data.blobs.location}).`);
  const messages = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as ConversationMessage[];
  if (messages.length !== archive.messages) throw new Error(`The conversation ${archive.key} holds ${messages.length} messages, not ${archive.messages}.`);
  return messages;
}

async function writeArchive(data: RunData, messages: ConversationMessage[], input: ModelCallInput): Promise<ConversationArchive> {
  const bytes = Buffer.from(JSON.stringify(messages), 'utf8');
  const call = data.currentCall('conversation');
  // Per call and content: a retried call archives the same messages under the same key.
  const key = `${call.prefix}${call.producer}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
  try {
    await data.blobs.put(key, bytes);
  } catch (err) {
    throw storeFailure(new Error(`Could not archive its conversation (${bytes.byteLength.toLocaleString('en-US')} bytes) in the blob store (${data.blobs.location}): ${(err as Error).message}`), input);
  }
  return { key, messages: messages.length, bytes: bytes.byteLength };
}
