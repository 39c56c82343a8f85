/**
 * Temporal's own count of Actions (what Temporal Cloud bills) from the dev server's Prometheus
 * metrics: the `action` counter, summed over its labels. Benchmarks take it before and after what
 * they measure.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';

/** The metrics port a dev server was started with (`--metrics-port`, as the harness starts it). */
export function metricsPortOf(devServer: ChildProcess): string {
  const args = devServer.spawnargs;
  const at = args.indexOf('--metrics-port');
  if (at < 0) throw new Error('the dev server was started without --metrics-port');
  return args[at + 1]!;
}

/** The Actions counted so far. */
async function actionsNow(metricsPort: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) if (/^action[{ ]/.test(line)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

/** The count once the server has reported what it did (its metrics are flushed every second or so): the same twice, 1.5 s apart. */
export async function actionsSoFar(metricsPort: string): Promise<number> {
  for (let last = await actionsNow(metricsPort); ; ) {
    await delay(1500);
    const now = await actionsNow(metricsPort);
    if (now === last) return now;
    last = now;
  }
}
