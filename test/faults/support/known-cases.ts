/**
 * Requests the HTTP fuzz test sends on every run, whatever the seed: inputs that once broke the
 * server (form fields named like Object.prototype members, a NUL in list filters or session ids,
 * a Host header or path the HTTP adapter refuses, bodies that are not UTF-8 and forms of
 * thousands of fields, which once started runs), and the answers the document promises where
 * an id names nothing or a request aims at the seeded session: AgentOS's cancel (200 `{}` for an
 * ended or unknown run, `?strict=true` 409 and 404) and its session deletes.
 */
import type { FuzzCase } from './openapi-fuzz.ts';

/** A case whose answer is known exactly: its status, and its body where it matters. */
export interface KnownCase extends FuzzCase {
  expected?: { status: number; body?: string };
}

export interface KnownTargets {
  /** A workflow whose runs call the model: a start must never get through. */
  writerWorkflow: string;
  /** The workflow of `completedRun`. */
  echoWorkflow: string;
  completedRun: string;
  /** The session of the seeded runs, which must survive every case. */
  seededSession: string;
}

const CANCEL = 'POST /workflows/{workflow_id}/runs/{run_id}/cancel';
const DELETE_SESSION = 'DELETE /sessions/{session_id}';
const DELETE_SESSIONS = 'DELETE /sessions';
const START = 'POST /workflows/{workflow_id}/runs';

