/**
 * Schema-driven fuzzing of the HTTP API: bad requests generated from the server's own
 * `/openapi.json` (wrong types, missing and extra fields, huge and unicode strings, broken JSON
 * and multipart, wrong content types, oversize bodies, bad path ids, query parameters, headers
 * and methods), sent over real HTTP to the real server, worker and Temporal dev server.
 *
 * Every answer is below 500; every 4xx is JSON with a `detail`; every request the schema says is
 * invalid gets a 4xx; what names nothing is refused, except where the document says it is fine
 * (AgentOS's cancel of an unknown or ended run is 200 `{}`, `?strict=true` keeps 404/409; a
 * delete of sessions that are not there is 204); none of them starts a run (Temporal started no
 * workflow for the engine, and the fake model was never called), and none deletes the seeded
 * session the other cases read. Reproduce a failure with the printed seed: `FUZZ_SEED=<seed> node --test ...`;
 * fuzz longer with FUZZ_SCALE=<factor>.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { generateCases } from './support/openapi-fuzz.ts';
import type { FuzzCase } from './support/openapi-fuzz.ts';
import { knownCases } from './support/known-cases.ts';
import type { KnownCase } from './support/known-cases.ts';
import { operationsOf } from './support/openapi-operations.ts';
import type { OpenApiDocument, Operation } from './support/openapi-operations.ts';
import { Rng, seedFromEnv } from './support/prng.ts';
import { sendRaw } from './support/raw-http.ts';
import type { RawResponse } from './support/raw-http.ts';

/** Requests per operation: more where there is a body to get wrong. FUZZ_SCALE=10 fuzzes ten times longer. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1) || 1;
const CASES_WITH_BODY = Math.round(220 * SCALE);
const CASES_WITHOUT_BODY = Math.round(80 * SCALE);
const CONCURRENCY = 10;
const MAX_BODY_BYTES = 1024 * 1024;

// A model-backed workflow is the target of starts: a run started by mistake would call the fake model.
const writer = new Workflow({
  name: 'Fuzz Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Fuzz Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
// Runs to aim the run routes at, made without the model: one completed, one waiting for a person.
const echo = new Workflow({ name: 'Fuzz Echo', steps: [new Step({ name: 'Echo', executor: (input: StepInput) => `echo ${input.input}` })] });
const approval = new Workflow({
  name: 'Fuzz Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});

const seed = seedFromEnv();
/** The session of the seeded runs, which the session routes read (lower case: its upper case names nothing). */
const SEEDED_SESSION = `seeded-${randomUUID()}`;
/** Where deletes that may be accepted go: no run has this session. */
const NO_SESSION = `no-such-session-${randomUUID()}`;
let h: ApiHarness;
let base: URL;
let completedRun: string;
let pausedRun: string;

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(path, base));
  return { status: response.status, body: await response.json() };
}

/** The seeded session's runs, as `GET /sessions/{id}/runs` lists them (none once it is gone). */
async function sessionRuns(): Promise<{ run_id: string }[]> {
  const { status, body } = await getJson(`/sessions/${SEEDED_SESSION}/runs`);
  return status === 200 ? (body as { run_id: string }[]) : [];
}

before(async () => {
  console.log(`http-fuzz: FUZZ_SEED=${seed}`);
  h = await startApiHarness([writer, echo, approval], { maxBodyBytes: MAX_BODY_BYTES });
  base = new URL(h.api.url);
  h.openai.setHandler(() => ({ kind: 'text', text: 'instant answer' }));
  completedRun = (await h.engine.startRun(echo.toPlan(), { input: 'seed', sessionId: SEEDED_SESSION })).output.run_id;
  await withDeadline('the echo run to complete', h.engine.waitForRun(completedRun));
  pausedRun = (await h.engine.startRun(approval.toPlan(), { input: 'seed', sessionId: SEEDED_SESSION })).output.run_id;
  await waitUntil('the approval run to pause', async () => (await h.engine.getRun(pausedRun))?.status === 'PAUSED');
  // Sessions are listed from Temporal visibility, which lags a moment behind.
  await waitUntil('the seeded session to list both runs', async () => (await sessionRuns()).length === 2);
  h.openai.reset();
});
after(async () => h?.close());

interface Violation {
  fuzz: FuzzCase;
  problem: string;
  response?: RawResponse;
}

function show(bytes: Buffer | undefined, max = 240): string {
  if (!bytes) return '(none)';
  const text = bytes.subarray(0, max).toString('latin1');
  return JSON.stringify(text) + (bytes.length > max ? `… (${bytes.length} bytes)` : '');
}

