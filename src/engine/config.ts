/**
 * Where runs execute and how to reach it, from the environment: the names Temporal's own tools
 * read (its "environment configuration"), loaded by the SDK's own loader, so a Temporal that asks
 * for TLS, mTLS or an API key (Temporal Cloud among them) is reached with the same variables the
 * Temporal CLI takes. See docs/deploy.md, "Connecting to Temporal".
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';

export interface TemporalConfig {
  /** `host:port` of the Temporal frontend. */
  address: string;
  namespace: string;
  taskQueue: string;
  /** How the connection proves itself and protects its bytes; none: plain gRPC. */
  security?: TemporalSecurity;
}

/** The parts of a connection beyond its address; the same for the API's client and the worker's native connection. */
export interface TemporalSecurity {
  /** `true`: TLS with the system's roots; an object: server CA, client certificate pair (mTLS), server name. */
  tls?: TLSConfig | boolean;
  /** Sent as `authorization: Bearer <key>` on every call (and turns TLS on unless it is disabled). */
  apiKey?: string;
  /** gRPC metadata sent on every call (`TEMPORAL_GRPC_META_<NAME>`). */
  metadata?: Record<string, string>;
}

export const DEFAULT_TASK_QUEUE = 'durable-agents';

/**
 * The profile file (TOML) is read only when `TEMPORAL_CONFIG_FILE` or `TEMPORAL_PROFILE` names
 * it: a developer's CLI profile in its default place must not send `npm start` elsewhere.
 */
export function temporalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const defined = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const { connectionOptions, namespace } = loadClientConnectConfig({
    overrideEnvVars: defined,
    disableFile: !defined.TEMPORAL_CONFIG_FILE && !defined.TEMPORAL_PROFILE,
  });
  const { tls, apiKey, metadata } = connectionOptions;
  const security: TemporalSecurity = {
    ...(tls !== undefined && tls !== null ? { tls } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(metadata && Object.keys(metadata).length > 0 ? { metadata: Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, String(value)])) } : {}),
  };
  return {
    address: connectionOptions.address || 'localhost:7233',
    namespace: namespace || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    ...(Object.keys(security).length > 0 ? { security } : {}),
  };
}

/**
 * `given` (code's options) over the environment's. An address given in code names another server:
 * the environment's credentials are not for it, so they apply only with the environment's address.
 */
export function resolveTemporalConfig(given: Partial<TemporalConfig>, env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const fromEnv = temporalConfigFromEnv(env);
  const defined = Object.fromEntries(Object.entries(given).filter((entry) => entry[1] !== undefined)) as Partial<TemporalConfig>;
  return { ...fromEnv, ...defined, security: defined.security ?? (defined.address ? undefined : fromEnv.security) };
}

/** The options both kinds of connection take, for `config`. */
export function connectionOptionsOf(config: Pick<TemporalConfig, 'address' | 'security'>): { address: string } & TemporalSecurity {
  return { address: config.address, ...config.security };
}
