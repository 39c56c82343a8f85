/**
 * Scheduling priority for one thread of this process, by its name (a worker thread's `name`,
 * which Node gives the OS thread): Linux schedules threads on their own, and a thread's nice value
 * is its own (setpriority on its thread id).
 *
 * The SSE load test runs everything on one machine: the Temporal server, the worker, a thousand
 * clients parsing their streams and the API. In production the API has CPU of its own (its own
 * pods or processes, apart from workers and clients); here, at equal priority, the clients and
 * the worker took the cores from it, and its clients waited for its CPU, not for its work.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Sets the nice value of this process's threads named `name`; says what it did, or why it could not. */
export function prioritizeThread(name: string, nice: number): string {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return `equal priority (no /proc/self/task on ${process.platform})`;
  }
  const named = tasks.filter((tid) => {
    try {
      return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
  if (named.length === 0) return `equal priority (no thread named ${name})`;
  try {
    for (const tid of named) setPriority(Number(tid), nice);
    return `nice ${nice}`;
  } catch (err) {
    // Raising a priority needs CAP_SYS_NICE (root has it); without it the test runs at equal priority.
    return `equal priority (nice ${nice} refused: ${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
}
