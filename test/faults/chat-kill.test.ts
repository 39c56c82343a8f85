/**
 * A chat of 20 turns with an agent that calls a tool every turn and remembers its session, over
 * HTTP, while its worker process is SIGKILLed in the middle of one turn (its model call after the
 * tool, left unanswered). The turn finishes on the next worker: its log has the shape of every
 * other turn, its tool call is not made again, and every later turn sees every earlier answer.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { useAgentWorkerProcess } from '../support/agent-worker-process.ts';
import { postForm, readFrames } from '../support/http.ts';
import { killProcess } from '../support/processes.ts';
import { waitUntil } from '../support/wait.ts';
import { stockChat } from './support/stock-chat.ts';

const TURNS = 20;
const KILLED_TURN = 11;
const SYMBOLS = ['NVDA', 'MSFT', 'GOOGL'];
const WORKER = fileURLToPath(new URL('./support/stock-chat-worker.ts', import.meta.url));

/** The model request left unanswered, once it has come in. */
let hungRequest: number | undefined;

const served = useAgentWorkerProcess(stockChat, WORKER, (h) =>
  h.openai.setHandler((req) => {
    const turn = Number(/^turn (\d+)$/.exec(req.lastUserText)?.[1]);
    if (req.toolResults.length === 0) return { kind: 'tool_calls', calls: [{ name: 'get_current_stock_price', arguments: { symbol: SYMBOLS[turn % SYMBOLS.length] } }] };
    if (turn === KILLED_TURN && hungRequest === undefined) {
      hungRequest = req.index;
      return { kind: 'hang' };
    }
    return { kind: 'text', text: `answer ${turn}: ${req.toolResults.at(-1)!.output}` };
  }),
);
const { startWorker } = served;

/** The log's events of a turn, by name, live text and content chunks left out: what the turn did. */
const shapeOf = (events: { event: string; event_index?: number }[]) => events.filter((event) => event.event !== 'RunContent').map((event) => event.event);

it(`keeps a ${TURNS}-turn chat with tools whole through a worker SIGKILL mid-turn: nothing redone, nothing lost`, async () => {
  const h = served.harness();
  const api = served.api();
  let worker = await startWorker();
  const shapes: string[][] = [];
  for (let turn = 1; turn <= TURNS; turn++) {
    const streaming = postForm(`${api.url}/agents/stock-chat/runs`, { message: `turn ${turn}`, session_id: 'long-chat' }).then((response) => readFrames(response, Infinity, 120_000));
    if (turn === KILLED_TURN) {
      await waitUntil('the model call after the tool to come in', () => hungRequest !== undefined && h.openai.count() > hungRequest, { timeoutMs: 60_000 });
      await killProcess(worker);
      await waitUntil('the killed worker to abandon its model call', () => h.openai.aborted === 1);
      worker = await startWorker();
    }
    const { events } = await streaming;
    const last = events.at(-1) as unknown as { event: string; content: string };
    assert.equal(last.event, 'RunCompleted', `turn ${turn}`);
    assert.match(last.content, new RegExp(`^answer ${turn}: `));
    const indexes = events.flatMap((event) => (typeof event.event_index === 'number' ? [event.event_index] : []));
    assert.deepEqual(indexes, [...indexes].sort((a, b) => a - b), `turn ${turn}: in order`);
    assert.equal(new Set(indexes).size, indexes.length, `turn ${turn}: each event once`);
    shapes.push(shapeOf(events));
  }
  for (const [i, shape] of shapes.entries()) assert.deepEqual(shape, shapes[0], `turn ${i + 1} did what turn 1 did`);
  // One tool call per turn reached Yahoo: the killed turn's was not made again.
  assert.equal(h.yahoo.count('/v8/finance/chart/'), TURNS);
  // Two model calls per turn, and the one abandoned with the killed worker.
  assert.equal(h.openai.count(), 2 * TURNS + 1);
  // The last turn saw every earlier turn's question and answer, from the run store.
  const lastRequest = h.openai.requests.at(-1)!;
  const history = lastRequest.messages.filter((message) => message.role === 'assistant' && message.content.startsWith('answer ')).map((message) => Number(/^answer (\d+)/.exec(message.content)![1]));
  assert.deepEqual(history, Array.from({ length: TURNS - 1 }, (_, i) => i + 1));
});
