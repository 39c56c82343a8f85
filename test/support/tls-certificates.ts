/**
 * Certificates for tests of TLS and mTLS, made with the system's `openssl`: a CA, a server
 * certificate for `localhost` and 127.0.0.1 signed by it, a client certificate signed by it, and a
 * stranger's client certificate signed by a CA the server does not trust.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertificatePair {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
}

export interface TestCertificates {
  dir: string;
  caPath: string;
  ca: Buffer;
  server: CertificatePair;
  client: CertificatePair;
  /** Signed by another CA: a server that checks client certificates refuses it. */
  stranger: CertificatePair;
  remove(): Promise<void>;
}

export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-'));
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const ca = async (name: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
  /** Extensions say what the certificate is for: the server's names, or client authentication. */
  const signed = async (name: string, caName: string, extensions: string): Promise<CertificatePair> => {
    await writeFile(join(dir, `${name}.ext`), extensions);
    await openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    return pair(dir, name);
  };
  await ca('test-ca');
  await ca('other-ca');
  const server = await signed('server', 'test-ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  const client = await signed('client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  const stranger = await signed('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caPath: join(dir, 'test-ca.crt'),
    ca: await readFile(join(dir, 'test-ca.crt')),
    server,
    client,
    stranger,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function pair(dir: string, name: string): Promise<CertificatePair> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  return { certPath, keyPath, cert: await readFile(certPath), key: await readFile(keyPath) };
}
