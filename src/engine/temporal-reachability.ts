/**
 * Whether Temporal can be reached, from the state of the gRPC channel, so that calls fail at once
 * while it cannot. Temporal's client retries an UNAVAILABLE call ten times with backoff (about
 * 20 s in all): right for a blip on a live connection, but when the server is down every attempt
 * fails the same way, and each request waits out all ten before its answer. Here a call that
 * failed because no connection could be made (the channel in TRANSIENT_FAILURE: it tried to
 * connect and could not) is not retried, and its error says so: "Temporal is unreachable at
 * <address>: connect ECONNREFUSED ...". The channel keeps reconnecting in the background; calls
 * succeed again as soon as it is READY, without restarting anything.
 */
import { connectivityState, InterceptingCall, status as GrpcStatus } from '@grpc/grpc-js';
import type { ChannelOptions, Interceptor, Metadata, StatusObject } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions } from '@temporalio/client';
import type { GrpcRetryOptions } from '@temporalio/client';

/** In-process mark on a failed call's metadata (never sent): its failure is Temporal being unreachable. */
const UNREACHABLE_MARK = 'x-durable-agents-temporal-unreachable';

/**
 * Channel options for a prompt return: gRPC's reconnect backoff grows to 120 s by default, so
 * after a long outage the API would stay unavailable up to two minutes after Temporal came back.
 * An attempt every few seconds at most costs one TCP handshake.
 */
export const RECONNECT_CHANNEL_ARGS: ChannelOptions = { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 3000 };

/** What is watched of a gRPC channel. */
export interface WatchedChannel {
  getConnectivityState(tryToConnect: boolean): connectivityState;
}

export class TemporalReachability {
  private channel: WatchedChannel | undefined;
  private readonly address: string;

  constructor(address: string) {
    this.address = address;
  }

  /** Watches this channel from now on (the connection's, once it is made). */
  watch(channel: WatchedChannel): void {
    this.channel = channel;
  }

  /** True while the channel has tried to connect and failed (and not yet connected again). */
  isDown(): boolean {
    return this.channel?.getConnectivityState(false) === connectivityState.TRANSIENT_FAILURE;
  }

  /** Temporal's retries, without the ones that cannot help: a call refused for want of a connection. */
  retryOptions(): GrpcRetryOptions {
    const defaults = defaultGrpcRetryOptions();
    return {
      delayFunction: defaults.delayFunction,
      retryableDecider: (attempt, status) => !isMarked(status.metadata) && defaults.retryableDecider(attempt, status),
    };
  }

  /** Marks the UNAVAILABLE failures of calls made while Temporal is unreachable, with a clear message. */
  readonly interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        next(metadata, {
          ...listener,
          onReceiveStatus: (status: StatusObject) => listener.onReceiveStatus?.(status.code === GrpcStatus.UNAVAILABLE && this.isDown() ? this.unreachable(status) : status),
        });
      },
    });

  private unreachable(status: StatusObject): StatusObject {
    // gRPC's text: "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:7233 (...). Resolution note: "
    const cause = /Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/s.exec(status.details)?.[1] || status.details;
    const metadata = status.metadata.clone();
    metadata.set(UNREACHABLE_MARK, this.address);
    return { ...status, details: `Temporal is unreachable at ${this.address}: ${cause}`, metadata };
  }
}

function isMarked(metadata: Metadata | undefined): boolean {
  return typeof metadata?.get === 'function' && metadata.get(UNREACHABLE_MARK).length > 0;
}

/**
 * The message of an error that is Temporal being unreachable (see above), as the client's error
 * or its cause carries it; undefined for any other error.
 */
export function temporalUnreachableMessage(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { metadata, details, cause } = current as { metadata?: Metadata; details?: unknown; cause?: unknown };
    if (isMarked(metadata) && typeof details === 'string') return details;
    current = cause;
  }
  return undefined;
}
