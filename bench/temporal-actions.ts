/**
 * Temporal's own count of Actions (what Temporal Cloud bills) from the dev server's Prometheus
 * metrics (`DevServer.metricsUrl`): the `action` counter, summed over its labels. Benchmarks take
 * it before and after what they measure.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** The Actions counted so far. */
async function actionsNow(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) if (/^action[{ ]/.test(line)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

/** The count once the server has reported what it did (its metrics are flushed every second or so): the same twice, 1.5 s apart. */
export async function actionsSoFar(metricsUrl: string): Promise<number> {
  for (let last = await actionsNow(metricsUrl); ; ) {
    await delay(1500);
    const now = await actionsNow(metricsUrl);
    if (now === last) return now;
    last = now;
  }
}
