/**
 * Schemathesis (pinned in scripts/setup.sh, in `.tools/schemathesis-venv`) generates requests
 * from the server's own /openapi.json, valid and invalid, and runs all its checks on the answers:
 * statuses, content types, headers and bodies (each SSE event too) as documented, invalid input
 * refused, valid input accepted, auth as declared, 405 with Allow for undeclared methods, no 5xx.
 * It runs against the real server, worker and Temporal dev server, with the fake OpenAI.
 *
 * A fixed seed and a bounded number of examples per operation make the run repeatable:
 * SCHEMATHESIS_SEED, SCHEMATHESIS_EXAMPLES and SCHEMATHESIS_TOKEN_EXAMPLES (the run with a
 * token, behind JWT auth) change them. Without schemathesis the test skips,
 * loudly, and in CI (test/support/ci.ts) it fails.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Team } from '../../src/definitions/team.ts';
import { servedRunnables } from '../../src/os/served-runnables.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { authFromEnv } from '../../src/server/http/auth.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { skipWithoutTool } from '../support/ci.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { HS_SECRET, hs256, signJwt } from '../support/tokens.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ST = join(ROOT, '.tools', 'schemathesis-venv', 'bin', 'st');
const SEED = process.env.SCHEMATHESIS_SEED ?? '20240611';
const EXAMPLES = process.env.SCHEMATHESIS_EXAMPLES ?? '30';
/** Fewer for the run with a token: the same operations, checked again behind auth. */
const TOKEN_EXAMPLES = process.env.SCHEMATHESIS_TOKEN_EXAMPLES ?? '10';
/** The whole run's time limit; the test's own deadline is above it. */
const RUN_LIMIT_MS = 360_000;

const schemaAgent = new Agent({ name: 'Schema Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) });
const writer = new Workflow({ name: 'Schema Writer', steps: [new Step({ name: 'Write', agent: schemaAgent })] });
const echo = new Workflow({ name: 'Schema Echo', steps: [new Step({ name: 'Echo', executor: (input: StepInput) => `echo ${input.input}` })] });

const skip = skipWithoutTool('schemathesis against /openapi.json (test/server/schemathesis.test.ts)', existsSync(ST) ? undefined : `schemathesis is not installed at ${ST} (bash scripts/setup.sh installs it)`);

let h: ApiHarness;
before(async () => {
  if (skip) return;
  // An agent and a team served on their own too: their routes get valid ids to run.
  const runnables = servedRunnables({ agents: [schemaAgent], teams: [new Team({ name: 'Schema Team', members: [schemaAgent] })] });
  // Sessions run side by side here: the fuzzer starts thousands of runs in a handful of session ids
  // ("0", ""…), and queued behind each other (the default, tested in test/server/queue/) a streamed
  // start would wait for all those before it, past the request timeout.
  h = await startApiHarness([writer, echo], { heartbeatMs: 1000, runnables, queue: { multitaskStrategy: 'concurrent' } });
  h.openai.setHandler(() => ({ kind: 'text', text: 'A short answer.' }));
});
after(async () => h?.close());

/** Runs `file` in `cwd` (schemathesis keeps its caches in the folder it runs in). */
function run(file: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number | string }).code ?? (error as { signal?: string }).signal ?? null) : 0, stdout, stderr });
    });
  });
}

/** Runs schemathesis with all checks against `apiUrl`'s document, `extra` arguments added, and asserts it found nothing. */
async function schemathesisFindsNothing(apiUrl: string, examples: string, extra: string[] = []): Promise<void> {
  const reports = await mkdtemp(join(tmpdir(), 'schemathesis-'));
  const args = [
    'run',
    `${apiUrl}/openapi.json`,
    '--checks', 'all',
    '--seed', SEED,
    '--max-examples', examples,
    // One worker: Hypothesis's code introspection is not thread-safe on every Python (sporadic
    // "AST constructor recursion depth mismatch" errors with more), and the order stays the seed's.
    '--workers', '1',
    '--request-timeout', '30',
    // A stream that does not end (the run list's changes): each request to it would wait out the
    // request timeout. Its answers and frames are checked in test/server/openapi-conformance.test.ts.
    '--exclude-path', '/runs/changes',
    '--no-shrink',
    '--report', 'junit',
    '--report-dir', reports,
    ...extra,
  ];
  const started = Date.now();
  const result = await run(ST, args, reports, RUN_LIMIT_MS);
  const output = `${result.stdout}\n${result.stderr}`;
  // The summary: everything from schemathesis's closing section on (or the tail, if it had none).
  const summaryAt = output.search(/^=+ (SUMMARY|FAILURES|ERRORS) =+$/m);
  console.log(`schemathesis ${args.join(' ')}\n(${Math.round((Date.now() - started) / 1000)} s, exit ${result.code})\n${summaryAt >= 0 ? output.slice(summaryAt) : output.slice(-6000)}`);
  assert.notEqual(result.code, 'SIGKILL', `schemathesis did not finish within ${RUN_LIMIT_MS} ms`);
  assert.equal(result.code, 0, 'schemathesis reported failures or errors (see its summary above)');
  assert.doesNotMatch(output, /\b[1-9]\d* (failures?|errors?)\b/, 'no failure and no error in the summary');
  assert.match(output, /\b[1-9]\d* passed\b/, 'test cases were run');
}

it('schemathesis finds no failure with all checks', { skip, timeout: RUN_LIMIT_MS + 60_000 }, async () => {
  await schemathesisFindsNothing(h.api.url, EXAMPLES);
});

/**
 * The API behind JWTs, called with an admin's token: the document declares bearer auth and each
 * operation's scopes, and schemathesis also checks that a request without the token is refused.
 */
it('schemathesis finds no failure with a token', { skip, timeout: RUN_LIMIT_MS + 60_000 }, async () => {
  const secured = await h.serve({ authenticate: authFromEnv({ JWT_VERIFICATION_KEY: HS_SECRET, JWT_ALGORITHMS: 'HS256' }) });
  const token = signJwt({ sub: 'schemathesis', scopes: ['agent_os:admin'], exp: Math.floor(Date.now() / 1000) + 3 * 3600 }, hs256);
  await schemathesisFindsNothing(secured.url, TOKEN_EXAMPLES, ['--header', `Authorization: Bearer ${token}`]);
});
