/**
 * The API process's settings from the environment, read here, in the composition root, so that
 * the server itself reads none: `TEMPORAL_UI_URL` (links to runs), `API_CORS_ORIGINS` (web pages
 * that may call the API, comma-separated, `*` for any) and `API_LISTEN_BACKLOG`.
 */
import { DEFAULT_LISTEN_BACKLOG } from '../server/serve.ts';

export interface ApiEnvSettings {
  webUiUrl?: string;
  corsOrigins: string[];
  listenBacklog: number;
}

export function apiSettingsFromEnv(env: NodeJS.ProcessEnv): ApiEnvSettings {
  return {
    webUiUrl: env.TEMPORAL_UI_URL || undefined,
    corsOrigins: (env.API_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    listenBacklog: listenBacklogFrom(env.API_LISTEN_BACKLOG),
  };
}

function listenBacklogFrom(value: string | undefined): number {
  if (!value) return DEFAULT_LISTEN_BACKLOG;
  const backlog = Number(value);
  if (!Number.isInteger(backlog) || backlog < 1) throw new Error(`API_LISTEN_BACKLOG must be a positive integer, got ${JSON.stringify(value)}.`);
  return backlog;
}
