/**
 * A workflow whose one step records the order runs reach it and waits at a gate the test opens,
 * run by the in-process worker of the API harness: a run stays live exactly as long as a test
 * wants it to, and the order in which a session's runs executed is known.
 */
import { Context } from '@temporalio/activity';
import { Step } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';

export class GatedSteps {
  /** Inputs in the order their runs' step began. */
  readonly started: string[] = [];
  /** `begin <input>` and `end <input>` as runs' steps begin and end, in order. */
  readonly log: string[] = [];
  private readonly gates = new Map<string, () => void>();
  readonly workflow: Workflow;

  /** Inputs starting with `hold` wait at their gate; any other input passes at once. */
  constructor(name = 'Gated') {
    this.workflow = new Workflow({
      name,
      steps: [
        new Step({
          name: 'Pass',
          executor: async ({ input }) => {
            this.started.push(input);
            this.log.push(`begin ${input}`);
            try {
              if (input.startsWith('hold')) await this.waitAtGate(input);
            } finally {
              this.log.push(`end ${input}`);
            }
            return `passed ${input}`;
          },
        }),
      ],
    });
  }

  /** Lets the run whose input is `input` finish its step (now, or as soon as it gets there). */
  open(input: string): void {
    const release = this.gates.get(input);
    if (release) release();
    else this.gates.set(input, () => undefined);
  }

  reset(): void {
    this.started.length = 0;
    this.log.length = 0;
    this.gates.clear();
  }

  private waitAtGate(input: string): Promise<void> {
    if (this.gates.has(input)) return Promise.resolve();
    const cancelled = Context.current().cancellationSignal;
    return new Promise((resolve, reject) => {
      this.gates.set(input, resolve);
      cancelled.addEventListener('abort', () => reject(cancelled.reason), { once: true });
    });
  }
}
