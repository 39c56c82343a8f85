/**
 * An agent whose tools wait for a person (one of each kind Agno has), and the fake model's script
 * for it: the user's message says which tool to call, and the answer repeats the tool's output.
 */
import { Agent } from '../../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../../src/definitions/models.ts';
import { defineTool } from '../../../../src/definitions/tool.ts';
import type { FakeRequest, FakeReply } from '../../../fakes/openai/types.ts';

/** What the tools were run with, in order (in the process that runs them). */
export const toolRuns: { tool: string; args: Record<string, unknown> }[] = [];

const deleteFile = defineTool<{ path: string }>({
  name: 'delete_file',
  description: 'Deletes a file.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  requiresConfirmation: true,
  execute: (args) => {
    toolRuns.push({ tool: 'delete_file', args });
    return `Deleted ${args.path}`;
  },
});

const sendEmail = defineTool<{ to: string; subject: string }>({
  name: 'send_email',
  description: 'Sends an email.',
  parameters: { type: 'object', properties: { to: { type: 'string', description: 'The address.' }, subject: { type: 'string' } }, required: ['to', 'subject'] },
  requiresUserInput: true,
  userInputFields: ['to'],
  execute: (args) => {
    toolRuns.push({ tool: 'send_email', args });
    return `Sent "${args.subject}" to ${args.to}`;
  },
});

const lookupPrice = defineTool({
  name: 'lookup_price',
  description: 'The price of a stock, looked up by the caller.',
  parameters: { type: 'object', properties: { symbol: { type: 'string' } }, required: ['symbol'] },
  externalExecution: true,
});

export const desk = new Agent({ name: 'Desk', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [deleteFile, sendEmail, lookupPrice] });

const CALLS: Record<string, { name: string; arguments: Record<string, unknown> }> = {
  delete: { name: 'delete_file', arguments: { path: 'notes.txt' } },
  email: { name: 'send_email', arguments: { subject: 'Hello' } },
  price: { name: 'lookup_price', arguments: { symbol: 'NVDA' } },
};

export function deskScript(req: FakeRequest): FakeReply {
  if (req.toolResults.length > 0) return { kind: 'text', text: `Done: ${req.toolResults.at(-1)!.output}` };
  const call = CALLS[req.lastUserText.split(' ')[0]!];
  return call ? { kind: 'tool_calls', calls: [call] } : { kind: 'text', text: 'Nothing to do' };
}
