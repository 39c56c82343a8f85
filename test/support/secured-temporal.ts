/**
 * A Temporal frontend that asks what Temporal Cloud asks of a client: TLS, optionally a client
 * certificate its CA signed (mTLS), and an API key in `authorization: Bearer <key>`. An HTTP/2
 * server over TLS in front of a plain-gRPC frontend (the dev server), passing each gRPC call
 * through, headers, messages and trailers, and answering UNAUTHENTICATED itself when the key is
 * wrong. It counts the calls it let through, by method, and those it refused.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface SecuredTemporalOptions {
  /** `host:port` of the plain-gRPC frontend behind it. */
  upstream: string;
  cert: Buffer;
  key: Buffer;
  /** Set: clients must present a certificate this CA signed. */
  clientCa?: Buffer;
  /** Set: calls must carry this key. */
  apiKey?: string;
}

export interface SecuredTemporal {
  /** `127.0.0.1:port`. */
  address: string;
  /** Calls passed through, by gRPC method (`StartWorkflowExecution`, ...). */
  passed: Map<string, number>;
  /** Calls refused for their key. */
  refused: number;
  close(): Promise<void>;
}

const UNAUTHENTICATED = 16;

export async function startSecuredTemporal(options: SecuredTemporalOptions): Promise<SecuredTemporal> {
  const upstream = http2.connect(`http://${options.upstream}`);
  upstream.on('error', () => {});
  const passed = new Map<string, number>();
  const front: SecuredTemporal = { address: '', passed, refused: 0, close: async () => {} };
  const server = http2.createSecureServer({
    cert: options.cert,
    key: options.key,
    ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  });
  server.on('stream', (stream, headers) => {
    if (options.clientCa && !(stream.session?.socket as TLSSocket | undefined)?.authorized) {
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
      front.refused++;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(UNAUTHENTICATED), 'grpc-message': 'missing or wrong API key' }, { endStream: true });
      return;
    }
    const method = String(headers[':path']).split('/').at(-1)!;
    passed.set(method, (passed.get(method) ?? 0) + 1);
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':') || name === ':method' || name === ':path'));
    const call = upstream.request(forwarded);
    let trailers: http2.OutgoingHttpHeaders = {};
    call.on('response', (responseHeaders) => {
      const head = Object.fromEntries(Object.entries(responseHeaders).filter(([name]) => !name.startsWith(':') || name === ':status'));
      // A trailers-only answer (an error with no message) carries grpc-status in its headers.
      if (responseHeaders['grpc-status'] !== undefined) stream.respond(head, { endStream: true });
      else stream.respond(head, { waitForTrailers: true });
    });
    call.on('trailers', (received) => (trailers = received));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('data', (chunk: Buffer) => {
      if (!stream.destroyed && stream.headersSent) stream.write(chunk);
    });
    call.on('end', () => {
      if (!stream.destroyed && stream.headersSent && !stream.writableEnded) stream.end();
    });
    call.on('error', () => stream.destroy());
    stream.on('data', (chunk: Buffer) => call.write(chunk));
    stream.on('end', () => call.end());
    stream.on('close', () => {
      if (!call.destroyed) call.close();
    });
    stream.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  front.close = async () => {
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    upstream.close();
  };
  return front;
}
