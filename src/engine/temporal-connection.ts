/**
 * The gRPC connection to Temporal that engines use. It fails calls at once while Temporal cannot
 * be reached, rather than retrying them for 20 s, and reconnects promptly once it can (see
 * temporal-reachability.ts). And Temporal's client retries a call that failed
 * with a transient status on a timer; when the connection is closed in the meantime (an API
 * shutting down while a query waits for a worker), that timer's new attempt throws "Channel has
 * been shut down" from inside the timer, an uncaught exception. Here such an attempt fails as a
 * cancelled call instead, which its caller sees as a rejected promise like any other failure.
 */
import { InterceptingCall, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { Interceptor, InterceptingListener } from '@grpc/grpc-js';

type CallBelow = ConstructorParameters<typeof InterceptingCall>[0];
import { Connection, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { ConnectionOptions } from '@temporalio/client';
import { RECONNECT_CHANNEL_ARGS, TemporalReachability } from './temporal-reachability.ts';
import type { WatchedChannel } from './temporal-reachability.ts';

export async function connectTemporal(options: ConnectionOptions): Promise<Connection> {
  const reachability = new TemporalReachability(options.address ?? 'localhost:7233');
  // Outermost first: the retries see the failures the reachability interceptor has marked.
  const connection = await Connection.connect({
    ...options,
    channelArgs: { ...RECONNECT_CHANNEL_ARGS, ...options.channelArgs },
    interceptors: [makeGrpcRetryInterceptor(reachability.retryOptions()), reachability.interceptor, closedChannelInterceptor],
  }).catch((err: unknown) => {
    throw connectionFailure(options.address ?? 'localhost:7233', err);
  });
  // The SDK keeps its gRPC client protected; its channel's state is what tells a refused connection.
  reachability.watch((connection as unknown as { client: { getChannel(): WatchedChannel } }).client.getChannel());
  return connection;
}

/**
 * What a process says when it cannot reach Temporal at start, for both kinds of connection. The
 * SDK's own errors say "Failed to connect" and keep the reason (a refused key, a certificate, a
 * closed port) in their cause.
 */
export function connectionFailure(address: string, err: unknown): Error {
  const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return new Error(`Could not connect to Temporal at ${address}: ${reason}`, { cause: err });
}

const closedChannelInterceptor: Interceptor = (options, nextCall) => {
  let below: CallBelow;
  try {
    below = nextCall(options);
  } catch (err) {
    if (!(err instanceof Error) || !/Channel has been shut down/.test(err.message)) throw err;
    below = cancelledCall(err.message);
  }
  return new InterceptingCall(below);
};

/** A call that ends at once, cancelled, without reaching the network. */
function cancelledCall(details: string): CallBelow {
  return {
    start(_metadata: Metadata, listener?: Partial<InterceptingListener>) {
      setImmediate(() => listener?.onReceiveStatus?.({ code: GrpcStatus.CANCELLED, details, metadata: new Metadata() }));
    },
    cancelWithStatus() {},
    getPeer: () => '',
    sendMessageWithContext() {},
    sendMessage() {},
    startRead() {},
    halfClose() {},
    getAuthContext: () => null,
  };
}
