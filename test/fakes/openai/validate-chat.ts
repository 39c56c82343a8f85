/**
 * Chat Completions' checks on `POST /v1/chat/completions`: known parameters only, typed messages
 * and tools in the Chat shape (under `function`), and the order of a tool exchange: each `tool`
 * message answers a call of the assistant message right before its run of tool messages, and
 * every call of that assistant message is answered before the conversation goes on.
 */
import { isObject } from './normalize.ts';
import type { Json } from './normalize.ts';
import { checkCommonFields, checkFunctionName, checkParameters, integerAtLeast, invalidType, invalidValue, InvalidRequest, missing, stringField } from './invalid-request.ts';

const KNOWN = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'stream', 'stream_options', 'temperature', 'top_p', 'max_tokens',
  'max_completion_tokens', 'n', 'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs',
  'response_format', 'seed', 'user', 'metadata', 'store', 'service_tier', 'reasoning_effort', 'modalities', 'audio', 'prediction',
  'web_search_options', 'safety_identifier', 'prompt_cache_key', 'verbosity',
]);
const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];

const unknownParameter = (key: string) => new InvalidRequest(`Unrecognized request argument supplied: ${key}`);

export function validateChatRequest(body: Json): void {
  checkCommonFields(body, KNOWN, unknownParameter);
  integerAtLeast(body, 'max_completion_tokens', 1);
  integerAtLeast(body, 'max_tokens', 1);
  if (body['stream_options'] !== undefined && body['stream_options'] !== null && body['stream'] !== true) {
    throw new InvalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", { param: 'stream_options' });
  }
  checkMessages(body['messages']);
  checkTools(body['tools']);
}

function checkMessages(messages: unknown): void {
  if (messages === undefined) throw missing('messages');
  if (!Array.isArray(messages)) throw invalidType('messages', 'an array', messages);
  if (messages.length === 0) {
    throw new InvalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", { param: 'messages', code: 'empty_array' });
  }
  /** The assistant message whose tool calls are being answered, and the ids still unanswered. */
  let exchange: { index: number; callIds: Set<string>; unanswered: Set<string> } | undefined;
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isObject(message)) throw invalidType(at, 'an object', message);
    const role = message['role'];
    if (role === undefined) throw missing(`${at}.role`);
    if (!ROLES.includes(String(role))) throw invalidValue(`${at}.role`, role, ROLES);
    if (role === 'tool') {
      const callId = stringField(message, 'tool_call_id', `${at}.tool_call_id`)!;
      checkContent(message, at, true);
      if (!exchange?.callIds.has(callId)) {
        throw new InvalidRequest("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", { param: `messages.[${i}].role` });
      }
      exchange.unanswered.delete(callId);
      return;
    }
    closeExchange(exchange);
    exchange = undefined;
    const calls = role === 'assistant' ? checkToolCalls(message, at) : [];
    checkContent(message, at, calls.length === 0);
    if (calls.length > 0) exchange = { index: i, callIds: new Set(calls), unanswered: new Set(calls) };
  });
  closeExchange(exchange);
}

/** An assistant message's tool calls may only be left behind once all are answered. */
function closeExchange(exchange: { index: number; unanswered: Set<string> } | undefined): void {
  if (!exchange || exchange.unanswered.size === 0) return;
  throw new InvalidRequest(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...exchange.unanswered].join(', ')}`,
    { param: `messages.[${exchange.index}].role` },
  );
}

function checkContent(message: Json, at: string, required: boolean): void {
  const content = message['content'];
  if (content === undefined || content === null) {
    if (required) throw missing(`${at}.content`);
    return;
  }
  if (typeof content !== 'string' && !Array.isArray(content)) throw invalidType(`${at}.content`, 'one of a string or array of objects', content);
}

/** The ids of an assistant message's tool calls, each `{id, type: 'function', function: {name, arguments}}`. */
function checkToolCalls(message: Json, at: string): string[] {
  const calls = message['tool_calls'];
  if (calls === undefined || calls === null) return [];
  if (!Array.isArray(calls)) throw invalidType(`${at}.tool_calls`, 'an array', calls);
  return calls.map((call: unknown, j) => {
    const callAt = `${at}.tool_calls[${j}]`;
    if (!isObject(call)) throw invalidType(callAt, 'an object', call);
    const id = stringField(call, 'id', `${callAt}.id`)!;
    if (call['type'] !== 'function') throw call['type'] === undefined ? missing(`${callAt}.type`) : invalidValue(`${callAt}.type`, call['type'], ['function']);
    const fn = call['function'];
    if (!isObject(fn)) throw fn === undefined ? missing(`${callAt}.function`) : invalidType(`${callAt}.function`, 'an object', fn);
    checkFunctionName(fn['name'], `${callAt}.function.name`);
    stringField(fn, 'arguments', `${callAt}.function.arguments`);
    return id;
  });
}

function checkTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalidType('tools', 'an array', tools);
  tools.forEach((tool: unknown, i) => {
    const at = `tools[${i}]`;
    if (!isObject(tool)) throw invalidType(at, 'an object', tool);
    if (tool['type'] === undefined) throw missing(`${at}.type`);
    if (tool['type'] === 'custom') return;
    if (tool['type'] !== 'function') throw invalidValue(`${at}.type`, tool['type'], ['function', 'custom']);
    const fn = tool['function'];
    if (fn === undefined) throw missing(`${at}.function`);
    if (!isObject(fn)) throw invalidType(`${at}.function`, 'an object', fn);
    checkFunctionName(fn['name'], `${at}.function.name`);
    checkParameters(fn['parameters'], `${at}.function.parameters`);
  });
}
