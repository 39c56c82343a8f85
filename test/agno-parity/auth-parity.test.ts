/**
 * The differential test of authentication and scopes: Agno's own AgentOS behind JWTs
 * (agno_os_auth.py: authorization on, HS256, audience checked, per-user isolation) and our API
 * behind the same settings get the same requests with the same tokens, signed here: none,
 * expired, signed by another key, for another audience, missing a scope, scoped to one workflow,
 * the admin scope, and two users reading each other's runs and sessions. Each answer's status
 * must be Agno's, and a refusal's `detail` too, but for the differences listed with their reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { authFromEnv } from '../../src/server/http/auth.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { HS_SECRET, hs256, signJwt } from '../support/tokens.ts';
import { agnoOsMissing, startAgnoOs } from './agno-os-process.ts';
import { parityReply } from './parity-script.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORKFLOW = 'content-creation-workflow';
const AUDIENCE = 'durable-agents';
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>) => signJwt({ aud: AUDIENCE, ...claims }, hs256);
const USER_SCOPES = ['workflows:read', 'workflows:run', 'sessions:read'];

const TOKENS: Record<string, string | undefined> = {
  none: undefined,
  expired: sign({ sub: 'alice', scopes: USER_SCOPES, exp: now() - 3600 }),
  'wrong key': signJwt({ sub: 'alice', aud: AUDIENCE, scopes: USER_SCOPES }, { alg: 'HS256', key: 'not-the-servers-secret-not-the-servers' }),
  'wrong audience': sign({ sub: 'alice', scopes: USER_SCOPES, aud: 'another-service' }),
  'reserved subject': sign({ sub: 'sa:ci', scopes: USER_SCOPES }),
  reader: sign({ sub: 'carol', scopes: ['workflows:read'] }),
  'one workflow': sign({ sub: 'dave', scopes: [`workflows:${WORKFLOW}:read`] }),
  alice: sign({ sub: 'alice', scopes: USER_SCOPES }),
  bob: sign({ sub: 'bob', scopes: USER_SCOPES }),
  admin: sign({ sub: 'root', scopes: ['agent_os:admin'] }),
};

interface Probe {
  label: string;
  method: string;
  path: string;
  token: keyof typeof TOKENS;
  form?: Record<string, string>;
}

interface Answer {
  status: number;
  detail?: unknown;
}

/** Differences in a refusal's `detail` that are ours on purpose; statuses never differ. */
const DETAIL_DIFFERENCES: { label: RegExp; reason: string }[] = [
  { label: /^another user: (run|session)/, reason: 'AgentOS words a missing run or session its own way on each route; ours keeps the wording of a missing one (the same either way: nothing is revealed)' },
];

async function ask(baseUrl: string, probe: Probe, ids: Record<string, string>): Promise<Answer> {
  const token = TOKENS[probe.token];
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const path = probe.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? name);
  const init: RequestInit = { method: probe.method, headers, signal: AbortSignal.timeout(120_000) };
  if (probe.form) {
    init.body = new URLSearchParams(probe.form);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const detail = response.status >= 400 ? (body as { detail?: unknown })?.detail : undefined;
  return { status: response.status, detail, ...(response.status < 400 && typeof body === 'object' && body !== null && 'run_id' in body ? { runId: (body as { run_id: string }).run_id } : {}) } as Answer;
}

const PROBES: Probe[] = [
  { label: 'health without a token', method: 'GET', path: '/health', token: 'none' },
  ...(['none', 'expired', 'wrong key', 'wrong audience', 'reserved subject', 'reader', 'one workflow', 'alice', 'admin'] as const).map(
    (token): Probe => ({ label: `workflows: list (${token})`, method: 'GET', path: '/workflows', token }),
  ),
  { label: 'workflows: detail (one workflow)', method: 'GET', path: `/workflows/${WORKFLOW}`, token: 'one workflow' },
  { label: 'config (reader)', method: 'GET', path: '/config', token: 'reader' },
  { label: 'config (admin)', method: 'GET', path: '/config', token: 'admin' },
  { label: 'sessions: list (reader)', method: 'GET', path: '/sessions', token: 'reader' },
  { label: 'schedules: list (alice)', method: 'GET', path: '/schedules', token: 'alice' },
  { label: 'approvals: list (alice)', method: 'GET', path: '/approvals', token: 'alice' },
  { label: 'run: start (reader)', method: 'POST', path: `/workflows/${WORKFLOW}/runs`, token: 'reader', form: { message: 'AI trends in 2024', stream: 'false' } },
  { label: 'run: start (one workflow, read only)', method: 'POST', path: `/workflows/${WORKFLOW}/runs`, token: 'one workflow', form: { message: 'AI trends in 2024', stream: 'false' } },
  { label: 'run: cancel (reader)', method: 'POST', path: `/workflows/${WORKFLOW}/runs/some-run/cancel`, token: 'reader' },
];

