/** The codec routes show any run's payloads: only a caller not bound to a user (the operators' key, or no auth) may use them. */
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.ts';

export function operatorsOnly(c: Context<AppEnv>): Response | undefined {
  if (c.get('caller').userId === undefined) return undefined;
  return c.json({ detail: "The codec endpoint shows every user's payloads: use the operators' key (OS_SECURITY_KEY)." }, 403);
}
