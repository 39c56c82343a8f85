import { Context } from '@temporalio/activity';

/**
 * Runs `work` while heartbeating once a second, so a crashed worker is noticed after the
 * heartbeat timeout (not the whole call timeout) and cancellation reaches the activity.
 */
export async function withHeartbeats<T>(work: () => Promise<T>, everyMs = 1000): Promise<T> {
  const ctx = Context.current();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
