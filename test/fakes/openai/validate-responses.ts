/**
 * The Responses API's checks on `POST /v1/responses`: known parameters only (a Chat body fails on
 * `messages`), typed input items, function tools in the Responses shape (`name` at the top, not
 * under `function`), and tool call pairing: every `function_call_output` answers a `function_call`
 * earlier in the input, and every `function_call` is answered.
 */
import { isObject } from './normalize.ts';
import type { Json } from './normalize.ts';
import { checkCommonFields, checkFunctionName, checkParameters, integerAtLeast, invalidType, invalidValue, InvalidRequest, missing, stringField } from './invalid-request.ts';

const KNOWN = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'stream', 'stream_options', 'temperature', 'top_p',
  'max_output_tokens', 'max_tool_calls', 'metadata', 'previous_response_id', 'store', 'text', 'reasoning', 'truncation', 'user',
  'safety_identifier', 'prompt_cache_key', 'service_tier', 'include', 'background', 'top_logprobs', 'prompt', 'conversation',
]);
const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'];
const ROLES = ['user', 'assistant', 'system', 'developer'];
const INPUT_PARTS = ['input_text', 'input_image', 'input_file'];
const OUTPUT_PARTS = ['output_text', 'refusal'];

const unknownParameter = (key: string) => new InvalidRequest(`Unknown parameter: '${key}'.`, { param: key, code: 'unknown_parameter' });

export function validateResponsesRequest(body: Json): void {
  checkCommonFields(body, KNOWN, unknownParameter);
  integerAtLeast(body, 'max_output_tokens', 16);
  if (body['instructions'] !== undefined && body['instructions'] !== null) stringField(body, 'instructions', 'instructions');
  checkInput(body);
  checkTools(body['tools']);
}

function checkInput(body: Json): void {
  const input = body['input'];
  if (input === undefined) {
    if (body['previous_response_id'] === undefined && body['prompt'] === undefined && body['conversation'] === undefined) throw missing('input');
    return;
  }
  if (typeof input === 'string') return;
  if (!Array.isArray(input)) throw invalidType('input', 'one of a string or array of input items', input);
  const called = new Set<string>();
  const answered = new Set<string>();
  input.forEach((item: unknown, i) => {
    const at = `input[${i}]`;
    if (!isObject(item)) throw invalidType(at, 'an object', item);
    const type = item['type'] ?? 'message';
    if (!ITEM_TYPES.includes(String(type))) throw invalidValue(`${at}.type`, type, ITEM_TYPES);
    if (type === 'message') checkMessage(item, at);
    if (type === 'function_call') {
      const callId = stringField(item, 'call_id', `${at}.call_id`)!;
      checkFunctionName(item['name'], `${at}.name`);
      stringField(item, 'arguments', `${at}.arguments`);
      called.add(callId);
    }
    if (type === 'function_call_output') {
      const callId = stringField(item, 'call_id', `${at}.call_id`)!;
      const output = item['output'];
      if (output === undefined) throw missing(`${at}.output`);
      if (typeof output !== 'string' && !Array.isArray(output)) throw invalidType(`${at}.output`, 'one of a string or array of content items', output);
      if (!called.has(callId)) throw new InvalidRequest(`No tool call found for function call output with call_id ${callId}.`, { param: 'input' });
      answered.add(callId);
    }
  });
  for (const callId of called) {
    if (!answered.has(callId)) throw new InvalidRequest(`No tool output found for function call ${callId}.`, { param: 'input' });
  }
}

function checkMessage(item: Json, at: string): void {
  const role = item['role'];
  if (role === undefined) throw missing(`${at}.role`);
  if (!ROLES.includes(String(role))) throw invalidValue(`${at}.role`, role, ROLES);
  const content = item['content'];
  if (content === undefined) throw missing(`${at}.content`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalidType(`${at}.content`, 'one of a string or array of input content items', content);
  const allowed = role === 'assistant' ? OUTPUT_PARTS : INPUT_PARTS;
  content.forEach((part: unknown, j) => {
    if (!isObject(part)) throw invalidType(`${at}.content[${j}]`, 'an object', part);
    if (!allowed.includes(String(part['type']))) throw invalidValue(`${at}.content[${j}].type`, part['type'], allowed);
  });
}

function checkTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalidType('tools', 'an array', tools);
  tools.forEach((tool: unknown, i) => {
    const at = `tools[${i}]`;
    if (!isObject(tool)) throw invalidType(at, 'an object', tool);
    if (tool['type'] === undefined) throw missing(`${at}.type`);
    if (tool['type'] !== 'function') return; // Built-in tools (web_search, file_search, …) have shapes of their own.
    checkFunctionName(tool['name'], `${at}.name`);
    if ('function' in tool) throw unknownParameter(`${at}.function`);
    checkParameters(tool['parameters'], `${at}.parameters`);
  });
}
