/** AgentOS's pagination of a list's answer (`PaginationInfo`), as every paged route here sends it. */
import type { z } from 'zod';
import type { PageMeta } from '../../contracts/wire-schemas/common.ts';

/**
 * The meta of the page `query` names among `totalCount` items; `search_time_ms` is the time since
 * `searchStarted` (`performance.now()` when the route began its search), to a hundredth.
 */
export function pageMeta(query: { page: number; limit: number }, totalCount: number, searchStarted: number): z.infer<typeof PageMeta> {
  return {
    page: query.page,
    limit: query.limit,
    total_pages: Math.ceil(totalCount / query.limit),
    total_count: totalCount,
    search_time_ms: Math.round((performance.now() - searchStarted) * 100) / 100,
  };
}