export function knownCases(t: KnownTargets, firstId: number): KnownCase[] {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };
  const cancel = (runId: string, query = '', workflow = t.echoWorkflow) => ({ method: 'POST', path: `/workflows/${workflow}/runs/${runId}/cancel${query}` });
  const session = `/sessions/${encodeURIComponent(t.seededSession)}`;
  const deleteBody = (body: unknown) => Buffer.from(JSON.stringify(body));
  const list: Omit<KnownCase, 'id'>[] = [
    { op: 'POST /workflows/{workflow_id}/runs', mutation: 'known: form field constructor', invalid: true, request: { method: 'POST', path: `/workflows/${t.writerWorkflow}/runs`, headers: form, body: Buffer.from('constructor=1&toString=x') } },
    { op: 'POST /workflows/{workflow_id}/runs', mutation: 'known: form field __proto__', invalid: true, request: { method: 'POST', path: `/workflows/${t.writerWorkflow}/runs`, headers: form, body: Buffer.from('__proto__=1&stream=false') } },
    { op: START, mutation: 'known: %FF in a form', invalid: true, expected: { status: 400 }, request: { method: 'POST', path: `/workflows/${t.writerWorkflow}/runs`, headers: form, body: Buffer.from('stream=false&background=true&message=a%FF') } },
    { op: START, mutation: 'known: raw 0xFF in JSON', invalid: true, expected: { status: 400 }, request: { method: 'POST', path: `/workflows/${t.writerWorkflow}/runs`, headers: json, body: Buffer.concat([Buffer.from('{"stream":false,"background":true,"message":"a'), Buffer.from([0xff]), Buffer.from('"}')]) } },
    { op: START, mutation: 'known: 10,000 form fields', invalid: true, expected: { status: 400 }, request: { method: 'POST', path: `/workflows/${t.writerWorkflow}/runs`, headers: form, body: Buffer.from(['stream=false&background=true&message=a', ...Array.from({ length: 10_000 }, (_, i) => `f${i}=1`)].join('&')) } },
    { op: 'POST /sessions/{session_id}/rename', mutation: 'known: raw 0xFF in a name', invalid: true, expected: { status: 400 }, request: { method: 'POST', path: `/sessions/${encodeURIComponent(t.seededSession)}/rename`, headers: json, body: Buffer.concat([Buffer.from('{"session_name":"a'), Buffer.from([0xff]), Buffer.from('"}')]) } },
    { op: 'POST /workflows/{workflow_id}/runs/{run_id}/resume', mutation: 'known: form field hasOwnProperty', invalid: false, request: { method: 'POST', path: `/workflows/${t.echoWorkflow}/runs/${t.completedRun}/resume`, headers: form, body: Buffer.from('hasOwnProperty=1&valueOf=2') } },
    { op: 'GET /runs', mutation: 'known: NUL in session_id', invalid: true, request: { method: 'GET', path: '/runs?session_id=%00' } },
    { op: 'GET /workflows/{workflow_id}/runs', mutation: 'known: NUL in user_id', invalid: true, request: { method: 'GET', path: `/workflows/${t.echoWorkflow}/runs?user_id=a%00b` } },
    { op: 'GET /health', mutation: 'known: Host with a space', invalid: false, request: { method: 'GET', path: '/health', headers: { host: 'a b' } } },
    { op: 'GET /workflows/{workflow_id}', mutation: 'known: backslash in path', invalid: false, request: { method: 'GET', path: '/workflows/a\\b' } },
    // AgentOS's cancel: nothing to stop is not an error, unless asked to be strict.
    { op: CANCEL, mutation: 'known: cancel an ended run', invalid: false, expected: { status: 200, body: '{}' }, request: cancel(t.completedRun) },
    { op: CANCEL, mutation: 'known: cancel an ended run, strict', invalid: true, expected: { status: 409 }, request: cancel(t.completedRun, '?strict=true') },
    { op: CANCEL, mutation: 'known: cancel an unknown run', invalid: false, expected: { status: 200, body: '{}' }, request: cancel('no-such-run') },
    { op: CANCEL, mutation: 'known: cancel an unknown run, strict', invalid: true, expected: { status: 404 }, request: cancel('no-such-run', '?strict=true') },
    { op: CANCEL, mutation: 'known: cancel a run of another session', invalid: false, expected: { status: 200, body: '{}' }, request: cancel(t.completedRun, '?session_id=another') },
    { op: CANCEL, mutation: 'known: cancel in an unknown workflow', invalid: true, expected: { status: 404 }, request: cancel(t.completedRun, '', 'no-such-workflow') },
    // A NUL once held the visibility query of a session read for seconds.
    { op: 'GET /sessions/{session_id}', mutation: 'known: NUL as session id', invalid: true, expected: { status: 404 }, request: { method: 'GET', path: '/sessions/%00' } },
    { op: DELETE_SESSION, mutation: 'known: delete a NUL session id', invalid: false, expected: { status: 204, body: '' }, request: { method: 'DELETE', path: '/sessions/a%00b' } },
    // Invalid deletes aimed at the seeded session: refused, and it stays.
    { op: DELETE_SESSION, mutation: 'known: delete in another db_id', invalid: true, expected: { status: 404 }, request: { method: 'DELETE', path: `${session}?db_id=another` } },
    { op: DELETE_SESSION, mutation: 'known: delete with a NUL user_id', invalid: true, expected: { status: 422 }, request: { method: 'DELETE', path: `${session}?user_id=%00` } },
    { op: DELETE_SESSIONS, mutation: 'known: lengths differ', invalid: true, expected: { status: 400 }, request: { method: 'DELETE', path: '/sessions', headers: json, body: deleteBody({ session_ids: [t.seededSession], session_types: ['workflow', 'workflow'] }) } },
    { op: DELETE_SESSIONS, mutation: 'known: unknown session type', invalid: true, expected: { status: 422 }, request: { method: 'DELETE', path: '/sessions', headers: json, body: deleteBody({ session_ids: [t.seededSession], session_types: ['Workflow'] }) } },
    { op: DELETE_SESSIONS, mutation: 'known: no ids', invalid: true, expected: { status: 422 }, request: { method: 'DELETE', path: '/sessions', headers: json, body: deleteBody({ session_ids: [], session_types: [] }) } },
    { op: DELETE_SESSIONS, mutation: 'known: another db_id', invalid: true, expected: { status: 404 }, request: { method: 'DELETE', path: '/sessions?db_id=another', headers: json, body: deleteBody({ session_ids: [t.seededSession], session_types: ['workflow'] }) } },
    { op: DELETE_SESSIONS, mutation: 'known: a form body', invalid: true, expected: { status: 415 }, request: { method: 'DELETE', path: '/sessions', headers: form, body: Buffer.from(`session_ids=["${t.seededSession}"]&session_types=["workflow"]`) } },
    // Only workflow sessions exist here: an agent session of that id is not there to delete.
    { op: DELETE_SESSIONS, mutation: 'known: as an agent session', invalid: false, expected: { status: 204, body: '' }, request: { method: 'DELETE', path: '/sessions', headers: json, body: deleteBody({ session_ids: [t.seededSession], session_types: ['agent'] }) } },
    { op: 'POST /sessions/{session_id}/rename', mutation: 'known: empty name', invalid: true, expected: { status: 422 }, request: { method: 'POST', path: `${session}/rename`, headers: json, body: Buffer.from('{"session_name":""}') } },
    { op: 'GET /sessions/{session_id}/runs/{run_id}', mutation: 'known: a run not in the session', invalid: true, expected: { status: 404 }, request: { method: 'GET', path: `${session}/runs/no-such-run` } },
  ];
  return list.map((c, i) => ({ ...c, id: firstId + i }));
}
