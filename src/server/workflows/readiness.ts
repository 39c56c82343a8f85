/**
 * `GET /health/ready` (ours; `/health` stays AgentOS's liveness check): whether this API process
 * can serve now. 200 when Temporal, the run store, the blob store and the live lane's broker all
 * answer; 503 naming those that do not (with their error), and 503 at once while the process is
 * shutting down, so a load balancer sends new clients elsewhere. Public, like `/health`.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { dependencyChecks, runChecks } from './dependency-checks.ts';

export const readiness = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/health/ready',
  operation: () => ({
    summary: 'Readiness check',
    description: 'Each dependency (Temporal, run store, blob store, live lane) checked side by side, each within a short deadline.',
    responses: {
      '200': answer('Ready: every dependency answered', json(ref('Readiness'))),
      '503': answer('Not ready: the dependencies named in `failing` are down, or the server is shutting down', json(ref('Readiness'))),
    },
  }),
  async handle(c, deps) {
    // A 503 carries a `detail`, as every answer of this API that is not a success does.
    const shuttingDown = () => c.json({ status: 'shutting_down', checks: {}, detail: 'The server is shutting down.' }, 503);
    if (deps.shuttingDown.aborted) return shuttingDown();
    const checks = await runChecks(dependencyChecks(deps), deps.readinessTimeoutMs);
    if (deps.shuttingDown.aborted) return shuttingDown();
    const failing = Object.keys(checks).filter((name) => checks[name]!.status === 'down');
    if (failing.length === 0) return c.json({ status: 'ready', checks });
    const detail = `Not ready: ${failing.map((name) => `${name} (${checks[name]!.error})`).join(', ')}.`;
    return c.json({ status: 'not_ready', checks, failing, detail }, 503);
  },
});
