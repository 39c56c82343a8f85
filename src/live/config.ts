/**
 * Which live lane a process uses, from its environment: `LIVE_LANE=memory` (the default without
 * REDIS_URL) keeps token deltas inside the process, which is all `npm start` needs;
 * `LIVE_LANE=redis` (the default with REDIS_URL) carries them between separate workers and API
 * replicas; `LIVE_LANE=off` leaves streaming to the run's durable log alone.
 */
import type { LiveLane } from './lane.ts';
import { MemoryLane } from './memory-lane.ts';
import { RedisLane } from './redis-lane.ts';

export type LiveLaneKind = LiveLane['kind'];

export interface LiveLaneConfig {
  kind: LiveLaneKind;
  /** For `redis`: e.g. `redis://localhost:6379`. */
  redisUrl?: string;
}

export function liveLaneConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LiveLaneConfig {
  const redisUrl = env.REDIS_URL || undefined;
  const kind = (env.LIVE_LANE || (redisUrl ? 'redis' : 'memory')).toLowerCase();
  if (kind !== 'memory' && kind !== 'redis' && kind !== 'off') throw new Error(`LIVE_LANE must be memory, redis or off, not ${JSON.stringify(env.LIVE_LANE)}.`);
  if (kind === 'redis' && !redisUrl) throw new Error('LIVE_LANE=redis needs REDIS_URL (e.g. redis://localhost:6379).');
  return { kind, redisUrl };
}

export function openLiveLane(config: LiveLaneConfig, warn?: (line: string) => void): LiveLane {
  switch (config.kind) {
    case 'memory':
      return new MemoryLane();
    case 'redis':
      return new RedisLane({ url: config.redisUrl!, warn });
    case 'off':
      return offLane();
  }
}

/** A lane that carries nothing: streams then come from the run's log alone. */
export function offLane(): LiveLane {
  return {
    kind: 'off',
    publish: () => {},
    follow: () => () => {},
    health: () => ({ kind: 'off', connected: true, published: 0, dropped: 0, failed: 0, received: 0 }),
    checkReady: async () => 'off',
    close: async () => {},
  };
}

let processLane: LiveLane | undefined;

/**
 * The lane of this process, opened from its environment on first use. Workers and APIs in one
 * process share it, which is what makes the in-memory lane work for `npm start` and in-process
 * `workflow.arunStream`.
 */
export function defaultLiveLane(): LiveLane {
  processLane ??= openLiveLane(liveLaneConfigFromEnv());
  return processLane;
}

export function setDefaultLiveLane(lane: LiveLane): void {
  processLane = lane;
}