function describeViolation(v: Violation): string {
  const r = v.fuzz.request;
  const headers = Object.entries(r.headers ?? {}).map(([k, val]) => `${k}: ${val.length > 80 ? `${val.slice(0, 80)}…(${val.length})` : val}`);
  return [
    `#${v.fuzz.id} ${v.fuzz.op} [${v.fuzz.mutation}] ${v.fuzz.invalid ? '(invalid)' : '(maybe valid)'}: ${v.problem}`,
    `  > ${r.method} ${r.path.length > 200 ? `${r.path.slice(0, 200)}…(${r.path.length})` : r.path}${r.chunked ? ' (chunked)' : ''}`,
    ...headers.map((line) => `  > ${line}`),
    `  > body ${show(r.body)}`,
    v.response ? `  < ${v.response.status} ${v.response.headers['content-type'] ?? ''} ${show(v.response.body)}` : '  < no response',
  ].join('\n');
}

/** What a success of this operation is, as documented: cancel answers `{}`, deletes 204 with no body. */
function successProblem(fuzz: FuzzCase, response: RawResponse): string | undefined {
  const text = response.body.toString('utf8');
  if (fuzz.op.endsWith('/cancel') && (response.status !== 200 || text !== '{}')) return `cancel answered ${response.status} ${text.slice(0, 100)}, not 200 {}`;
  if (fuzz.op.startsWith('DELETE /sessions') && (response.status !== 204 || text !== '')) return `delete answered ${response.status} ${text.slice(0, 100)}, not 204`;
  return undefined;
}

/** The problem with a response, if any. */
function check(fuzz: KnownCase, response: RawResponse): string | undefined {
  const { status } = response;
  if (status >= 500) return `server error ${status}`;
  if (status < 200) return `unexpected status ${status}`;
  if (fuzz.expected && status !== fuzz.expected.status) return `expected ${fuzz.expected.status}, got ${status}`;
  if (fuzz.expected?.body !== undefined && response.body.toString('utf8') !== fuzz.expected.body) return `expected the body ${JSON.stringify(fuzz.expected.body)}`;
  if (status >= 400) {
    if (!/^application\/json/i.test(String(response.headers['content-type'] ?? ''))) return `${status} without a JSON body`;
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      return `${status} with a body that is not JSON`;
    }
    if (typeof body !== 'object' || body === null || !('detail' in body) || (body as { detail: unknown }).detail == null) return `${status} without detail`;
    return undefined;
  }
  if (fuzz.invalid) return `invalid request accepted with ${status}`;
  return successProblem(fuzz, response);
}

