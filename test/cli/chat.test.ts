/**
 * `durable-agents chat <agent>` as a user runs it: a child process reading lines from its input,
 * each a run of the agent in one session, the answer printed as it streams, tool calls shown; the
 * agent remembers the earlier turns (its session's runs, kept by the server).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import { servedRunnables } from '../../src/os/served-runnables.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { trackChild } from '../support/processes.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

const clock = defineTool({
  name: 'read_clock',
  description: 'The time now.',
  parameters: { type: 'object', properties: {} },
  execute: () => 'noon',
});
const alarm = defineTool({
  name: 'set_alarm',
  description: 'Sets an alarm.',
  parameters: { type: 'object', properties: { at: { type: 'string' } } },
  requiresConfirmation: true,
  execute: () => 'set',
});
const buddy = new Agent({ name: 'Buddy', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [clock, alarm], addHistoryToContext: true });

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([], { runnables: servedRunnables({ agents: [buddy] }) });
});
after(async () => h?.close());

it('chats over several turns, streaming answers and showing tool calls, in one session the agent remembers', async () => {
  h.openai.setHandler((req) => {
    if (req.lastUserText === 'what time is it?' && req.toolResults.length === 0) return { kind: 'tool_calls', calls: [{ name: 'read_clock', arguments: {} }] };
    if (req.toolResults.length > 0) return { kind: 'text', text: `It is ${req.toolResults.at(-1)!.output}.` };
    return { kind: 'text', text: `You said ${req.lastUserText}, after ${req.messages.length - 1} earlier messages.` };
  });
  const child = trackChild(spawn(process.execPath, [CLI, '--url', h.api.url, 'chat', 'buddy', '--session', 'cli-chat'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  try {
    const answered = (text: string) => waitUntil(`the chat to print ${JSON.stringify(text)}`, () => stdout.includes(text), { timeoutMs: 60_000 });
    child.stdin!.write('hello\n');
    await answered('buddy> You said hello, after 0 earlier messages.');
    child.stdin!.write('what time is it?\n');
    await answered('read_clock()');
    await answered('It is noon.');
    child.stdin!.write('bye\n');
    await answered('You said bye, after 4 earlier messages.');
    child.stdin!.end();
    const [code] = (await withDeadline('the chat to end', once(child, 'exit'), 30_000)) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stdout, /chatting with agent buddy, session cli-chat/);
    const runs = (await (await fetch(`${h.api.url}/runs?session_id=cli-chat`)).json()) as { workflow_id: string; status: string }[];
    assert.deepEqual(runs.map((run) => [run.workflow_id, run.status]), [['agent:buddy', 'COMPLETED'], ['agent:buddy', 'COMPLETED'], ['agent:buddy', 'COMPLETED']]);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

it('says what a run paused at a tool waits for, and where to answer it', async () => {
  h.openai.setHandler(() => ({ kind: 'tool_calls', calls: [{ name: 'set_alarm', arguments: { at: '7:00' } }] }));
  const child = trackChild(spawn(process.execPath, [CLI, '--url', h.api.url, 'chat', 'buddy', '--session', 'cli-paused'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] }));
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  try {
    child.stdin!.end('wake me at 7\n');
    const [code] = (await withDeadline('the chat to end', once(child, 'exit'), 60_000)) as [number | null];
    assert.equal(code, 0);
    assert.match(stdout, /⏸ I have tools to execute, but I need confirmation\. set_alarm\(at=7:00\): answer with POST \/agents\/buddy\/runs\/[^/]+\/continue/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

it('names an unknown agent', async () => {
  const child = trackChild(spawn(process.execPath, [CLI, '--url', h.api.url, 'chat', 'nobody'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const [code] = (await withDeadline('the chat to end', once(child, 'exit'), 30_000)) as [number | null];
  assert.equal(code, 1);
  assert.match(stderr, /error: no agent or team nobody/);
});
