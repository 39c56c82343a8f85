/**
 * The API process's settings from the environment, read here, in the composition root, so that
 * the server itself reads none: `TEMPORAL_UI_URL` (links to runs), `API_CORS_ORIGINS` (web pages
 * that may call the API, comma-separated, `*` for any), `API_LISTEN_BACKLOG`, `API_ACCEPT_SOCKETS`
 * (listening sockets of the port), `API_SHUTDOWN_GRACE_MS` (the longest a graceful shutdown
 * takes) and `CODEC_MAX_PAYLOAD_BYTES` (the largest payload the codec endpoint shows the Web UI
 * whole). Authentication's names (`OS_SECURITY_KEY`, `JWT_*`, `OS_SERVICE_ACCOUNTS_FILE`, …) are
 * read with the settings they make, by `authFromEnv` (src/server/http/auth.ts).
 */
import { DEFAULT_VIEW_MAX_BYTES } from '../data-plane/payload-view.ts';
import { DEFAULT_ACCEPT_SOCKETS, DEFAULT_LISTEN_BACKLOG, DEFAULT_SHUTDOWN_GRACE_MS } from '../server/serve.ts';

export interface ApiEnvSettings {
  webUiUrl?: string;
  corsOrigins: string[];
  listenBacklog: number;
  acceptSockets: number;
  shutdownGraceMs: number;
  codecMaxBytes: number;
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv): ApiEnvSettings {
  return {
    webUiUrl: env.TEMPORAL_UI_URL || undefined,
    corsOrigins: (env.API_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    listenBacklog: integerFrom('API_LISTEN_BACKLOG', env.API_LISTEN_BACKLOG, DEFAULT_LISTEN_BACKLOG, 1),
    acceptSockets: integerFrom('API_ACCEPT_SOCKETS', env.API_ACCEPT_SOCKETS, DEFAULT_ACCEPT_SOCKETS, 1),
    shutdownGraceMs: integerFrom('API_SHUTDOWN_GRACE_MS', env.API_SHUTDOWN_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS, 0),
    codecMaxBytes: integerFrom('CODEC_MAX_PAYLOAD_BYTES', env.CODEC_MAX_PAYLOAD_BYTES, DEFAULT_VIEW_MAX_BYTES, 1024),
  };
}

function integerFrom(name: string, value: string | undefined, fallback: number, min: number): number {
  if (!value) return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) throw new Error(`${name} must be an integer of at least ${min}, got ${JSON.stringify(value)}.`);
  return number;
}
