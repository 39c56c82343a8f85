/** The filters of a run list as the engine takes them: a caller bound to a user only ever lists that user's runs. */
import type { z } from 'zod';
import type { RunFilters } from '../../engine/engine.ts';
import type { ListRunsQuery } from './schemas.ts';

export function listFilters(query: z.output<typeof ListRunsQuery>, callerUserId: string | undefined): RunFilters {
  return {
    definitionId: query.workflow_id,
    sessionId: query.session_id,
    userId: callerUserId ?? query.user_id,
    status: query.status,
    limit: query.limit,
  };
}
