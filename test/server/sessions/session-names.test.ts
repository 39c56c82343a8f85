/**
 * Session names are per user, like runs (`OS_USER_KEYS`): when Bob starts a run under Alice's
 * session id, his rename and his delete change only his own view of that session, never the name
 * Alice sees in `GET /sessions/{id}` or in her list. A name kept by session id alone (as names were
 * before they were per user) stays the name its session's owner sees, and only theirs.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../../src/data-plane/local-blob-store.ts';
import { encodeSegment } from '../../../src/data-plane/blob-keys.ts';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { postForm, postJson } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { ADMIN, ALICE, BOB, bearer, userKeysAuth } from '../../support/user-keys.ts';

const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });

let h: ApiHarness;
let secured: ApiServer;
let dataDir: string;
let blobs: LocalBlobStore;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'session-names-'));
  blobs = new LocalBlobStore(dataDir);
  h = await startApiHarness([echo]);
  secured = await h.serve({ blobs, authenticate: userKeysAuth() });
});
after(async () => {
  await h?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startAs(key: string, session: string, message: string): Promise<string> {
  const response = await postForm(`${secured.url}/workflows/echo/runs`, { stream: 'false', message, session_id: session }, bearer(key));
  assert.equal(response.status, 200, `start as ${key}`);
  return ((await response.json()) as { run_id: string }).run_id;
}

/** The session's name as this key sees it: its detail and its row in the list (which must agree). */
async function nameSeenBy(key: string, session: string): Promise<string> {
  const detail = await fetch(`${secured.url}/sessions/${session}`, { headers: bearer(key) });
  assert.equal(detail.status, 200, `GET /sessions/${session} as ${key}`);
  const listed = (await (await fetch(`${secured.url}/sessions?limit=100`, { headers: bearer(key) })).json()) as { data: { session_id: string; session_name: string }[] };
  const name = ((await detail.json()) as { session_name: string }).session_name;
  assert.equal(listed.data.find((row) => row.session_id === session)?.session_name, name, `${key}: the list and the detail agree`);
  return name;
}

/** Both users' runs of the session listed (visibility lags a moment behind a start). */
async function bothListed(session: string): Promise<void> {
  await waitUntil(`session ${session} to list both users' runs`, async () => {
    const runs = async (key: string) => (await fetch(`${secured.url}/sessions/${session}/runs`, { headers: bearer(key) })).status === 200;
    return (await runs(ALICE)) && (await runs(BOB));
  });
}

describe('session names per user', () => {
  it('another user’s rename and delete under the same session id never change what its owner sees', async () => {
    const session = `shared-${Date.now()}`;
    const alicesRun = await startAs(ALICE, session, 'alice writes');
    await startAs(BOB, session, 'bob writes');
    await bothListed(session);
    const renamed = await postJson(`${secured.url}/sessions/${session}/rename`, { session_name: 'Alice’s plans' }, bearer(ALICE));
    assert.equal(renamed.status, 200);
    assert.equal(await nameSeenBy(ALICE, session), 'Alice’s plans');
    assert.equal(await nameSeenBy(BOB, session), 'bob writes', 'Bob sees his own view, named after his first run');

    const bobsRename = await postJson(`${secured.url}/sessions/${session}/rename`, { session_name: 'Bob was here' }, bearer(BOB));
    assert.equal(bobsRename.status, 200);
    assert.equal(((await bobsRename.json()) as { session_name: string }).session_name, 'Bob was here');
    assert.equal(await nameSeenBy(BOB, session), 'Bob was here');
    assert.equal(await nameSeenBy(ALICE, session), 'Alice’s plans', 'Bob’s rename leaves Alice’s name');

    assert.equal((await fetch(`${secured.url}/sessions/${session}`, { method: 'DELETE', headers: bearer(BOB) })).status, 204);
    assert.equal((await fetch(`${secured.url}/sessions/${session}`, { headers: bearer(BOB) })).status, 404, 'Bob’s view is gone');
    assert.equal(await nameSeenBy(ALICE, session), 'Alice’s plans', 'Bob’s delete leaves Alice’s name');
    const alicesRuns = (await (await fetch(`${secured.url}/sessions/${session}/runs`, { headers: bearer(ALICE) })).json()) as { run_id: string }[];
    assert.deepEqual(alicesRuns.map((run) => run.run_id), [alicesRun]);
    // The admin's view holds every user's runs: it shows the name of the user whose run began it.
    assert.equal(await nameSeenBy(ADMIN, session), 'Alice’s plans');
  });

  it('a name kept by session id alone is its owner’s: read by them, not by another user, and deleted with their runs', async () => {
    const session = `legacy-${Date.now()}`;
    await startAs(ALICE, session, 'alice first');
    await startAs(BOB, session, 'bob second');
    await bothListed(session);
    const legacyKey = `sessions/default/${encodeSegment(session)}.json`;
    await blobs.put(legacyKey, new TextEncoder().encode(JSON.stringify({ session_name: 'Named long ago', updated_at: 1 })));
    assert.equal(await nameSeenBy(ALICE, session), 'Named long ago');
    assert.equal(await nameSeenBy(BOB, session), 'bob second');
    assert.equal(await nameSeenBy(ADMIN, session), 'Named long ago');

    assert.equal((await fetch(`${secured.url}/sessions/${session}`, { method: 'DELETE', headers: bearer(BOB) })).status, 204);
    assert.ok(await blobs.get(legacyKey), 'Bob’s delete keeps the owner’s name');
    assert.equal(await nameSeenBy(ALICE, session), 'Named long ago');
    assert.equal((await fetch(`${secured.url}/sessions/${session}`, { method: 'DELETE', headers: bearer(ALICE) })).status, 204);
    assert.equal(await blobs.get(legacyKey), undefined, 'the owner’s delete removes it');
  });
});
