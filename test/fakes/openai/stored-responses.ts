/**
 * The Responses API's conversation state. A response is stored unless its request says
 * `store: false` (OpenAI's default is to store), and a later request continues it with
 * `previous_response_id`: OpenAI reads that response's input and output items before the new
 * input (its `instructions` are not carried over). Agno's OpenAIResponses sends tool results this
 * way. An unknown or unstored id is OpenAI's 400.
 */
import { invalidType, InvalidRequest } from './invalid-request.ts';
import type { Json } from './normalize.ts';

function inputItems(input: unknown): unknown[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

export class StoredResponses {
  private readonly conversations = new Map<string, unknown[]>();

  /** The body as OpenAI reads it: with `previous_response_id`, that response's conversation first. */
  expand(body: Json): Json {
    const previous = body['previous_response_id'];
    if (previous === undefined || previous === null) return body;
    if (typeof previous !== 'string') throw invalidType('previous_response_id', 'a string', previous);
    const earlier = this.conversations.get(previous);
    if (!earlier) {
      throw new InvalidRequest(`Previous response with id '${previous}' not found.`, { param: 'previous_response_id', code: 'previous_response_not_found' });
    }
    return { ...body, input: [...earlier, ...inputItems(body['input'])] };
  }

  /** Keeps a completed response: the whole input it answered (`body` as expanded), then its output. */
  store(body: Json, responseId: string, output: Json[]): void {
    if (body['store'] === false) return;
    this.conversations.set(responseId, [...inputItems(body['input']), ...output]);
  }
}
