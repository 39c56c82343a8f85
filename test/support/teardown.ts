/**
 * Closes what a test started, newest first. Every step runs whatever happened to the ones before
 * it, and each has a deadline, so one failing or hanging part (a worker that crashed, a fake that
 * will not close) never leaves a Temporal server or a child process behind.
 */
import { withDeadline } from './wait.ts';

const STEP_DEADLINE_MS = 30_000;

export class Teardown {
  private readonly steps: { name: string; close: () => unknown }[] = [];

  add(name: string, close: () => unknown): void {
    this.steps.push({ name, close });
  }

  /** Waits for `starting` and registers `close` for its value; a start that fails registers nothing. */
  async start<T>(name: string, starting: Promise<T>, close: (value: T) => unknown): Promise<T> {
    const value = await starting;
    this.add(name, () => close(value));
    return value;
  }

  /**
   * Starts parts side by side. If any fails, waits for the others to settle, closes those that
   * started, and throws the first failure.
   */
  async startAll<T extends readonly unknown[]>(starting: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
    const results = await Promise.allSettled(starting);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) {
      await this.runAfterFailure();
      throw failure.reason;
    }
    return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
  }

  /** Runs every step (newest first); throws one error naming each step that failed. */
  async run(): Promise<void> {
    const errors: Error[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      const { name, close } = step;
      try {
        await withDeadline(`closing ${name}`, Promise.resolve().then(close), STEP_DEADLINE_MS);
      } catch (err) {
        errors.push(new Error(`closing ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, errors.map((err) => err.message).join('; '));
  }

  /** After a failed start: closes what started, reporting (not throwing) what would not close. */
  async runAfterFailure(): Promise<void> {
    await this.run().catch((err: unknown) => console.error('cleaning up after a failed start:', err));
  }
}
