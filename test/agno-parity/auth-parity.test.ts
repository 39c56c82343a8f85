/**
 * The differential test of authentication and scopes: Agno's own AgentOS behind JWTs
 * (agno_os_auth.py: authorization on, HS256, audience checked, per-user isolation) and our API
 * behind the same settings get the same requests with the same tokens, signed here: none,
 * expired, signed by another key, for another audience, missing a scope, scoped to one workflow,
 * the admin scope, and two users reading each other's runs and sessions. Each answer's status
 * must be Agno's, and a refusal's `detail` too, but for the differences listed with their reason.
 * And the table of route scopes against AgentOS's default mappings.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { ROUTE_SCOPES } from '../../src/server/auth/route-scopes.ts';
import { authFromEnv } from '../../src/server/http/auth.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { HS_SECRET, hs256, signJwt } from '../support/tokens.ts';
import { AGNO_PYTHON, agnoOsMissing, startAgnoOs } from './agno-os-process.ts';
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
  'another workflow': sign({ sub: 'erin', scopes: ['workflows:another-workflow:read'] }),
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
  /** How many items a list holds (a list filtered to the workflows a token may read). */
  listed?: number;
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
  const response = await fetch(`${baseUrl}${path}`, init).catch((err: unknown) => {
    throw new Error(`${probe.label}: ${probe.method} ${baseUrl}${path}: ${String((err as Error).cause ?? err)}`, { cause: err });
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const detail = response.status >= 400 ? (body as { detail?: unknown })?.detail : undefined;
  return { status: response.status, detail, ...(Array.isArray(body) ? { listed: body.length } : {}), ...(response.status < 400 && typeof body === 'object' && body !== null && 'run_id' in body ? { runId: (body as { run_id: string }).run_id } : {}) } as Answer;
}

const PROBES: Probe[] = [
  { label: 'health without a token', method: 'GET', path: '/health', token: 'none' },
  ...(['none', 'expired', 'wrong key', 'wrong audience', 'reserved subject', 'reader', 'one workflow', 'another workflow', 'alice', 'admin'] as const).map(
    (token): Probe => ({ label: `workflows: list (${token})`, method: 'GET', path: '/workflows', token }),
  ),
  { label: 'workflows: detail (one workflow)', method: 'GET', path: `/workflows/${WORKFLOW}`, token: 'one workflow' },
  { label: 'workflows: detail (another workflow)', method: 'GET', path: `/workflows/${WORKFLOW}`, token: 'another workflow' },
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
  const allowedUsed = new Set<string>();
  async function compare(probes: Probe[], ids: { agno: Record<string, string>; ours: Record<string, string> }): Promise<void> {
    for (const probe of probes) {
      const theirs = await ask(agno.url, probe, ids.agno);
      const mine = await ask(ours.url, probe, ids.ours);
      t.diagnostic(`${probe.label}: ${mine.status} ${JSON.stringify(mine.detail ?? mine.listed ?? '')} (Agno ${theirs.status} ${JSON.stringify(theirs.detail ?? theirs.listed ?? '')})`);
      if (theirs.listed !== mine.listed) differences.push(`${probe.label}: ${mine.listed} listed, Agno ${theirs.listed}`);
      if (theirs.status !== mine.status) differences.push(`${probe.label}: status ${mine.status}, Agno ${theirs.status} (${JSON.stringify(theirs.detail)} / ours ${JSON.stringify(mine.detail)})`);
      else if (JSON.stringify(theirs.detail) !== JSON.stringify(mine.detail)) {
        const allowed = DETAIL_DIFFERENCES.find((d) => d.label.test(probe.label));
        if (allowed) allowedUsed.add(allowed.reason);
        else differences.push(`${probe.label}: detail ${JSON.stringify(mine.detail)}, Agno ${JSON.stringify(theirs.detail)}`);
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
  assert.deepEqual(DETAIL_DIFFERENCES.filter((d) => !allowedUsed.has(d.reason)).map((d) => d.reason), [], 'allowed differences that no longer occur: remove them');
});

/**
 * Ours where AgentOS maps no scope (or serves no such route), with the reason: every other line of
 * the table must require exactly what AgentOS's default mappings require for the same request.
 */
const OURS: Record<string, string> = {
  'GET /health': 'public, as AgentOS excludes it from auth',
  'GET /health/ready': 'public: readiness is for load balancers',
  'GET /openapi.json': 'public, as AgentOS excludes it from auth',
  'GET /docs': 'public, as AgentOS excludes it from auth',
  'GET /workflows/ws': 'the handshake: AgentOS’s HTTP middleware does not see WebSockets; each action is held to its route’s scopes',
  'GET /runs': 'ours: runs of every workflow',
  'GET /runs/changes': 'ours: tells a viewer of GET /runs when to read it again (names no run)',
  'POST /workflows/{}/runs/{}/resume': 'ours: AgentOS maps none, reading events is reading the run',
  'POST /workflows/{}/runs/{}/retry': 'ours: running again',
  'POST /workflows/{}/runs/{}/fork': 'ours: running again',
  'GET /jobs': 'AgentOS’s job queue checks the admin scope in the route, not in the mappings',
  'GET /jobs/{}': 'as GET /jobs',
  'POST /jobs/{}/requeue': 'as GET /jobs',
  'GET /stats': 'ours: counts of the whole system, as AgentOS’s /metrics',
  'POST /codec/decode': 'ours: Temporal’s Web UI codec, every user’s payloads',
  'POST /codec/encode': 'ours: Temporal’s Web UI codec, every user’s payloads',
  'GET /console': 'ours: the run console’s page holds no data; each call it makes needs its route’s scopes',
  'GET /console/console.css': 'as GET /console',
  'GET /console/console.js': 'as GET /console',
  'GET /console/api.js': 'as GET /console',
  'GET /console/runs-list.js': 'as GET /console',
  'GET /console/run-view.js': 'as GET /console',
  'POST /agents/{}/runs/{}/resume': 'ours: AgentOS maps none, reading events is reading the run; as its start',
  'POST /agents/{}/runs/{}/retry': 'ours: running again',
  'POST /teams/{}/runs/{}/resume': 'as the agents’ resume',
  'POST /teams/{}/runs/{}/retry': 'ours: running again',
  'POST /ai-sdk/{}/{}/chat': 'ours: the AI SDK’s chat starts a run',
  'GET /ai-sdk/{}/{}/chat/{}/stream': 'ours: the AI SDK’s resume of a run a chat started',
  'POST /agui/{}/{}': 'ours: AG-UI starts (or takes up) a run',
};

test("the route scopes are AgentOS's default mappings where AgentOS has the route", { timeout: 120_000 }, async (t) => {
  const skip = skipWithoutTool("route scopes compared with Agno's mappings (test/agno-parity)", await agnoOsMissing());
  if (skip) return t.skip(skip);
  const keys = Object.keys(ROUTE_SCOPES);
  const script = [
    'import json, sys',
    'from agno.os.scopes import get_default_scope_mappings, get_required_scopes_for_route',
    'm = get_default_scope_mappings()',
    'print(json.dumps({k: get_required_scopes_for_route(m, k.split(" ")[0], k.split(" ")[1].replace("{}", "x")) for k in json.loads(sys.argv[1])}))',
  ].join('\n');
  const agnos = await new Promise<Record<string, string[]>>((resolve, reject) => {
    execFile(AGNO_PYTHON, ['-c', script, JSON.stringify(keys)], { timeout: 60_000, env: { PATH: process.env.PATH, AGNO_TELEMETRY: 'false', PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout))));
  });
  const differ = keys.filter((key) => !(key in OURS) && JSON.stringify(ROUTE_SCOPES[key]) !== JSON.stringify(agnos[key])).map((key) => `${key}: ours ${JSON.stringify(ROUTE_SCOPES[key])}, AgentOS ${JSON.stringify(agnos[key])}`);
  assert.deepEqual(differ, []);
  assert.deepEqual(Object.keys(OURS).filter((key) => !keys.includes(key)), [], 'reasons for lines the table no longer has');
});
