/**
 * SIGTERM to an API process (src/entrypoints/server.ts) with clients attached mid-run: each SSE
 * client gets the reconnect hint (a comment and a `retry:` field) and a clean end of its stream,
 * the WebSocket client a 1001 (going away), and the process exits 0. Each SSE client then
 * resumes on a second API process with `Last-Event-ID` and has every event of the run exactly once.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { parseSse } from '../../src/client/sse-parser.ts';
import type { SseFrame } from '../../src/client/sse-parser.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { postForm } from '../support/http.ts';
import { killProcess, startEntrypoint } from '../support/processes.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { SocketClient } from '../support/socket-client.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

const WF = 'content-creation-workflow';
const CLIENTS = 3;
let h: Harness;
const children: ChildProcess[] = [];

before(async () => {
  h = await startHarness();
  await h.startWorker([contentCreationWorkflow]);
});
after(async () => {
  for (const child of children) await killProcess(child).catch(() => undefined);
  await h?.close();
});

async function startApi(env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; output(): string }> {
  const port = await freePort();
  const { child, output } = await startEntrypoint('server', { ...h.env, PORT: String(port), HOST: '127.0.0.1', ...env });
  children.push(child);
  return { child, url: `http://127.0.0.1:${port}`, output };
}

/** An SSE response read as raw text (comments and `retry:` fields included), and how it ended. */
class RawStream {
  text = '';
  /** True when the server ended the response (its last chunk came); false when the connection broke. */
  complete = false;
  readonly ended: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ended = new Promise<void>((resolve, reject) => {
      const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${url}: HTTP ${response.statusCode}`));
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (this.text += chunk));
        response.on('close', () => {
          this.complete = response.complete;
          resolve();
        });
      });
      request.on('error', reject);
    });
  }

  async frames(): Promise<SseFrame[]> {
    const frames: SseFrame[] = [];
    for await (const frame of parseSse(new Response(this.text).body!)) frames.push(frame);
    return frames;
  }

  /** The id of the last frame with one: what a client sends back as Last-Event-ID. */
  lastId(): string | undefined {
    return [...this.text.matchAll(/^id: (.*)$/gm)].at(-1)?.[1];
  }
}

const indexes = (frames: SseFrame[]) => frames.map((frame) => (JSON.parse(frame.data) as { event_index?: number }).event_index).filter((index) => index !== undefined);

it('SIGTERM mid-run: SSE clients get a reconnect hint, the socket a 1001, the process exits 0, and each client resumes on another API with every event once', async () => {
  // The planner's call waits until the first API has stopped: the run is mid-stream throughout.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  h.openai.setHandler(async (req) => {
    if (callerOf(req) === 'planner') await released;
    return contentCreationReply(req);
  });
  const [first, second] = await Promise.all([startApi({ API_SHUTDOWN_GRACE_MS: '10000' }), startApi()]);
  const started = await postForm(`${first.url}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'false', background: 'true' });
  const { run_id: runId } = (await started.json()) as { run_id: string };
  const eventsUrl = (api: string) => `${api}/workflows/${WF}/runs/${runId}/events`;

  await waitUntil("the planner's model call", () => h.openai.count((req) => callerOf(req) === 'planner') === 1, { timeoutMs: 60_000 });
  const streams = Array.from({ length: CLIENTS }, () => new RawStream(eventsUrl(first.url)));
  const socket = await SocketClient.open(first.url);
  socket.send({ action: 'reconnect', run_id: runId, last_event_index: -1 });
  await socket.until('the subscription', (frame) => frame.event === 'subscribed');
  await waitUntil('every SSE client to have events', () => streams.every((stream) => stream.lastId() !== undefined));

  const exited = once(first.child, 'exit');
  first.child.kill('SIGTERM');
  const [code, signal] = (await withDeadline('the API to exit after SIGTERM', exited, 30_000)) as [number | null, NodeJS.Signals | null];
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, `the API's output:\n${first.output()}`);
  for (const [i, stream] of streams.entries()) {
    await withDeadline(`client ${i}'s stream to end`, stream.ended, 10_000);
    assert.ok(stream.complete, `client ${i}: the server ended the stream (not a broken connection)`);
    assert.match(stream.text, /\n: server shutting down; reconnect with Last-Event-ID\nretry: \d+\n\n$/, `client ${i}: the stream ends with the reconnect hint`);
  }
  await waitUntil('the socket to close', () => socket.closed);
  assert.equal(socket.closeCode, 1001, 'the socket was closed as going away');

  // Each client comes back through the other API, from the last frame it got.
  release();
  const log = (await collectEvents(h.engine, runId, -1, 120_000)).map((event) => event.event_index);
  assert.equal(log.length > 0, true);
  for (const [i, stream] of streams.entries()) {
    const before = await stream.frames();
    const resumed = new RawStream(eventsUrl(second.url), { 'last-event-id': stream.lastId()! });
    await withDeadline(`client ${i}'s resumed stream`, resumed.ended, 120_000);
    assert.ok(resumed.complete, `client ${i}: the resumed stream ended with the run`);
    const received = [...indexes(before), ...indexes(await resumed.frames())];
    assert.ok(indexes(before).length > 0, `client ${i} had events before the shutdown`);
    assert.deepEqual(received, log, `client ${i}: every event of the run exactly once, in order`);
  }
  const run = (await (await fetch(`${second.url}/workflows/${WF}/runs/${runId}`)).json()) as { status: string; content: string };
  assert.equal(run.status, 'COMPLETED');
  assert.equal(run.content, CONTENT_PLAN);
});
