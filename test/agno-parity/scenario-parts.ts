/** What the scenario's parts share: the workflows served, the input, run paths, and session ids of this scenario run. */
import { randomUUID } from 'node:crypto';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { waitUntil } from '../support/wait.ts';
import { SLOW_INPUT, isSlowPlannerRequest } from './parity-script.ts';
import type { Json, Wire } from './wire.ts';

export const WORKFLOW = 'content-creation-workflow';
export const REVIEWED_WORKFLOW = 'reviewed-content-creation';
export const INPUT = 'AI trends in 2024';
const ENDED = ['COMPLETED', 'ERROR', 'CANCELLED'];

export const runs = (workflow: string) => `/workflows/${workflow}/runs`;
export const runPath = (workflow: string, runId: string) => `${runs(workflow)}/${encodeURIComponent(runId)}`;
export const ended = (body: Json) => ENDED.includes(String(body.status));

export function runIdOf(body: unknown, what: string): string {
  const id = (body as Json | undefined)?.run_id;
  if (typeof id !== 'string') throw new Error(`${what}: no run_id in ${JSON.stringify(body)?.slice(0, 500)}`);
  return id;
}

/**
 * Session ids (and other names) of this scenario run: fresh each time, as names given to sessions
 * outlive the Temporal dev server of a test (they are kept in the blob store, under the working directory).
 */
let sessionTag = '';
export const newScenarioTag = () => (sessionTag = randomUUID().slice(0, 8));
export const sessionOf = (name: string) => `parity-${name}-${sessionTag}`;

/** Starts a run of SLOW_INPUT in the background, labelled `label`; its id once it is mid-step (its planner asked): a run to cancel. */
export async function startSlowRun(wire: Wire, openai: FakeOpenAI, label: string, session: string): Promise<string> {
  const slowBefore = openai.count(isSlowPlannerRequest);
  const start = await wire.send(label, 'POST', runs(WORKFLOW), { form: { message: SLOW_INPUT, stream: 'false', background: 'true', session_id: session } });
  const runId = runIdOf(start.body, label);
  await waitUntil(`${wire.name}: the slow run to reach its planner`, () => openai.count(isSlowPlannerRequest) > slowBefore, { timeoutMs: 90_000 });
  return runId;
}