it('refuses bad input generated from /openapi.json: no 5xx, JSON details, nothing started', { timeout: 300_000 }, async () => {
  const started = performance.now();
  const { status, body } = await getJson('/openapi.json');
  assert.equal(status, 200);
  const ops = operationsOf(body as OpenApiDocument);
  assert.ok(ops.length >= 10, `the document describes ${ops.length} operations`);

  const startOp = (op: Operation) => op.method === 'POST' && op.template === '/workflows/{workflow_id}/runs';
  const continueOp = (op: Operation) => op.method === 'POST' && op.template === '/workflows/{workflow_id}/runs/{run_id}/continue';
  const rng = new Rng(seed);
  const cancelOp = (op: Operation) => op.template.endsWith('/cancel');
  const deleteSessionOp = (op: Operation) => op.method === 'DELETE' && op.template === '/sessions/{session_id}';
  const cases: KnownCase[] = [];
  for (const op of ops) {
    const targets = {
      maxBodyBytes: MAX_BODY_BYTES,
      // Starts go to the model-backed workflow; `continue` to the paused run; the rest (cancel,
      // which answers 200 {} for it, and retry, 409) to the completed run; session routes to the
      // seeded session, which holds both runs.
      pathValue: (_: Operation, param: string) =>
        param === 'workflow_id'
          ? startOp(op) ? writer.id : continueOp(op) ? approval.id : echo.id
          : param === 'session_id' ? SEEDED_SESSION : continueOp(op) ? pausedRun : completedRun,
      // A delete that may be accepted goes to a session that is not there.
      acceptedPathValue: (o: Operation, param: string) => (deleteSessionOp(o) && param === 'session_id' ? NO_SESSION : undefined),
      mustReject: (o: Operation) => startOp(o) || continueOp(o),
      acceptsUnknownIds: (o: Operation) => cancelOp(o) || deleteSessionOp(o),
    };
    cases.push(...generateCases(op, targets, rng, op.body ? CASES_WITH_BODY : CASES_WITHOUT_BODY, cases.length));
  }

  cases.push(...knownCases({ writerWorkflow: writer.id, echoWorkflow: echo.id, completedRun, seededSession: SEEDED_SESSION }, cases.length));
  const sessionOps = ops.filter((op) => op.template.startsWith('/sessions')).length;
  assert.ok(sessionOps >= 6, `the document describes ${sessionOps} session operations`);

  const startsBefore = h.temporalCalls.started.length;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const violations: Violation[] = [];
  const byStatus = new Map<number, number>();
  const byOp = new Map<string, { sent: number; refused: number }>();
  let next = 0;
  let slowest = 0;
  const worker = async () => {
    while (next < cases.length) {
      const fuzz = cases[next++]!;
      const tally = byOp.get(fuzz.op) ?? { sent: 0, refused: 0 };
      byOp.set(fuzz.op, tally);
      tally.sent += 1;
      try {
        const response = await sendRaw(base, fuzz.request, { agent, timeoutMs: 10_000, maxBodyBytes: 256 * 1024 });
        slowest = Math.max(slowest, response.ms);
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        if (response.status >= 400 && response.status < 500) tally.refused += 1;
        const problem = check(fuzz, response);
        if (problem) violations.push({ fuzz, problem, response });
      } catch (err) {
        violations.push({ fuzz, problem: `no response: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  const fuzzMs = performance.now() - started;

  // A start that slipped through is a workflow Temporal started for the engine (its own answer,
  // exact at once, unlike the run list), and its run would call the model.
  const newRuns = h.temporalCalls.startedSince(startsBefore);
  const completed = (await getJson(`/workflows/${echo.id}/runs/${completedRun}`)).body as { status: string };
  const paused = (await getJson(`/workflows/${approval.id}/runs/${pausedRun}`)).body as { status: string };
  const seededRuns = (await sessionRuns()).map((run) => run.run_id).sort();
  const health = await fetch(new URL('/health', base));

  const invalidCount = cases.filter((c) => c.invalid).length;
  const families = new Map<string, number>();
  for (const c of cases) families.set(c.mutation.split(/[ :]/)[0]!, (families.get(c.mutation.split(/[ :]/)[0]!) ?? 0) + 1);
  console.log(
    [
      `http-fuzz: seed ${seed}: ${cases.length} requests (${invalidCount} invalid by the schema) over ${ops.length} operations in ${(fuzzMs / 1000).toFixed(1)} s, slowest ${slowest.toFixed(0)} ms`,
      `  statuses: ${[...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`,
      `  families: ${[...families].map(([f, n]) => `${f}×${n}`).join(' ')}`,
      ...[...byOp].map(([op, t]) => `  ${op}: ${t.sent} sent, ${t.refused} refused`),
      `  runs started ${newRuns.length}; model requests ${h.openai.count()}; violations ${violations.length}`,
    ].join('\n'),
  );

  // One example of each kind of violation: the same bug tends to show up many times.
  const groups = new Map<string, Violation[]>();
  for (const v of violations) {
    const kind = v.fuzz.mutation.replace(/ \+ .*$/, '').replace(/ \((json|form|multipart)[^)]*\)/, '').replace(/\d+/g, 'N');
    const key = `${v.problem.replace(/no response: .*/, 'no response')} · ${kind}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const report = `${violations.length} violations (FUZZ_SEED=${seed}), ${groups.size} kinds:\n${[...groups]
    .slice(0, 40)
    .map(([key, list]) => `[${list.length}×] ${key} (${[...new Set(list.map((v) => v.fuzz.op))].join(', ')})\n${describeViolation(list[0]!)}`)
    .join('\n')}`;
  if (violations.length > 0) console.log(report);
  assert.ok(cases.length >= 1000, `${cases.length} requests`);
  assert.equal(violations.length, 0, report);
  assert.deepEqual(newRuns, [], `bad requests started runs (FUZZ_SEED=${seed})`);
  assert.equal(h.openai.count(), 0, `the model was called (FUZZ_SEED=${seed})`);
  assert.equal(completed.status, 'COMPLETED');
  assert.equal(paused.status, 'PAUSED', 'the paused run was not continued or cancelled');
  assert.deepEqual(seededRuns, [completedRun, pausedRun].sort(), 'the seeded session and its runs were not deleted');
  assert.equal(health.status, 200);
});
