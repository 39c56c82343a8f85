/**
 * A real S3-protocol server for tests: moto's server mode (PyPI `moto[server]`, installed by
 * scripts/setup.sh), on a free loopback port, with buckets created on demand. `stop()` kills it.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { findPythonTool } from '../../src/dev-server/find-python-tool.ts';
import { killProcess, startProcess } from './processes.ts';

export interface S3Server {
  endpoint: string;
  /** Creates a bucket and returns the environment that points the S3 blob store at it. */
  bucket(name: string): Promise<NodeJS.ProcessEnv>;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** `MOTO_SERVER_PATH`, else `moto_server` on PATH, else in the scripts folder of Python's pip installs. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MOTO_SERVER_PATH) return env.MOTO_SERVER_PATH;
  const found = findPythonTool('moto_server', env);
  if (!found) throw new Error('moto_server was not found: run scripts/setup.sh (python3 -m pip install "moto[server]") or set MOTO_SERVER_PATH.');
  return found;
}

export async function startS3Server(): Promise<S3Server> {
  // Port 0: the server picks a free port and prints it, so two test files never race for one.
  const started = await startProcess({
    command: findMotoServer(),
    args: ['-H', '127.0.0.1', '-p', '0'],
    env: { ...process.env, ...awsEnv() },
    ready: /Running on http:\/\/127\.0\.0\.1:\d+/,
  });
  const port = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(started.output())![1];
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
  return {
    endpoint,
    async bucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return { BLOB_STORE: 's3', BLOB_S3_BUCKET: name, BLOB_S3_ENDPOINT: endpoint, BLOB_S3_REGION: 'us-east-1', ...awsEnv() };
    },
    async stop() {
      client.destroy();
      await killProcess(started.child);
    },
  };
}

function awsEnv(): NodeJS.ProcessEnv {
  return { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey };
}
