/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so they are checked
 * against the project instead: every service's command is a real entry point, every variable the
 * app reads is passed, and everything the image copies exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { environmentReads } from '../support/env-reads.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  deploy?: { replicas?: number };
  entrypoint?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

/**
 * Variables the services leave unset on purpose: the listen address is set per service (PORT) or
 * right by default (HOST); the rest configure `npm start`'s embedded dev server, local blob store and SQLite run store, and
 * DATABASE_URL is RUN_STORE_DATABASE_URL's fallback, which the services set.
 */
const NOT_FOR_SERVICES = ['PORT', 'HOST', 'DATA_DIR', 'BLOB_LOCAL_RESERVE_BYTES', 'TEMPORAL_DEV_SERVER_PORT', 'TEMPORAL_UI_PORT', 'RUN_STORE_PATH', 'DATABASE_URL'];
/** Source read by neither service: the CLI, and the finding of the Temporal CLI for the embedded dev server. */
const OUTSIDE_SERVICES = /^src\/(cli|dev-server)\//;
/** Source only the API process runs. */
const API_ONLY = /^src\/(server\/|os\/api-env\.ts$)/;

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL, the Web UI, scalable workers and API replicas behind one port', () => {
    assert.deepEqual(Object.keys(services).sort(), ['api', 'gateway', 'minio', 'minio-setup', 'postgresql', 'redis', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
    // The rest of the Temporal deployment: ./temporal.test.ts.
    assert.equal(services.temporal!.environment!.POSTGRES_SEEDS, 'postgresql');
    assert.equal(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS, 'temporal:7233');
    for (const name of ['worker', 'api']) {
      const service = services[name]!;
      assert.equal(service.build, '.', `${name} builds the app image`);
      assert.equal(service.environment!.TEMPORAL_ADDRESS, 'temporal:7233');
      assert.ok((service.deploy?.replicas ?? 1) >= 2, `${name} runs replicas`);
      assert.equal(service.ports, undefined, `${name} publishes no fixed host port, so it can scale`);
    }
    for (const name of ['worker', 'api']) {
      const service = services[name]!;
      // Workers and APIs on several machines share one blob store: MinIO, with its bucket made first.
      assert.equal(service.environment!.BLOB_STORE, 's3');
      assert.equal(service.environment!.BLOB_S3_ENDPOINT, 'http://minio:9000');
      assert.deepEqual((service.depends_on as Record<string, unknown>)['minio-setup'], { condition: 'service_completed_successfully' });
      assert.ok(services['minio-setup']!.entrypoint!.join(' ').includes(`mc mb --ignore-existing blobs/${service.environment!.BLOB_S3_BUCKET}`));
    }
    for (const name of ['worker', 'api']) {
      // Token deltas go from the worker that streams them to every API replica through Redis.
      const service = services[name]!;
      assert.equal(service.environment!.LIVE_LANE, 'redis');
      assert.equal(service.environment!.REDIS_URL, 'redis://redis:6379');
      assert.deepEqual((service.depends_on as Record<string, unknown>).redis, { condition: 'service_healthy' });
    }
    assert.deepEqual(services.gateway!.ports, ['7777:7777']);
    assert.ok(services.gateway!.volumes!.some((volume) => volume.startsWith('./deploy/nginx.conf:')));
    assert.match(read('deploy/nginx.conf'), /proxy_buffering off/);
  });

  it('runs the real entry points with every variable the app reads', () => {
    const expected = { worker: 'src/entrypoints/worker.ts', api: 'src/entrypoints/server.ts' };
    for (const [name, entry] of Object.entries(expected)) {
      assert.deepEqual(services[name]!.command, ['node', entry]);
      assert.ok(existsSync(join(ROOT, entry)), entry);
    }
    const reads = environmentReads(ROOT);
    for (const variable of NOT_FOR_SERVICES) assert.ok(reads.has(variable), `${variable} is no longer read: drop it from NOT_FOR_SERVICES`);
    for (const [variable, files] of reads) {
      const readers = [...files].filter((file) => !OUTSIDE_SERVICES.test(file));
      if (readers.length === 0 || NOT_FOR_SERVICES.includes(variable)) continue;
      const where = readers.join(', ');
      assert.ok(variable in services.api!.environment!, `api lacks ${variable} (read in ${where})`);
      if (!readers.every((file) => API_ONLY.test(file))) assert.ok(variable in services.worker!.environment!, `worker lacks ${variable} (read in ${where})`);
    }
    assert.ok(reads.get('TEMPORAL_UI_URL')?.has('src/os/api-env.ts'), 'the scan finds what the app reads');
    assert.equal(services.api!.environment!.PORT, '7777');
  });
});

describe('Dockerfile', () => {
  it('copies files that exist and starts a real entry point', () => {
    const dockerfile = read('Dockerfile');
    for (const match of dockerfile.matchAll(/^COPY\s+(.+)\s+\S+$/gm)) {
      for (const source of match[1]!.split(/\s+/)) assert.ok(existsSync(join(ROOT, source)), `COPY ${source}`);
    }
    const cmd = /^CMD\s+(\[.*\])$/m.exec(dockerfile);
    const [, entry] = JSON.parse(cmd![1]!) as string[];
    assert.ok(existsSync(join(ROOT, entry!)), entry);
    assert.match(dockerfile, /^FROM node:2[2-9]/m, 'Node 22 or newer');
  });
});
