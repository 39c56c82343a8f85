/**
 * The blob stores the data-plane tests run against — local files and a real S3-protocol server
 * (moto) — and the setup they share: the store started, the harness and a worker using it
 * through the environment (as `npm start` and the workers read it), all undone afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { WorkflowDefinition } from '../../../src/definitions/workflow.ts';
import { startHarness } from '../../support/harness.ts';
import type { Harness, HarnessOptions } from '../../support/harness.ts';
import { startS3Server } from '../../support/s3-server.ts';
import { withDeadline } from '../../support/wait.ts';

export const MB = 1024 * 1024;

/** Text of exactly `bytes` ASCII bytes that differs from run to run (no accidental sharing). */
export const textOf = (bytes: number, seed: string) => `${seed}:`.padEnd(bytes, 'abcdefghijklmnopqrstuvwxyz0123456789 ');

export interface StartedStore {
  /** What the harness and workers read to use this store. */
  env: NodeJS.ProcessEnv;
  /** How the harness runs beside it (e.g. Temporal's history on the same disk). */
  harness?: HarnessOptions;
  stop(): Promise<void>;
}

export interface BlobStoreUnderTest {
  name: string;
  start(): Promise<StartedStore>;
}

/** Local files in a temporary folder named after `label`. */
export function localBlobStore(label: string): BlobStoreUnderTest {
  return {
    name: 'local',
    async start() {
      const dir = await mkdtemp(join(tmpdir(), `${label}-`));
      return { env: { BLOB_STORE: 'local', DATA_DIR: dir }, stop: () => rm(dir, { recursive: true, force: true }) };
    },
  };
}

/** A moto server with a bucket named `label`. */
export function s3BlobStore(label: string): BlobStoreUnderTest {
  return {
    name: 'S3 (moto)',
    async start() {
      const server = await withDeadline('starting moto', startS3Server(), 60_000);
      return { env: await server.bucket(label), stop: () => server.stop() };
    },
  };
}

/** Both stores; `label` names the temporary folder and the bucket. */
export function blobStoresUnderTest(label: string): BlobStoreUnderTest[] {
  return [localBlobStore(label), s3BlobStore(label)];
}

/**
 * In a `describe`: before its tests, starts the store, a harness on it and a worker for
 * `workflows`; after them, stops all and restores the environment. Returns the harness's getter.
 */
export function useHarnessOn(store: BlobStoreUnderTest, workflows: WorkflowDefinition[]): () => Harness {
  let h: Harness | undefined;
  let started: StartedStore | undefined;
  const saved = { ...process.env };
  before(async () => {
    started = await store.start();
    // The harness gives its engine and workers the blob store of the environment.
    Object.assign(process.env, started.env);
    h = await startHarness(started.harness);
    await h.startWorker(workflows);
  });
  after(async () => {
    await h?.close();
    await started?.stop();
    for (const name of Object.keys(started?.env ?? {})) if (saved[name] === undefined) delete process.env[name];
    Object.assign(process.env, saved);
  });
  return () => {
    if (!h) throw new Error('The harness is not started: use it inside the tests of the describe.');
    return h;
  };
}
