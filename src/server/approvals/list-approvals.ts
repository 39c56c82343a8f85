/**
 * `GET /approvals` (AgentOS): the approvals pending now, one per run waiting for a person, newest
 * run first, in Agno's pages. Only pending ones are listed: an answered question is part of its
 * run's history, read by id; filters no approval here can match (another status or source type,
 * audit, an agent, team or schedule) list none.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, queryParameters, ref } from '../openapi/parts.ts';
import { badQuery, noRunStore } from './operation-parts.ts';
import { ApprovalsQuery } from './schemas.ts';
import type { Approval } from '../../contracts/wire-schemas/approvals.ts';
import { pendingApprovals } from './stored-approvals.ts';
import { pageMeta } from '../wire/page-meta.ts';

export const listApprovals = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/approvals',
  operation: () => ({
    summary: 'List the approvals pending: runs waiting for a person (AgentOS)',
    parameters: queryParameters(ApprovalsQuery),
    responses: { '200': answer('A page of approvals, newest first', json(ref('ApprovalsPage'))), '422': badQuery(), '503': noRunStore() },
  }),
  query: ApprovalsQuery,
  async handle(c, deps, { query }) {
    const started = performance.now();
    const matchesNone =
      (query.status !== undefined && query.status !== 'pending') ||
      (query.source_type !== undefined && query.source_type !== 'workflow') ||
      query.approval_type === 'audit' ||
      query.agent_id !== undefined ||
      query.team_id !== undefined ||
      query.schedule_id !== undefined;
    const all: Approval[] = matchesNone
      ? []
      : await pendingApprovals(deps, { workflowId: query.workflow_id, userId: c.get('caller').userId ?? query.user_id, runId: query.run_id, pauseType: query.pause_type });
    const from = (query.page - 1) * query.limit;
    return c.json({
      data: all.slice(from, from + query.limit),
      meta: pageMeta(query, all.length, started),
    });
  },
});
