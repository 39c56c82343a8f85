/**
 * The run store's writes on PostgreSQL, as in production: a content-creation run reaches a
 * throwaway server's database whole. Skipped, loudly, without PostgreSQL; in CI it runs.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { postgresMissing, startPostgres } from '../support/postgres-server.ts';
import type { PostgresServer } from '../support/postgres-server.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { assertStoreHoldsRun } from './support/store-holds-run.ts';

const skip = skipWithoutTool('test/run-store/writes-postgres.test.ts', postgresMissing());
let server: PostgresServer | undefined;
let h: Harness | undefined;

before(async () => {
  if (skip) return;
  server = await startPostgres();
  h = await startHarness({ runStoreEnv: { RUN_STORE: 'postgres', RUN_STORE_DATABASE_URL: await server.createDatabase() } });
  await h.startWorker([contentCreationWorkflow]);
  h.openai.setHandler(contentCreationReply);
});
after(async () => {
  await h?.close();
  await server?.stop();
});

it('holds a content-creation run whole in PostgreSQL', { skip, timeout: 180_000 }, async () => {
  const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h!.engine });
  const output = await h!.engine.waitForRun(run.run_id);
  assert.equal(output.status, 'COMPLETED', output.error);
  assert.equal(output.content, CONTENT_PLAN);
  await assertStoreHoldsRun(h!, output);
});
