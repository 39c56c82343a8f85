/**
 * A request body reduced to what scripts look at: system text, the conversation (Responses'
 * function_call / function_call_output items as assistant tool calls and tool messages), tool
 * names and tool results. Tolerant: it runs on any body, valid or not.
 */
import type { FakeMessage } from './types.ts';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Flattens string or content-part-array content (input_text, output_text, text, refusal) to plain text. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part)) {
      if (typeof part['text'] === 'string') parts.push(part['text']);
      else if (typeof part['refusal'] === 'string') parts.push(part['refusal']);
    }
  }
  return parts.join('\n');
}

const ROLES = new Set<FakeMessage['role']>(['system', 'developer', 'user', 'assistant', 'tool']);

function asRole(value: unknown): FakeMessage['role'] | undefined {
  return typeof value === 'string' && ROLES.has(value as FakeMessage['role']) ? (value as FakeMessage['role']) : undefined;
}

export interface Normalized {
  system: string;
  messages: FakeMessage[];
  toolNames: string[];
  toolResults: { callId: string; output: string }[];
}

export function normalizeResponses(body: Json): Normalized {
  const systemParts: string[] = [];
  const messages: FakeMessage[] = [];
  const toolResults: { callId: string; output: string }[] = [];
  const instructions = contentText(body['instructions']);
  if (instructions) systemParts.push(instructions);

  const input = body['input'];
  const items: unknown[] = typeof input === 'string' ? [{ role: 'user', content: input }] : Array.isArray(input) ? input : [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const type = item['type'];
    if (type === 'function_call') {
      const call = { callId: str(item['call_id']), name: str(item['name']), arguments: str(item['arguments']) };
      // Parallel calls (and a preceding assistant message) form one assistant turn, as in Chat Completions.
      const last = messages[messages.length - 1];
      if (last && last.role === 'assistant') (last.toolCalls ??= []).push(call);
      else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
    } else if (type === 'function_call_output') {
      const result = { callId: str(item['call_id']), output: contentText(item['output']) };
      toolResults.push(result);
      messages.push({ role: 'tool', content: result.output, toolCallId: result.callId });
    } else if (type === undefined || type === 'message') {
      const role = asRole(item['role']);
      if (!role) continue;
      const content = contentText(item['content']);
      if (role === 'system' || role === 'developer') systemParts.push(content);
      messages.push({ role, content });
    }
    // Other item types (reasoning, item_reference, …) carry no text the fake needs.
  }

  const toolNames: string[] = [];
  const tools = body['tools'];
  if (Array.isArray(tools)) {
    for (const tool of tools) {
      if (isObject(tool) && tool['type'] === 'function' && typeof tool['name'] === 'string') toolNames.push(tool['name']);
    }
  }
  return { system: systemParts.join('\n'), messages, toolNames, toolResults };
}

export function normalizeChat(body: Json): Normalized {
  const systemParts: string[] = [];
  const messages: FakeMessage[] = [];
  const toolResults: { callId: string; output: string }[] = [];
  const raw = body['messages'];
  for (const msg of Array.isArray(raw) ? raw : []) {
    if (!isObject(msg)) continue;
    const role = asRole(msg['role']);
    if (!role) continue;
    const content = contentText(msg['content']);
    const message: FakeMessage = { role, content };
    if (role === 'system' || role === 'developer') systemParts.push(content);
    if (role === 'assistant' && Array.isArray(msg['tool_calls'])) {
      message.toolCalls = msg['tool_calls'].filter(isObject).map((call) => {
        const fn = isObject(call['function']) ? call['function'] : {};
        return { callId: str(call['id']), name: str(fn['name']), arguments: str(fn['arguments']) };
      });
    }
    if (role === 'tool') {
      message.toolCallId = str(msg['tool_call_id']);
      toolResults.push({ callId: message.toolCallId, output: content });
    }
    messages.push(message);
  }

  const toolNames: string[] = [];
  const tools = body['tools'];
  if (Array.isArray(tools)) {
    for (const tool of tools) {
      if (isObject(tool) && tool['type'] === 'function' && isObject(tool['function']) && typeof tool['function']['name'] === 'string') {
        toolNames.push(tool['function']['name']);
      }
    }
  }
  return { system: systemParts.join('\n'), messages, toolNames, toolResults };
}