/** After Alice's run: who may read it and its session. */
const AFTER_RUN: Probe[] = [
  { label: 'own run: read (alice)', method: 'GET', path: `/workflows/${WORKFLOW}/runs/{run}?session_id={session}`, token: 'alice' },
  { label: 'another user: run read (bob)', method: 'GET', path: `/workflows/${WORKFLOW}/runs/{run}?session_id={session}`, token: 'bob' },
  { label: 'admin: run read', method: 'GET', path: `/workflows/${WORKFLOW}/runs/{run}?session_id={session}`, token: 'admin' },
  { label: 'own session: read (alice)', method: 'GET', path: '/sessions/{session}?type=workflow', token: 'alice' },
  { label: 'another user: session read (bob)', method: 'GET', path: '/sessions/{session}?type=workflow', token: 'bob' },
  { label: 'another user: session runs (bob)', method: 'GET', path: '/sessions/{session}/runs?type=workflow', token: 'bob' },
];

test("behind JWTs, our API answers each token as Agno's AgentOS does", { timeout: 600_000 }, async (t) => {
  const skip = skipWithoutTool("JWT auth compared with Agno's AgentOS (test/agno-parity)", await agnoOsMissing());
  if (skip) return t.skip(skip);

  const h = await startApiHarness([contentCreationWorkflow]);
  t.after(() => h.close());
  h.openai.setHandler(parityReply);
  const ours = await h.serve({ authenticate: authFromEnv({ JWT_VERIFICATION_KEY: HS_SECRET, JWT_ALGORITHMS: 'HS256', JWT_AUDIENCE: AUDIENCE }) });
  const agno = await startAgnoOs({ openaiUrl: h.openai.url, hackernewsUrl: h.hackernews.url, yahooUrl: h.yahoo.url }, join(HERE, 'agno_os_auth.py'));
  t.after(() => agno.close());

  const differences: string[] = [];
  async function compare(probes: Probe[], ids: { agno: Record<string, string>; ours: Record<string, string> }): Promise<void> {
    for (const probe of probes) {
      const theirs = await ask(agno.url, probe, ids.agno);
      const mine = await ask(ours.url, probe, ids.ours);
      if (theirs.status !== mine.status) differences.push(`${probe.label}: status ${mine.status}, Agno ${theirs.status} (${JSON.stringify(theirs.detail)} / ours ${JSON.stringify(mine.detail)})`);
      else if (JSON.stringify(theirs.detail) !== JSON.stringify(mine.detail) && !DETAIL_DIFFERENCES.some((d) => d.label.test(probe.label))) {
        differences.push(`${probe.label}: detail ${JSON.stringify(mine.detail)}, Agno ${JSON.stringify(theirs.detail)}`);
      }
    }
  }
  await compare(PROBES, { agno: {}, ours: {} });

  // Alice runs the workflow on each server; then each token reads it.
  const session = `auth-parity-${now()}`;
  const start: Probe = { label: 'run: start (alice)', method: 'POST', path: `/workflows/${WORKFLOW}/runs`, token: 'alice', form: { message: 'AI trends in 2024', stream: 'false', session_id: session } };
  const theirRun = (await ask(agno.url, start, {})) as Answer & { runId?: string };
  const ourRun = (await ask(ours.url, start, {})) as Answer & { runId?: string };
  assert.equal(theirRun.status, 200, `Agno's run: ${JSON.stringify(theirRun)}\n${agno.output()}`);
  assert.equal(ourRun.status, 200, `our run: ${JSON.stringify(ourRun)}`);
  await compare(AFTER_RUN, { agno: { run: theirRun.runId!, session }, ours: { run: ourRun.runId!, session } });

  assert.deepEqual(differences, [], 'answers that differ from Agno’s');
});
