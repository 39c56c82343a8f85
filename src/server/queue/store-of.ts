/** The run store the queue's views read: without one (an engine that reads through Temporal) they answer 503. */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { RunStore } from '../../run-store/run-store.ts';

export function queueStoreOf(deps: ServerDeps): RunStore {
  if (!deps.engine.runStore) throw new HttpError(503, 'This API has no run store: the queue is not readable here.');
  return deps.engine.runStore;
}
