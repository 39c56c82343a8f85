/**
 * `durable-agents chat <agent_or_team>`: a live chat of many turns in the terminal. Each line
 * typed is a run of the agent or team in one session (its history is the session's, kept by the
 * server, for agents that add it to their context); its answer is printed as the model writes it,
 * its tool calls as they start. Ends at end of input (Ctrl-D) or `/exit`.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { DurableAgentsClient, RunnableCollection, RunnableEvent } from '../client/client.ts';
import type { Style } from './markdown.ts';

export interface ChatOptions {
  sessionId?: string;
  userId?: string;
  input: NodeJS.ReadableStream;
  write: (text: string) => void;
  style: Style;
}

export async function runChat(client: DurableAgentsClient, id: string, options: ChatOptions): Promise<number> {
  const collection = await collectionOf(client, id);
  if (!collection) throw new Error(`no agent or team ${id}`);
  const sessionId = options.sessionId ?? randomUUID();
  const { write, style } = options;
  write(style.dim(`chatting with ${collection === 'agents' ? 'agent' : 'team'} ${id}, session ${sessionId} (Ctrl-D or /exit to leave)\n`));
  const lines = createInterface({ input: options.input, terminal: false });
  let code = 0;
  write(style.bold('you> '));
  for await (const line of lines) {
    const message = line.trim();
    if (message === '/exit') break;
    if (message) code = await turn(client, collection, id, { message, sessionId, userId: options.userId }, write, style);
    write(style.bold('you> '));
  }
  write('\n');
  return code;
}

async function collectionOf(client: DurableAgentsClient, id: string): Promise<RunnableCollection | undefined> {
  for (const collection of ['agents', 'teams'] as const) {
    if ((await client.listRunnables(collection)).some((runnable) => runnable.id === id)) return collection;
  }
  return undefined;
}

/** One run: its own text as it streams, its tool calls, how it ended. 0 when it completed. */
async function turn(
  client: DurableAgentsClient,
  collection: RunnableCollection,
  id: string,
  start: { message: string; sessionId: string; userId?: string },
  write: (text: string) => void,
  style: Style,
): Promise<number> {
  write(style.cyan(`${id}> `));
  for await (const event of client.streamRunnableRun(collection, id, start)) {
    const own = event.parent_run_id === undefined;
    if (own && (event.event === 'RunContent' || event.event === 'TeamRunContent')) write(String(event.content ?? ''));
    else if (event.event === 'ToolCallStarted' || event.event === 'TeamToolCallStarted') write(style.dim(`\n  · ${toolLine(event)}\n`));
    else if (own && (event.event === 'RunError' || event.event === 'TeamRunError')) {
      write(style.red(`\nerror: ${String(event.content)}\n`));
      return 1;
    } else if (own && (event.event === 'RunCancelled' || event.event === 'TeamRunCancelled')) {
      write(style.yellow('\ncancelled\n'));
      return 130;
    } else if (own && (event.event === 'RunPaused' || event.event === 'TeamRunPaused')) {
      // The run waits for a person at its (members') tools: answered through its continue route, not here.
      const calls = ((event.tools as RunnableEvent[] | undefined) ?? []).map((tool) => toolLine({ event: 'RunPaused', tool }));
      write(style.yellow(`\n⏸ ${String(event.content)} ${calls.join(', ')}: answer with POST /${collection}/${id}/runs/${String(event.run_id)}/continue\n`));
      return 0;
    }
  }
  write('\n');
  return 0;
}

function toolLine(event: RunnableEvent): string {
  const tool = event.tool as { tool_name?: string; tool_args?: Record<string, unknown> } | undefined;
  const args = Object.entries(tool?.tool_args ?? {}).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${tool?.tool_name ?? 'tool'}(${args.join(', ')})`;
}
